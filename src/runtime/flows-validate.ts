// Checks a deploy before anything is written: an array of node objects with string ids and types,
// no ids that could reach an object prototype, no value nested deeper than the runtime can clone and save
// (a deploy that passes here never fails later for its shape). Duplicate ids pass, as in Node-RED
// (flows-duplicates.ts names them).
import type { FlowConfig } from './types.js';
import { nestsDeeperThan } from './util/safe-json.js';

const FORBIDDEN_IDS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest nesting accepted in one node (the node object is level 1); real flows stay far below it. */
export const MAX_NODE_DEPTH = 1000;

/** A v2 deploy's `credentials` map must be within the same nesting bound as a node. */
export function validateCredentialsMap(map: unknown): void {
  if (nestsDeeperThan(map, MAX_NODE_DEPTH)) throw new Error(`Invalid credentials: nested deeper than ${MAX_NODE_DEPTH} levels`);
}

export function validateFlows(config: unknown): asserts config is FlowConfig {
  if (config === undefined || config === null) throw new TypeError("Cannot read properties of undefined (reading 'forEach')");
  if (!Array.isArray(config)) {
    // Node-RED answers with the TypeError its code runs into
    throw new TypeError('config.forEach is not a function');
  }
  for (let i = 0; i < config.length; i++) {
    const n = config[i];
    if (n === null || typeof n !== 'object' || Array.isArray(n)) throw new Error(`Invalid node at index ${i}: not an object`);
    if (typeof n.id !== 'string' || n.id === '') throw new Error(`Invalid node at index ${i}: missing id`);
    if (FORBIDDEN_IDS.has(n.id)) throw new Error(`Invalid node id: ${n.id}`);
    if (typeof n.type !== 'string' || n.type === '') throw new Error(`Invalid node ${n.id}: missing type`);
    if (n.wires !== undefined && !Array.isArray(n.wires)) throw new Error(`Invalid node ${n.id}: wires must be an array`);
    if (Array.isArray(n.wires)) {
      for (const port of n.wires) {
        if (!Array.isArray(port) || port.some((w: unknown) => typeof w !== 'string')) {
          throw new Error(`Invalid node ${n.id}: wires must be arrays of node ids`);
        }
      }
    }
    if (n.z !== undefined && typeof n.z !== 'string') throw new Error(`Invalid node ${n.id}: z must be a string`);
    if (nestsDeeperThan(n, MAX_NODE_DEPTH)) throw new Error(`Invalid node ${n.id}: nested deeper than ${MAX_NODE_DEPTH} levels`);
  }
}
