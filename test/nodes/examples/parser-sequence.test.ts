// Node-RED's example flows for the parser and sequence nodes, run on Crimson and compared with Node-RED 4.1.15.
import { runExamplesOf } from './run-examples.js';

runExamplesOf(['parser', 'sequence']);
