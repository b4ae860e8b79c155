// Prototype pollution: keys from query strings, JSON and urlencoded bodies, http in params, context keys,
// change rules and settings never reach an object as __proto__/constructor/prototype; Object.prototype stays
// clean after each attack and what the flows receive keeps its normal prototype.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RED } from '../../src/registry/red-types.js';
import { call, expectAlive, expectCleanRestart, expectNoPollution, json, SENTINEL, startHostile, type Hostile } from './harness.js';

/** What the probe node saw of each message: the query, params, payload of the request. */
const seen: Array<Record<string, unknown>> = [];

const tab = 'pp';
const fnNode = (id: string, func: string, wires: string[][]) =>
  ({ id, type: 'function', z: tab, x: 1, y: 1, func, outputs: 1, timeout: 0, libs: [], wires });
const route = (id: string, method: string, url: string, next: string) =>
  ({ id, type: 'http in', z: tab, x: 1, y: 1, url, method, wires: [[next]] });

const FLOWS = [
  ...SENTINEL,
  { id: tab, type: 'tab', label: 'pollution' },
  route('in-get', 'get', '/echo', 'probe'),
  route('in-post', 'post', '/echo', 'probe'),
  route('in-params', 'get', '/p/:__proto__/:constructor/:prototype', 'probe'),
  { id: 'probe', type: 'hostile-probe', z: tab, x: 1, y: 1, wires: [['res']] },
  { id: 'res', type: 'http response', z: tab, x: 1, y: 1, statusCode: '', headers: {}, wires: [] },
  // context keys from the request
  route('in-ctx', 'post', '/ctx', 'ctx'),
  fnNode('ctx', `
    const out = {};
    for (const scope of [context, flow, global]) {
      for (const k of msg.payload.keys) {
        try { scope.set(k, msg.payload.value); } catch (e) { out[k] = 'refused'; }
        try { scope.get(k); } catch (e) { out[k + ':get'] = 'refused'; }
      }
      try { scope.set(msg.payload.keys, [1, 2, 3]); } catch (e) { out.array = 'refused'; }
    }
    out.keys = context.keys().concat(flow.keys(), global.keys());
    try { RED.util.setMessageProperty(msg, msg.payload.keys[0], 1); } catch (e) { out.util = 'refused'; }
    try { RED.util.setObjectProperty({}, msg.payload.keys[0], 1); } catch (e) { out.utilObject = 'refused'; }
    msg.payload = out;
    return msg;`, [['res']]),
  // change rules that write prototype paths, JSON values with __proto__, JSONata that builds them
  { id: 'in-change', type: 'http in', z: tab, x: 1, y: 1, url: '/change', method: 'get', wires: [['change', 'change-flow', 'change-global']] },
  { id: 'change', type: 'change', z: tab, x: 1, y: 1, wires: [['probe']], rules: [
    { t: 'set', p: '__proto__.polluted', pt: 'msg', to: 'x', tot: 'str' },
    { t: 'set', p: 'constructor.prototype.polluted', pt: 'msg', to: 'x', tot: 'str' },
    { t: 'set', p: 'payload["__proto__"]["polluted"]', pt: 'msg', to: 'x', tot: 'str' },
    { t: 'set', p: 'fromJson', pt: 'msg', to: '{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":1}}}', tot: 'json' },
    { t: 'set', p: 'fromJsonata', pt: 'msg', to: '{"__proto__": {"polluted": 1}}', tot: 'jsonata' },
    { t: 'set', p: 'transformed', pt: 'msg', to: '{"a": 1} ~> | __proto__ | {"polluted": 1} |', tot: 'jsonata' },
    { t: 'set', p: 'merged', pt: 'msg', to: '$merge([{"a":1}, {"__proto__": {"polluted": 1}}])', tot: 'jsonata' },
    { t: 'move', p: 'payload', pt: 'msg', to: '__proto__', tot: 'msg' },
  ] },
  // context writes to prototype paths fail: the error is reported on the node and the message dropped
  { id: 'change-flow', type: 'change', z: tab, x: 1, y: 1, wires: [], rules: [{ t: 'set', p: '__proto__.polluted', pt: 'flow', to: 'x', tot: 'str' }] },
  { id: 'change-global', type: 'change', z: tab, x: 1, y: 1, wires: [], rules: [{ t: 'set', p: 'constructor.prototype.polluted', pt: 'global', to: 'x', tot: 'str' }] },
];

