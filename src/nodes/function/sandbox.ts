// The globals a function node's code sees (COMPAT D3), built once per node: the `__node__` bridge behind
// the per-call `node` object, context/flow/global, env, RED.util, console, util, Buffer, URL, Date, timers.
import util from 'node:util';
import type { Node } from '../../runtime/node.js';
import type { ContextHandle } from '../../runtime/context.js';
import type { RED } from '../../registry/red-types.js';
import { sendResults } from './results.js';
import { createSandboxTimers } from './timers.js';
import type { SandboxTimers } from './timers.js';

export interface FunctionSandbox {
  /** Becomes the vm context's global object (libs variables are added to it). */
  globals: Record<string, unknown>;
  timers: SandboxTimers;
  /** True once the code called node.status() (close then clears the status). */
  statusUsed(): boolean;
}

type Fn = (...args: unknown[]) => unknown;

/** get/set/keys of a context scope, looked up on each call as Node-RED does. */
function scopeApi(node: Node, scope: () => ContextHandle): Record<string, Fn> {
  return {
    set(...a) { (scope().set as Fn).apply(node, a); },
    get(...a) { return (scope().get as Fn).apply(node, a); },
    keys(...a) { return (scope().keys as Fn).apply(node, a); },
  };
}

export function createFunctionSandbox(RED: RED, node: Node, outputs: unknown): FunctionSandbox {
  let statusUsed = false;
  const call = (method: Function, args: unknown[]): void => { method.apply(node, args); };
  const bridge = {
    id: node.id,
    name: node.name,
    path: node._path,
    outputCount: outputs,
    log: (...a: unknown[]) => call(node.log, a),
    error: (...a: unknown[]) => call(node.error, a),
    warn: (...a: unknown[]) => call(node.warn, a),
    debug: (...a: unknown[]) => call(node.debug, a),
    trace: (...a: unknown[]) => call(node.trace, a),
    send: (send: (m: unknown) => void, msgid: unknown, msgs: unknown, cloneMsg: unknown) =>
      sendResults(node, send, msgid, msgs, cloneMsg),
    on: (...a: unknown[]) => {
      if (a[0] === 'input') throw new Error("Cannot add listener to 'input' event within Function");
      call(node.on, a);
    },
    status: (...a: unknown[]) => { statusUsed = true; call(node.status, a); },
  };
  const getSetting = RED.util.getSetting as (node: unknown, name: unknown) => unknown;
  const timers = createSandboxTimers(node);
  const context = scopeApi(node, () => node.context());
  Object.defineProperties(context, {
    global: { get: () => node.context().global, enumerable: true },
    flow: { get: () => node.context().flow, enumerable: true },
  });
  const globals: Record<string, unknown> = {
    console,
    util,
    Buffer,
    URL,
    URLSearchParams,
    Date,
    RED: { util: { ...RED.util, getSetting: (_node: unknown, name: unknown) => getSetting(node, name) } },
    __node__: bridge,
    context,
    flow: scopeApi(node, () => node.context().flow!),
    global: scopeApi(node, () => node.context().global!),
    env: { get: (name: unknown) => getSetting(node, name) },
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
    promisify: util.promisify,
  };
  return { globals, timers, statusUsed: () => statusUsed };
}
