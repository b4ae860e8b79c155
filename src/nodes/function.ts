// The `function` core node (COMPAT D3): user JavaScript compiled once per node into a vm context (made at
// the node's first message when nothing needs it sooner) and called as a plain function per message; On Start / On Stop code, `libs` modules, optional timeout, Node-RED's
// return / node.send / done / error semantics. The pieces live in ./function/.
import vm from 'node:vm';
import type { RED } from '../registry/red-types.js';
import type { Node, DoneFn, SendFn } from '../runtime/node.js';
import type { NodeConfig } from '../runtime/types.js';
import { generateId } from '../runtime/util/id.js';
import { createFunctionSandbox } from './function/sandbox.js';
import type { FunctionSandbox } from './function/sandbox.js';
import { closureNames, closureValues, compileScript, instantiate, scriptFilename, addErrorLine, parseFailure, parsesAsBody, runsSync,
  invokeWithTimeout, runWithTimeout } from './function/compile.js';
import type { Kind } from './function/compile.js';
import { callsNodeDone, mentionsNodeDone } from './function/done-detect.js';
import { knownToCompile, once, rememberCompiles } from './function/compile-cache.js';
import { sendResults, errorForDone } from './function/results.js';
import { reportRejectionsOf } from './function/rejections.js';

interface FunctionNode extends Node {
  func: string;
  outputs: unknown;
  timeout: number;
  ini: string;
  fin: string;
  libs: unknown[];
  topic: unknown;
}

type Msg = Record<string, unknown>;
type Body = (msg: Msg, send: SendFn, done: DoneFn) => Promise<unknown>;
type Queued = [Msg, SendFn, DoneFn];

const LOADING = 0;
const READY = 1;
const FAILED = 2; // On Start rejected: later messages are discarded
const STUCK = 3; // code did not compile or a module did not load: messages are never processed
const IDLE = 4; // not started yet: starts with its first message

const RESERVED_KEYS = new Set(['node', '__proto__', 'constructor', 'prototype']);

/** The globals of a sandbox without libs (their names are what compiled code binds; the values are never used). */
let SANDBOX_SHAPE: Record<string, unknown> | undefined;
/** Only the keys of a sandbox: the shape must not keep the node (and runtime) it was made from. */
const shapeOf = (globals: Record<string, unknown>) => Object.fromEntries(Object.keys(globals).map((k) => [k, null]));

/** Checks `libs` names against the sandbox and reserves them; returns the modules to import. */
function planLibs(node: FunctionNode, sandbox: FunctionSandbox): { errors: string[]; imports: Array<[string, string]> } {
  const errors: string[] = [];
  const imports: Array<[string, string]> = [];
  for (const lib of node.libs) {
    if (!lib || typeof lib !== 'object') continue;
    const vname = (lib as Record<string, unknown>).var;
    if (typeof vname !== 'string' || vname === '') continue;
    if (Object.hasOwn(sandbox.globals, vname) || RESERVED_KEYS.has(vname)) {
      errors.push(`Invalid module variable name: ${vname}`);
      continue;
    }
    sandbox.globals[vname] = null;
    const spec = (lib as Record<string, unknown>).module;
    if (typeof spec === 'string' && spec !== '') imports.push([vname, spec]);
  }
  return { errors, imports };
}

