// Node-RED's example flows for the common and function nodes, run on Crimson and compared with Node-RED 4.1.15.
import { runExamplesOf } from './run-examples.js';

runExamplesOf(['common', 'function']);
