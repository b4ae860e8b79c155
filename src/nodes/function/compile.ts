// Compiles a function node's three pieces of code (On Message, On Start, On Stop) once, in the node's vm
// context, into plain functions. Sandbox globals are also passed in as closure variables, so the code reads
// them without a lookup through the contextified global on every access. Line layout matches Node-RED's
// wrappers, so error lines ("(body:line N)", stack frames) come out the same.
import vm from 'node:vm';

export type Kind = '' | ' setup' | ' cleanup';

/** Standard globals of a context, bound as closure variables too (never-written ones like `undefined` are not). */
const BUILTINS = ['Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Boolean', 'String', 'Symbol',
  'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
  'TypeError', 'URIError', 'JSON', 'Math', 'Intl', 'ArrayBuffer', 'Uint8Array', 'Int8Array', 'Uint16Array',
  'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'Uint8ClampedArray',
  'BigUint64Array', 'BigInt64Array', 'DataView', 'Map', 'BigInt', 'Set', 'WeakMap', 'WeakSet', 'Proxy',
  'Reflect', 'WeakRef', 'FinalizationRegistry', 'decodeURI', 'decodeURIComponent', 'encodeURI',
  'encodeURIComponent', 'escape', 'unescape', 'isFinite', 'isNaN', 'globalThis'];

const NOT_BINDABLE = new Set(('break case catch class const continue debugger default delete do else enum export ' +
  'extends false finally for function if import in instanceof new null return super switch this throw true try ' +
  'typeof var void while with yield let static implements interface package private protected public await ' +
  'arguments eval undefined NaN Infinity msg node __send__ __done__ __msgid__').split(' '));

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const NODE_FIELDS = 'id:__node__.id,name:__node__.name,path:__node__.path,outputCount:__node__.outputCount,' +
  'log:__node__.log,error:__node__.error,warn:__node__.warn,debug:__node__.debug,trace:__node__.trace';

export function scriptFilename(kind: Kind, id: string, name: unknown): string {
  return `Function node${kind}:${id}${name ? ` [${String(name)}]` : ''}`;
}

const NAMES = new Map<string, string[]>();

/** The names the compiled code gets as closure variables: sandbox keys, then standard globals (shared, read-only). */
export function closureNames(sandbox: object): string[] {
  const keys = Object.keys(sandbox);
  const signature = keys.join(',');
  let names = NAMES.get(signature);
  if (!names) {
    names = keys.filter((k) => IDENTIFIER.test(k) && !NOT_BINDABLE.has(k));
    for (const b of BUILTINS) if (!names.includes(b)) names.push(b);
    if (NAMES.size >= 1000) NAMES.clear();
    NAMES.set(signature, names);
  }
  return names;
}

/** The values of `names` as the code in `ctx` sees them (sandbox first, then the context's own globals). */
export function closureValues(names: string[], ctx: vm.Context): unknown[] {
  const expr = names.map((n) => `typeof ${n}==="undefined"?void 0:${n}`).join(',');
  return new vm.Script(`[${expr}]`).runInContext(ctx) as unknown[];
}

const bodySource = (names: string[], code: string, sync = false): string =>
  `(function(${names.join(',')}){return ${sync ? '' : 'async '}function(msg,__send__,__done__){var __msgid__=msg._msgid;` +
  `var node={${NODE_FIELDS},on:__node__.on,status:__node__.status,` +
  `send:function(msgs,cloneMsg){__node__.send(__send__,__msgid__,msgs,cloneMsg);},done:__done__};\n` +
  `${code}\n}})`;

// On Start code starts on line 18 and On Stop code on line 17, each after 24 spaces, as in Node-RED
const setupSource = (names: string[], code: string): string =>
  `(function(${names.join(',')}){return async function(__initSend__){var node={${NODE_FIELDS},` +
  `status:__node__.status,send:function(msgs,cloneMsg){__initSend__(msgs,cloneMsg);}};` +
  `${'\n'.repeat(17)}${' '.repeat(24)}${code}\n}})`;

const cleanupSource = (names: string[], code: string): string =>
  `(function(${names.join(',')}){return function(){var node={${NODE_FIELDS},status:__node__.status,` +
  `send:function(msgs,cloneMsg){__node__.error("Cannot send from close function");}};` +
  `${'\n'.repeat(16)}${' '.repeat(24)}${code}\n}})`;

const SOURCES = { '': bodySource, ' setup': setupSource, ' cleanup': cleanupSource };

/** The error for code that is not a body of its own (no stack: it points into Crimson, not the user's code). */
function wrapperEscape(): SyntaxError {
  const err = new SyntaxError('Function node code must not close the function it is placed in');
  err.stack = `SyntaxError: ${err.message}`;
  return err;
}

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as FunctionConstructor;

/**
 * Throws when `code` is not a function body on its own: text that closes its wrapper early
 * (`}}); while (true) {} (function(){ …`) would otherwise run at top level when the wrapper is built. The
 * Function constructors parse a body by itself; the function made is never called.
 */