let c: Hostile;
/** Registers the probe type; flows waiting for it then start (waited for here). */
async function loadProbe(h: Hostile): Promise<void> {
  await h.runtime.loadNodeModule({ name: 'hostile-probe', version: '1.0.0' }, {
    probe: (R: RED) => {
      R.nodes.registerType('hostile-probe', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        this.on('input', (msg: any, send: (m: unknown) => void, done: () => void) => {
          seen.push({ query: msg.req?.query, params: msg.req?.params, body: msg.req?.body, payload: msg.payload, msg });
          msg.payload = { ok: true };
          send(msg);
          done();
        });
      });
    },
  });
  for (let i = 0; i < 200 && !h.runtime.flows.started && h.runtime.flows.getFlows().flows.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
}
beforeAll(async () => {
  c = await startHostile();
  await loadProbe(c);
  await c.deploy(FLOWS);
});
afterAll(async () => { await c?.cleanup(); });

/**
 * The value has the ordinary prototype of its kind and nothing shows through a swapped prototype. Own data
 * keys named `constructor` / `prototype` are data (Express and JSON.parse make them, as in Node-RED); own
 * `__proto__` keys are never handed to a flow.
 */
function expectOrdinary(value: unknown, where: string): void {
  if (value === null || typeof value !== 'object') return;
  const proto = Object.getPrototypeOf(value);
  expect([Object.prototype, Array.prototype, null, Buffer.prototype], `${where} has a foreign prototype`).toContain(proto);
  expect(Object.hasOwn(value, '__proto__'), `${where} has an own __proto__ key`).toBe(false);
  if (!Object.hasOwn(value, 'polluted')) expect((value as Record<string, unknown>).polluted, `${where}.polluted (inherited)`).toBeUndefined();
  for (const [k, v] of Object.entries(value)) if (k !== 'req' && k !== 'res') expectOrdinary(v, `${where}.${k}`);
}

const QUERIES = [
  '__proto__[polluted]=1', 'constructor[prototype][polluted]=1', '__proto__.polluted=1', 'a[__proto__][polluted]=1',
  'a[constructor][prototype][polluted]=1', '__proto__=x', 'prototype[polluted]=1', 'a[0][__proto__][polluted]=1',
  `${'a['.repeat(2000)}]${']'.repeat(1999)}=1`, 'a[]=1&a[__proto__]=2', '%5F%5Fproto%5F%5F[polluted]=1',
];

describe('query strings', () => {
  it.each(QUERIES)('?%s on an http in route', async (q) => {
    seen.length = 0;
    const res = await call(c, `echo?${q}`);
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expectOrdinary(seen[0]!.query, 'req.query');
    expectOrdinary(seen[0]!.payload, 'msg.payload');
    expectNoPollution();
  });

  it.each(QUERIES)('?%s on admin routes', async (q) => {
    for (const r of ['flows', 'settings', 'flows/state', 'nodes', 'flow/global', 'auth/login', 'settings/user', 'diagnostics']) {
      const res = await call(c, `${r}?${q}`);
      expect(res.status, r).toBeLessThan(500);
    }
    expectNoPollution();
  });
});

