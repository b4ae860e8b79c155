// Hostile function node code in a real deployed flow (http in -> function -> http response): errors thrown in
// timers, unhandled rejections, runaway loops under a timeout, syntax errors, code that escapes its wrapper,
// a message loop. Each is reported on its node; the process lives and every other route keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectAlive, expectCleanRestart, SENTINEL, startHostile, type Hostile } from './harness.js';

const tab = 'fx';
/** GET <url> -> function <id> (code, options) -> http response. */
function fnRoute(id: string, url: string, func: string, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: `${id}-in`, type: 'http in', z: tab, x: 1, y: 1, url, method: 'get', wires: [[id]] },
    { id, type: 'function', z: tab, x: 1, y: 1, name: id, func, outputs: 1, timeout: 0, libs: [], initialize: '', finalize: '', wires: [['fx-res']], ...extra },
  ];
}

const FLOWS = [
  ...SENTINEL,
  { id: tab, type: 'tab', label: 'function attacks' },
  { id: 'fx-res', type: 'http response', z: tab, x: 1, y: 1, statusCode: '', headers: {}, wires: [] },
  ...fnRoute('timer-throw', '/timer-throw', "setTimeout(() => { throw new Error('thrown-in-timer') }, 1); msg.payload = 'ok'; return msg;"),
  ...fnRoute('interval-throw', '/interval-throw', "const t = setInterval(() => { context.set('n', (context.get('n') || 0) + 1); if (context.get('n') > 3) clearInterval(t); throw new Error('thrown-in-interval') }, 1); msg.payload = 'ok'; return msg;"),
  ...fnRoute('async-timer', '/async-timer', "setTimeout(async () => { await null; throw new Error('rejected-in-async-timer') }, 1); msg.payload = 'ok'; return msg;"),
  ...fnRoute('reject', '/reject', "Promise.reject(new Error('unhandled-rejection')); msg.payload = 'ok'; return msg;"),
  ...fnRoute('reject-later', '/reject-later', "new Promise((_, rej) => setTimeout(() => rej(new Error('late-rejection')), 1)); Promise.resolve().then(() => { throw new Error('then-rejection') }); msg.payload = 'ok'; return msg;"),
  ...fnRoute('reject-value', '/reject-value', "Promise.reject(undefined); Promise.reject({ a: 1 }); Promise.reject('text'); msg.payload = 'ok'; return msg;"),
  ...fnRoute('async-throw', '/async-throw', "await null; throw new Error('after-await');"),
  ...fnRoute('sync-throw', '/sync-throw', "throw new Error('sync-throw');"),
  ...fnRoute('throw-nonerror', '/throw-nonerror', 'throw { toString() { throw new Error("toString bomb") } };'),
  ...fnRoute('spin', '/spin', 'while (true) {}', { timeout: 1 }),
  ...fnRoute('spin-start', '/spin-start', "msg.payload = 'started'; return msg;", { timeout: 1, initialize: 'while (true) {}' }),
  ...fnRoute('spin-stop', '/spin-stop', "msg.payload = 'ok'; return msg;", { timeout: 1, finalize: 'while (true) {}' }),
  ...fnRoute('syntax', '/syntax', 'return msg;;; }{ )(', {}),
  ...fnRoute('syntax-done', '/syntax-done', 'node.done( }', {}),
  ...fnRoute('escape', '/escape', "}}); while (true) {} (function(){ return async function(){", { timeout: 1 }),
  ...fnRoute('escape-start', '/escape-start', "msg.payload = 'fine'; return msg;", { timeout: 1, initialize: "}}); while (true) {} (function(){ return async function(){" }),
  ...fnRoute('escape-factory', '/escape-factory', "}}); (function(){ while (true) {} return async function(){", { timeout: 1 }),
  ...fnRoute('braces-in-strings', '/braces-in-strings', "// }}); while (true) {} (function(){\nmsg.payload = '}}); (function(){' + `})` + /}\\)/.source; return msg;"),
  ...fnRoute('use-strict', '/use-strict', "'use strict'; msg.payload = typeof this; return msg;"),
  ...fnRoute('bad-send', '/bad-send', "node.send('string'); node.send(5); node.send([[1, 'x', null]]); node.send(Symbol('s')); msg.payload = 'ok'; return msg;"),
  ...fnRoute('bad-return', '/bad-return', 'return 42;'),
  ...fnRoute('recursive', '/recursive', 'function f() { return f(); } f();'),
  ...fnRoute('huge-status', '/huge-status', "node.status({ text: { toString() { throw new Error('status bomb') } } }); node.status(Symbol('x')); msg.payload = 'ok'; return msg;"),
  ...fnRoute('bad-libs', '/bad-libs', "msg.payload = 'ok'; return msg;", { libs: [{ var: '__proto__', module: 'fs' }, { var: 'constructor', module: 'node:fs' }, null, 5] }),
  ...fnRoute('bad-outputs', '/bad-outputs', "msg.payload = 'ok'; return msg;", { outputs: { __proto__: 1 }, timeout: 'abc' }),
  // a message loop: the function sends every message back to itself forever (one hop per turn of the event loop)
  { id: 'loop-in', type: 'http in', z: tab, x: 1, y: 1, url: '/loop', method: 'get', wires: [['loop']] },
  { id: 'loop', type: 'function', z: tab, x: 1, y: 1, outputs: 2, timeout: 0, libs: [], wires: [['loop'], ['fx-res']],
    func: "global.set('hops', (global.get('hops') || 0) + 1); if (!msg.answered) { msg.answered = true; return [msg, RED.util.cloneMessage(msg)]; } return [msg, null];" },
];

