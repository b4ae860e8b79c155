// Node-RED's example flows for the network and storage nodes (the TCP/UDP ones on their fixed ports 1881-1883,
// so all in this one file), run on Crimson and compared with Node-RED 4.1.15.
import { runExamplesOf } from './run-examples.js';

runExamplesOf(['network', 'storage']);