const BODIES: Array<[string, string, string]> = [
  ['json __proto__', 'application/json', '{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":1}}}'],
  ['json constructor.prototype', 'application/json', '{"constructor":{"prototype":{"polluted":1}}}'],
  ['json escaped __proto__', 'application/json', '{"\\u005f_proto__":{"polluted":1}}'],
  ['json array of __proto__', 'application/json', '[{"__proto__":{"polluted":1}}]'],
  ['urlencoded __proto__', 'application/x-www-form-urlencoded', '__proto__[polluted]=1&a[__proto__][polluted]=1'],
  ['urlencoded constructor', 'application/x-www-form-urlencoded', 'constructor[prototype][polluted]=1&a[constructor][prototype][polluted]=1'],
  ['urlencoded deep', 'application/x-www-form-urlencoded', `${'a['.repeat(5000)}]${']'.repeat(4999)}=1`],
];

describe('request bodies', () => {
  it.each(BODIES)('%s on an http in route', async (_n, type, body) => {
    seen.length = 0;
    const res = await call(c, 'echo', { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) {
      expect(seen).toHaveLength(1);
      expectOrdinary(seen[0]!.payload, 'msg.payload');
    }
    expectNoPollution();
  });

  it.each(BODIES)('%s on admin write routes', async (_n, type, body) => {
    for (const [method, r] of [['POST', 'settings/user'], ['POST', 'flow'], ['PUT', 'flow/global'], ['PUT', 'nodes/node-red/function'], ['POST', 'auth/revoke']]) {
      const res = await call(c, r!, { method, headers: { 'content-type': type }, body });
      expect(res.status, `${method} ${r}: ${await res.text()}`).toBeLessThan(500);
      expectNoPollution();
    }
    // PUT /flow/global may have replaced the global configs: put the test flows back
    await c.deploy(FLOWS);
    await expectAlive(c);
  });

  it('user settings keep no prototype key, across a restart too', async () => {
    const body = '{"__proto__":{"polluted":1},"editor":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"view":{"grid":true}}}';
    expect((await call(c, 'settings/user', json(body))).status).toBe(204);
    const check = async (h: Hostile) => {
      const got = await (await call(h, 'settings/user')).text();
      expect(got).not.toContain('polluted');
      expect(JSON.parse(got).editor.view).toEqual({ grid: true });
    };
    await check(c);
    c = await expectCleanRestart(c, { prepare: loadProbe });
    await check(c);
    await c.deploy(FLOWS);
  });
});

describe('keys from inside flows', () => {
  it('http in params named __proto__, constructor, prototype', async () => {
    seen.length = 0;
    const res = await call(c, 'p/x/y/z');
    expect(res.status).toBe(200);
    const params = seen[0]!.params as Record<string, unknown>;
    expect([Object.prototype, null]).toContain(Object.getPrototypeOf(params));
    expect((params as { polluted?: unknown }).polluted).toBeUndefined();
    expectNoPollution();
  });

  it.each([
    [['__proto__.polluted']], [['constructor.prototype.polluted']], [['__proto__']], [['prototype']], [['a.__proto__.polluted']],
    [['a["__proto__"].polluted']], [["a['constructor']['prototype'].polluted"]], [['#:(memory)::__proto__.polluted']],
  ])('context keys %j', async (keys) => {
    const res = await call(c, 'ctx', json({ keys, value: { polluted: 1 } }));
    expect(res.status).toBe(200);
    const out = await res.json();
    expect(out.keys).not.toContain('polluted');
    expectNoPollution();
  });

  it('change rules writing prototype paths, and JSON / JSONata values holding them', async () => {
    seen.length = 0;
    const res = await call(c, 'change?x=1');
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expectOrdinary(seen[0]!.msg, 'msg');
    expect((seen[0]!.msg as Record<string, unknown>).payload).toEqual({ ok: true });
    await expect.poll(() => c.logs.filter((l) => /\[change:change-(flow|global)\].*__proto__|\[change:change-(flow|global)\].*constructor/.test(l)).length).toBe(2);
    expectNoPollution();
    await expectAlive(c);
  });
});