function assertOwnBody(kind: Kind, code: string): void {
  try {
    // the leading `;` keeps a "use strict" at the start from becoming a directive (it is not one in the wrapper)
    if (kind === ' cleanup') new Function(`;${code}`);
    else new AsyncFunction(`;${code}`);
  } catch (err) {
    if (err instanceof SyntaxError) throw wrapperEscape();
    // code generation from strings disabled (--disallow-code-generation-from-strings): nothing to check with
  }
}

/**
 * Compiles (does not run) one piece of code; throws the engine's SyntaxError when it does not parse.
 * `checked`: parsesAsBody said yes already, the own-body check is not repeated.
 */
export function compileScript(kind: Kind, code: string, names: string[], filename: string, checked = false, sync = false): vm.Script {
  const source = kind === '' ? bodySource(names, code, sync) : SOURCES[kind](names, code);
  const script = new vm.Script(source, { filename });
  if (!checked) assertOwnBody(kind, code);
  return script;
}

/**
 * On Message code without an `await` runs as a plain function: it parses the same as in the async wrapper,
 * and its results are sent as soon as it returns (Node-RED sends them in the microtask after, before the
 * next message is delivered, so nothing can tell the difference) without a promise per message.
 */
export const runsSync = (code: string): boolean => !/\bawait\b/.test(code);

/**
 * A quick yes when `code` parses as the body it becomes in its wrapper: the same parameters and the same
 * lines before it, so a redeclared `msg` or `node` fails here as it does there, and text closing the
 * wrapper early fails too. One parse instead of a compile of the whole wrapper; no says nothing about the
 * error (compileScript gives it exactly, with its line), nor does a runtime without string compilation.
 */
export function parsesAsBody(kind: Kind, code: string): boolean {
  try {
    if (kind === '') new AsyncFunction('msg', '__send__', '__done__', `var __msgid__=msg._msgid;var node={};\n${code}\n`);
    else if (kind === ' setup') new AsyncFunction('__initSend__', `var node={};${'\n'.repeat(17)}${code}\n`);
    else new Function(`var node={};${code}\n`);
    return true;
  } catch {
    return false;
  }
}

/** Runs a compiled script's wrapper in `ctx` and returns the function inside, its closure variables bound. */
export function instantiate<F extends Function>(script: vm.Script, ctx: vm.Context, values: unknown[]): F {
  const factory: unknown = script.runInContext(ctx);
  const made = typeof factory === 'function' ? (factory as (...v: unknown[]) => unknown)(...values) : undefined;
  if (typeof made !== 'function') throw wrapperEscape();
  return made as F;
}

/**
 * Node-RED's note on a compile error: " (body:line N)" / "(setup:line N)" / "(cleanup:line N)" from the
 * `filename:line` that starts the stack of a SyntaxError.
 */
export function addErrorLine(err: unknown): void {
  if (!err || typeof err !== 'object') return;
  const e = err as { stack?: unknown; message?: unknown };
  if (!e.stack) return;
  const m = /^([^:]+):([^:]+):(\d+).*/.exec(String(e.stack));
  if (!m) return;
  const kind = /cleanup/.test(m[1]!) ? 'cleanup:' : /setup/.test(m[1]!) ? 'setup:' : 'body:';
  try { e.message += ` (${kind}line ${parseInt(m[3]!, 10) - 1})`; } catch { /* read-only message */ }
}

/**
 * The error Node-RED raises at node creation when code that mentions `node.done()` cannot be parsed: the
 * parser's message with its `(line:column)` position in the wrapped code.
 */
export function parseFailure(err: unknown): Error {
  const e = err as { message?: unknown; stack?: unknown };
  const stack = String(e?.stack ?? '');
  const line = /^[^\n]*:(\d+)\n/.exec(stack)?.[1];
  const caretLine = stack.split('\n')[2] ?? '';
  const col = caretLine.indexOf('^');
  const where = line ? ` (${line}:${col < 0 ? 0 : col})` : '';
  return new SyntaxError(`${String(e?.message ?? err)}${where}`);
}

const RUNNER = new vm.Script('__crimsonInvoke__(msg,__send__,__done__)', { filename: 'Function node' });

/** Calls the compiled body through the vm, so `timeout` (ms) can abort a long synchronous run. */
export function invokeWithTimeout(ctx: vm.Context, timeout: number, msg: unknown, send: unknown, done: unknown): unknown {
  ctx.msg = msg;
  ctx.__send__ = send;
  ctx.__done__ = done;
  return RUNNER.runInContext(ctx, { timeout, breakOnSigint: true });
}

/** Runs a zero-argument function of the context under a vm timeout (On Start / On Stop with a timeout). */
export function runWithTimeout<T>(ctx: vm.Context, timeout: number, fn: () => T): T {
  ctx.__crimsonOnce__ = fn;
  try {
    return new vm.Script('__crimsonOnce__()').runInContext(ctx, { timeout, breakOnSigint: true }) as T;
  } finally {
    ctx.__crimsonOnce__ = undefined;
  }
}