let c: Hostile;
beforeAll(async () => { c = await startHostile({ flows: FLOWS }); });
afterAll(async () => { await c?.cleanup(); });

/** An error log line of function node `id` containing `text`. */
const reported = (id: string, text: string) => c.logs.some((l) => l.includes(`[function:${id}]`) && l.includes(text));
const waitReported = (id: string, text: string) => expect.poll(() => reported(id, text), { timeout: 3000 }).toBe(true);

describe('errors that escape the message handler', () => {
  it.each([
    ['timer-throw', 'thrown-in-timer'],
    ['interval-throw', 'thrown-in-interval'],
    ['async-timer', 'rejected-in-async-timer'],
    ['reject', 'unhandled-rejection'],
    ['reject-later', 'late-rejection'],
    ['reject-later', 'then-rejection'],
  ])('%s: reported on the node (%s), the request is answered, the server lives', async (id, text) => {
    const res = await call(c, id);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    await waitReported(id, text);
    await expectAlive(c);
  });

  it('rejections with undefined, an object or a string are reported too', async () => {
    expect(await (await call(c, 'reject-value')).text()).toBe('ok');
    await expect.poll(() => c.logs.filter((l) => l.includes('[function:reject-value]')).length).toBeGreaterThanOrEqual(3);
    await expectAlive(c);
  });

  it.each([['async-throw', 'after-await'], ['sync-throw', 'sync-throw'], ['recursive', 'Maximum call stack size exceeded']])(
    '%s: the error is reported and the message dropped', async (id, text) => {
      await expect(call(c, id, { timeout: 200 })).rejects.toThrow();
      await waitReported(id, text);
      await expectAlive(c);
    });

  it('a thrown value whose toString throws is reported without taking anything down', async () => {
    await expect(call(c, 'throw-nonerror', { timeout: 200 })).rejects.toThrow();
    await expectAlive(c);
  });
});

describe('runaway code', () => {
  it('while(true) with a 1 s timeout is aborted, and the server answers again', async () => {
    await expect(call(c, 'spin', { timeout: 1500 })).rejects.toThrow();
    await waitReported('spin', 'Script execution timed out after 1000ms');
    await expectAlive(c);
  });

  it('while(true) in On Start with a timeout is aborted at deploy', async () => {
    expect(reported('spin-start', 'Script execution timed out')).toBe(true);
    await expect(call(c, 'spin-start', { timeout: 200 })).rejects.toThrow();
  });

  it('code that closes the wrapper to run its own top-level loop is stopped and reported', async () => {
    expect(reported('escape', 'must not close the function it is placed in')).toBe(true);
    expect(reported('escape-start', 'must not close the function it is placed in')).toBe(true);
    expect(reported('escape-factory', 'must not close the function it is placed in')).toBe(true);
    await expect(call(c, 'escape', { timeout: 200 })).rejects.toThrow();
    await expectAlive(c);
  });

  it('braces inside strings, comments and regexes, and a leading "use strict", are ordinary code', async () => {
    expect(await (await call(c, 'braces-in-strings')).text()).toBe('}}); (function(){})}\\)');
    expect((await call(c, 'use-strict')).status).toBe(200);
  });

  it('syntax errors are reported at deploy and the node never answers', async () => {
    expect(reported('syntax', 'SyntaxError') || reported('syntax', 'Unexpected')).toBe(true);
    await expect(call(c, 'syntax', { timeout: 200 })).rejects.toThrow();
    await expectAlive(c);
  });

  it('bad sends, bad returns, bad status, bad libs and outputs are reported, not fatal', async () => {
    expect(await (await call(c, 'bad-send')).text()).toBe('ok');
    await waitReported('bad-send', 'Function tried to send a message of type string');
    expect(await (await call(c, 'huge-status')).text()).toBe('ok');
    await expect(call(c, 'bad-return', { timeout: 200 })).rejects.toThrow();
    await expect(call(c, 'bad-libs', { timeout: 200 })).rejects.toThrow();
    expect(reported('bad-libs', 'Invalid module variable name')).toBe(true);
    expect((await call(c, 'bad-outputs')).status).toBe(200);
    await expectAlive(c);
  });

  it('a message loop does not starve the other routes', async () => {
    expect(await (await call(c, 'loop')).text()).not.toBe('');
    const hops = () => c.runtime.engine.contexts.global.get('hops') as number;
    await expect.poll(hops).toBeGreaterThan(200);
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      await expectAlive(c);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    const before = hops();
    await expect.poll(hops).toBeGreaterThan(before);
  });

  it('a redeploy stops the loop and the On Stop loop (with timeout) is aborted; a restart is clean', async () => {
    expect((await call(c, 'flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SENTINEL) })).status).toBe(204);
    const hops = c.runtime.engine.contexts.global.get('hops') as number;
    await new Promise((r) => setTimeout(r, 50));
    expect(c.runtime.engine.contexts.global.get('hops')).toBe(hops);
    await waitReported('spin-stop', 'Script execution timed out');
    c = await expectCleanRestart(c);
  });
});