function setupFunctionNode(RED: RED, node: FunctionNode, n: NodeConfig): void {
  node.name = n.name;
  node.func = String(n.func);
  node.outputs = n.outputs;
  node.timeout = Number(n.timeout) * 1000;
  node.ini = typeof n.initialize === 'string' ? n.initialize.trim() : '';
  node.fin = typeof n.finalize === 'string' ? n.finalize.trim() : '';
  node.libs = Array.isArray(n.libs) ? n.libs : [];
  node.topic = n.topic;
  if (RED.settings.functionExternalModules === false && node.libs.length > 0) {
    throw new Error('Function node not allowed to load external modules');
  }
  const globalTimeout = Number(RED.settings.globalFunctionTimeout) > 0 ? Number(RED.settings.globalFunctionTimeout) * 1000 : 0;
  const bodyTimeout = node.timeout > 0 ? node.timeout : globalTimeout;
  const finTimeout = bodyTimeout;
  const iniTimeout = node.timeout > 0 ? node.timeout : 0;
  const autoDone = !callsNodeDone(node.func);
  // the sandbox (a few dozen closures) is made when the node starts, unless `libs` must be checked now
  const early = node.libs.length > 0 ? createFunctionSandbox(RED, node, node.outputs) : undefined;
  const libs = early ? planLibs(node, early) : { errors: [], imports: [] };
  const names = closureNames(early ? early.globals : (SANDBOX_SHAPE ??= shapeOf(createFunctionSandbox(RED, node, node.outputs).globals)));
  const filename = (kind: Kind) => scriptFilename(kind, node.id, node.name);

  // checked now, so a compile error is reported where Node-RED reports it (once the modules are loaded);
  // code known to compile, or that parses as its body, is compiled for this node only when it starts
  const errors = new Map<Kind, unknown>();
  // (a vm timeout runs the code through a script of its own, whose errors are reported the async way)
  const syncBody = bodyTimeout === 0 && runsSync(node.func);
  const compile = (kind: Kind, code: string): (() => vm.Script) | undefined => {
    const make = () => compileScript(kind, code, names, filename(kind), true, kind === '' && syncBody);
    if (knownToCompile(kind, code, names)) return once(make);
    if (parsesAsBody(kind, code)) {
      rememberCompiles(kind, code, names);
      return once(make);
    }
    try {
      const script = compileScript(kind, code, names, filename(kind), false, kind === '' && syncBody);
      rememberCompiles(kind, code, names);
      return () => script;
    } catch (err) { errors.set(kind, err); return undefined; }
  };
  const iniScript = node.ini ? compile(' setup', node.ini) : undefined;
  const bodyScript = compile('', node.func);
  const finScript = node.fin ? compile(' cleanup', node.fin) : undefined;
  // Node-RED parses code that mentions node.done() in the constructor: if that fails, no node is created
  if (errors.has('') && mentionsNodeDone(node.func)) throw parseFailure(errors.get(''));
  const compileError = errors.get(' setup') ?? errors.get('') ?? errors.get(' cleanup');
  for (const e of libs.errors) node.error(e);
  if (libs.errors.length > 0) throw new Error('Function node failed to load external modules');

  const loads = libs.imports.map(([vname, spec]) => Promise.resolve(RED.import(spec) as Promise<Record<string, unknown>>).then(
    (lib) => { early!.globals[vname] = lib.default || lib; },
    (err) => {
      node.error(`Failed to load module : ${String(err)}`);
      throw err;
    },
  ));

  // Without On Start / On Stop code or modules, nothing is observable before the first message: the vm
  // context (the costly part of a node, ~2 ms) is made then, so a deploy of many function nodes is quick.
  const lazy = compileError === undefined && !iniScript && !finScript && libs.imports.length === 0;
  let state = lazy ? IDLE : LOADING;
  let queue: Queued[] = [];
  let processMessage: (msg: Msg, send: SendFn, done: DoneFn) => void = () => {};
  node.on('input', (msg: Msg, send: SendFn, done: DoneFn) => {
    if (state === READY) processMessage(msg, send, done);
    else if (state === LOADING) queue.push([msg, send, done]);
    else if (state === IDLE) {
      state = LOADING;
      queue.push([msg, send, done]);
      start();
    }
  });

  const start = (): void => {
    const sandbox = early ?? createFunctionSandbox(RED, node, node.outputs);
    const ctx = vm.createContext(sandbox.globals);
    try {
      if (compileError !== undefined) throw compileError;
      const values = closureValues(names, ctx);
      const body = instantiate<Body>(bodyScript!(), ctx, values);
      reportRejectionsOf(vm.runInContext('Promise.prototype', ctx) as object, (reason) => node.error(reason, {}));
      let started: Promise<unknown> = Promise.resolve();
      if (iniScript) {
        const ini = instantiate<(send: unknown) => Promise<unknown>>(iniScript(), ctx, values);
        const initSend = (msgs: unknown, cloneMsg: unknown) =>
          sendResults(node, (m) => node.send(m), generateId(), msgs, cloneMsg);
        started = iniTimeout > 0 ? runWithTimeout(ctx, iniTimeout, () => ini(initSend)) : ini(initSend);
      }
      const fin = finScript ? instantiate<() => void>(finScript(), ctx, values) : undefined;
      if (bodyTimeout > 0) ctx.__crimsonInvoke__ = body;
      processMessage = createProcessor(node, body, ctx, bodyTimeout, autoDone);

      node.on('close', () => {
        if (fin) {
          try {
            if (finTimeout > 0) runWithTimeout(ctx, finTimeout, fin);
            else fin();
          } catch (err) {
            node.error(err);
          }
        }
        sandbox.timers.clearAll();
        if (sandbox.statusUsed()) node.status({});
      });

      const drain = () => {
        let batch = queue;
        queue = [];
        while (batch.length > 0) {
          for (const [m, s, d] of batch) processMessage(m, s, d);
          batch = queue;
          queue = [];
        }
        state = READY;
      };
      // without On Start the first message runs now, in its turn, as it does in Node-RED
      if (!iniScript) { drain(); return; }
      started.then(drain).catch((err: unknown) => {
        queue = [];
        state = FAILED;
        node.error(err);
      });
    } catch (err) {
      state = STUCK;
      queue = [];
      addErrorLine(err);
      node.error(err);
    }
  };

  if (lazy) return;
  Promise.all(loads).then(start).catch(() => {
    state = STUCK;
    queue = [];
    node.error('Function node failed to load external modules');
  });
}

/** The per-message path: call the compiled body, then send its result and complete, or report its error. */
function createProcessor(node: FunctionNode, body: Body, ctx: vm.Context, timeout: number, autoDone: boolean) {
  const showTime = !!process.env.NODE_RED_FUNCTION_TIME;
  const timed = showTime || node.metric();
  return (msg: Msg, send: SendFn, done: DoneFn): void => {
    const begin = timed ? process.hrtime() : undefined;
    let running: Promise<unknown>;
    try {
      running = timeout > 0 ? invokeWithTimeout(ctx, timeout, msg, send, done) as Promise<unknown> : body(msg, send, done);
    } catch (err) {
      // a plain (await-free) body throwing: what its async form would have rejected with
      if (timeout === 0) done(errorForDone(err, msg));
      else done(err);
      return;
    }
    if (running === null || typeof running !== 'object' || typeof (running as { then?: unknown }).then !== 'function') {
      // a plain body's result (an async body always gives a promise)
      try {
        sendResults(node, send, msg._msgid, running, false);
        if (autoDone) done();
        if (begin) reportDuration(node, msg, begin, showTime);
      } catch (err) {
        done(errorForDone(err, msg));
      }
      return;
    }
    const fail = (err: unknown): void => done(errorForDone(err, msg));
    running.then((results) => {
      try {
        sendResults(node, send, msg._msgid, results, false);
        if (autoDone) done();
        if (begin) reportDuration(node, msg, begin, showTime);
      } catch (err) {
        fail(err);
      }
    }, fail);
  };
}

function reportDuration(node: FunctionNode, msg: Msg, begin: [number, number], showTime: boolean): void {
  const d = process.hrtime(begin);
  const ms = Math.floor((d[0] * 1e9 + d[1]) / 10000) / 100;
  (node.metric as (...a: unknown[]) => unknown)('duration', msg, ms);
  if (showTime) node.status({ fill: 'yellow', shape: 'dot', text: String(ms) });
}

export default function register(RED: RED): void {
  function FunctionNodeCtor(this: FunctionNode, config: NodeConfig): void {
    RED.nodes.createNode(this, config);
    setupFunctionNode(RED, this, config);
  }
  RED.nodes.registerType('function', FunctionNodeCtor, {
    dynamicModuleList: 'libs',
    settings: {
      functionExternalModules: { value: true, exportable: true },
      functionTimeout: { value: 0, exportable: true },
    },
  });
  RED.library.register('functions');
}
