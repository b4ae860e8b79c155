// Hostile deploys: node lists with bad ids, types, z, wires, prototype keys, self loops, huge and deep
// configs, odd credentials. A refused deploy writes nothing and leaves the running flows running (node
// context survives); an accepted one runs, and the userDir restarts cleanly afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectAlive, expectCleanError, expectCleanRestart, expectNoLeak, json, SENTINEL, snapshotDir, startHostile, type Hostile } from './harness.js';

const COUNTER = [
  { id: 'counter', type: 'tab', label: 'counter' },
  { id: 'counter-in', type: 'http in', z: 'counter', url: '/counter', method: 'get', x: 1, y: 1, wires: [['counter-fn']] },
  { id: 'counter-fn', type: 'function', z: 'counter', x: 1, y: 1, outputs: 1, timeout: 0, libs: [], wires: [['counter-res']],
    func: "const n = (context.get('n') || 0) + 1; context.set('n', n); msg.payload = { n }; return msg;" },
  { id: 'counter-res', type: 'http response', z: 'counter', x: 1, y: 1, statusCode: '', headers: {}, wires: [] },
];
const BASE = [...SENTINEL, ...COUNTER];

let c: Hostile;
beforeAll(async () => { c = await startHostile({ flows: BASE }); });
afterAll(async () => { await c?.cleanup(); });

const count = async (): Promise<number> => (await (await call(c, 'counter')).json()).n;
const node = (extra: Record<string, unknown>) => ({ id: 'h1', type: 'comment', z: 'sentinel', x: 5, y: 5, wires: [], ...extra });

/** Deploys `body` (text) and expects a clean refusal that touches nothing: files, flows and node context unchanged. */
async function expectRefused(body: string, headers: Record<string, string> = {}, status = 400): Promise<void> {
  const files = await snapshotDir(c.userDir);
  const n = await count();
  const res = await call(c, 'flows', json(body, headers));
  const answer = await expectCleanError(c, res, status);
  expect(answer.parsed, answer.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  expect(await snapshotDir(c.userDir)).toEqual(files);
  expect(await count(), 'running nodes were restarted by a refused deploy').toBe(n + 1);
  await expectAlive(c);
}

/** Deploys `body`; accepted or refused, the runtime keeps answering and restarts cleanly; then BASE is redeployed. */
async function expectSurvived(body: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await call(c, 'flows', { ...json(body, headers), timeout: 15000 });
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  expectNoLeak(text, c.userDir);
  // unknown node types are accepted, but then no flow starts (Node-RED's rule): the sentinel is down too
  const sentinel = c.runtime.flows.missingTypes.length === 0;
  await expectAlive(c, { sentinel });
  expectNoPlantedKeys();
  c = await expectCleanRestart(c, { sentinel });
  expectNoPlantedKeys();
  expect((await call(c, 'flows', json(BASE))).status).toBe(204);
  return res.status;
}

const withBase = (...nodes: unknown[]) => JSON.stringify([...BASE, ...nodes]);
/** BASE plus node h1 whose property `key` nests `depth` levels (`open`/`close` one level each). */
const deepNode = (key: string, depth: number, open: string, close: string) =>
  `[${JSON.stringify(BASE).slice(1, -1)},${JSON.stringify(node({})).slice(0, -1)},"${key}":${open.repeat(depth)}${open === '[' ? '' : '1'}${close.repeat(depth)}}]`;

describe('deploys that must be refused before anything is written', () => {
  const refused: Array<[string, string]> = [
    ['id __proto__', withBase(node({ id: '__proto__' }))],
    ['id constructor', withBase(node({ id: 'constructor' }))],
    ['id prototype', withBase(node({ id: 'prototype' }))],
    ['id missing', withBase(node({ id: undefined }))],
    ['id a number', withBase(node({ id: 5 }))],
    ['id an object', withBase(node({ id: { a: 1 } }))],
    ['type missing', withBase(node({ type: undefined }))],
    ['type a number', withBase(node({ type: 7 }))],
    ['type an object', withBase(node({ type: { __proto__: 1 } }))],
    ['z a number', withBase(node({ z: 1 }))],
    ['z an object', withBase(node({ z: { id: 'sentinel' } }))],
    ['z an array', withBase(node({ z: ['sentinel'] }))],
    ['wires a string', withBase(node({ wires: 'sentinel-res' }))],
    ['wires an object', withBase(node({ wires: { 0: ['sentinel-res'] } }))],
    ['wires [1]', withBase(node({ wires: [1] }))],
    ['wires [[1]]', withBase(node({ wires: [[1]] }))],
    ['wires [[null]]', withBase(node({ wires: [[null]] }))],
    ['wires [["x", {}]]', withBase(node({ wires: [['x', {}]] }))],
    ['a null node', withBase(null)],
    ['a string node', withBase('node')],
    ['a number node', withBase(3)],
    ['an array node', withBase([node({})])],
    // deeper than the runtime can clone, compare and save: refused up front, not half-way through the deploy
    ['a property nested 1001 deep', deepNode('info', 1001, '{"a":', '}')],
    ['a property nested 10k deep', deepNode('info', 10000, '{"a":', '}')],
    ['an array property nested 10k deep', deepNode('info', 10000, '[', ']')],
    ['a property nested 200k deep', deepNode('info', 200000, '[', ']')],
    ['inline credentials nested 10k deep', deepNode('credentials', 10000, '{"a":', '}')],
    ['a literal __proto__ key holding an id', `[${JSON.stringify(BASE).slice(1, -1)},{"type":"comment","__proto__":{"id":"sneaky"}}]`],
  ];
  it.each(refused)('%s', async (_name, body) => { await expectRefused(body); });

  it('a v2 credentials map nested 10k deep is refused and writes nothing', async () => {
    await expectRefused(`{"flows":${withBase(node({}))},"credentials":{"h1":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}}`, { 'node-red-api-version': 'v2' });
  });

  it('a v2 deploy with a stale rev is refused and writes nothing', async () => {
    await expectRefused(JSON.stringify({ flows: [...BASE, node({})], rev: 'f'.repeat(64) }), { 'node-red-api-version': 'v2' }, 409);
  });
});

describe('deploys that may be accepted, but never break the runtime or the next start', () => {
  const survivable: Array<[string, string]> = [
    ['type __proto__', withBase(node({ type: '__proto__' }))],
    ['type constructor', withBase(node({ type: 'constructor' }))],
    ['type toString', withBase(node({ type: 'toString' }))],
    ['type hasOwnProperty', withBase(node({ type: 'hasOwnProperty' }))],
    ['type subflow:__proto__', withBase(node({ type: 'subflow:__proto__' }))],
    ['type subflow:constructor', withBase(node({ type: 'subflow:constructor' }))],
    ['z __proto__', withBase(node({ z: '__proto__' }))],
    ['z constructor', withBase(node({ z: 'constructor' }))],
    ['a tab with id-like z', withBase({ id: 't9', type: 'tab', z: 't9' }, node({ z: 't9' }))],
    ['g pointing nowhere, d truthy string', withBase(node({ g: 'nope', d: 'yes' }))],
    ['a group of odd shape', withBase({ id: 'g1', type: 'group', z: 'sentinel', nodes: 'x', style: null, env: [null] })],
    ['an own __proto__ key in a node', `[${JSON.stringify(BASE).slice(1, -1)},{"id":"h1","type":"comment","z":"sentinel","__proto__":{"polluted":1}}]`],
    ['an own __proto__ key in a function node', `[${JSON.stringify(BASE).slice(1, -1)},{"id":"h2","type":"function","z":"sentinel","x":1,"y":1,"func":"return msg;","wires":[],"__proto__":{"polluted":1,"func":"x"}}]`],
    ['constructor.prototype in a node', withBase(node({ constructor: { prototype: { polluted: 1 } } }))],
    ['x and y of odd types', withBase(node({ x: {}, y: [] }))],
    ['a node wired to itself', withBase(node({ wires: [['h1']] }))],
    // accepted and run as Node-RED runs them: the last node of an id in its flow
    ['duplicate ids', withBase(node({}), node({ name: 'again', wires: [['h1']] }))],
    ['an id of the sentinel tab on another tab', withBase({ id: 't6', type: 'tab' }, node({ id: 'sentinel-fn', z: 't6' }))],
    ['100k wires to missing nodes', withBase(node({ wires: [Array.from({ length: 100000 }, (_, i) => `missing-${i}`)] }))],
    ['10k output ports', withBase(node({ wires: Array.from({ length: 10000 }, () => ['sentinel-res']) }))],
    ['5k nodes', withBase(...Array.from({ length: 5000 }, (_, i) => node({ id: `bulk-${i}`, wires: [[`bulk-${i + 1}`]] })))],
    ['a property nested 900 deep (within the bound)', deepNode('info', 900, '{"a":', '}')],
    ['tab env of junk', withBase({ id: 't8', type: 'tab', env: [null, 5, 'x', { name: '__proto__', value: 'x', type: 'str' }, { name: 'A', type: 'jsonata', value: '$$$(' }, { name: 'B', type: 'json', value: '{bad' }, { name: 'C', type: 'bin', value: '[x' }, { name: 'D', type: 'env', value: 'D' }] }, node({ z: 't8' }))],
    ['tab env not an array', withBase({ id: 't7', type: 'tab', env: { a: 1 } }, node({ z: 't7' }))],
    ['link nodes with junk links', withBase({ id: 'l1', type: 'link in', z: 'sentinel', links: [null, {}, 5, '__proto__'], wires: [] }, { id: 'l2', type: 'link out', z: 'sentinel', links: 'l1', wires: [] })],
    ['inline credentials with __proto__', `[${JSON.stringify(BASE).slice(1, -1)},{"id":"h1","type":"comment","z":"sentinel","credentials":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"user":"u"}}]`],
    ['inline credentials of the wrong type', withBase(node({ credentials: 'secret' }), node({ id: 'h2', credentials: [1, 2] }), node({ id: 'h3', credentials: null }))],
  ];
  it.each(survivable)('%s', async (_name, body) => { await expectSurvived(body); });

  const V2 = { 'node-red-api-version': 'v2' };
  const v2Maps: Array<[string, string]> = [
    ['v2 credentials map with __proto__', `{"flows":${withBase(node({}))},"credentials":{"__proto__":{"polluted":1},"h1":{"user":"u"}}}`],
    ['v2 credentials map with constructor', `{"flows":${withBase(node({}))},"credentials":{"constructor":{"prototype":{"polluted":1}}}}`],
    ['v2 credentials map with a $ string', `{"flows":${withBase(node({}))},"credentials":{"$":"not-an-encrypted-blob"}}`],
    ['v2 credentials map with a $ object', `{"flows":${withBase(node({}))},"credentials":{"$":{"__proto__":{"polluted":1}}}}`],
    ['v2 credentials map with a node __proto__', `{"flows":${withBase(node({}))},"credentials":{"h1":{"__proto__":{"polluted":1},"user":"u"}}}`],
    ['v2 credentials map with wrong types', `{"flows":${withBase(node({}), node({ id: 'h2' }))},"credentials":{"h1":"x","h2":[1]}}`],
    ['v2 credentials not an object', `{"flows":${withBase(node({}))},"credentials":"x"}`],
    ['v2 flows not an array', `{"flows":{"0":${JSON.stringify(node({}))}},"credentials":{}}`],
  ];
  it.each(v2Maps)('%s', async (_name, body) => { await expectSurvived(body, V2); });
});

/** No credential record or running node got an attacker's prototype (or a key through one). */
function expectNoPlantedKeys(): void {
  for (const [id, creds] of Object.entries(c.runtime.flows.credentials)) {
    expect([Object.prototype, null], `credentials of ${id}`).toContain(Object.getPrototypeOf(creds));
    expect((creds as Record<string, unknown>).polluted, `credentials of ${id}`).toBeUndefined();
  }
  for (const [id, n] of c.runtime.engine.nodes) {
    expect((n as unknown as Record<string, unknown>).polluted, `node ${id}`).toBeUndefined();
  }
}

describe('a deploy the disk refuses', () => {
  it('is a clean 400 without the path, the running flows keep running, and the next deploy works', async () => {
    const blocker = `${c.userDir}/flows.json.$$$`;
    const fs = await import('node:fs/promises');
    await fs.mkdir(blocker);
    try {
      const n = await count();
      const res = await call(c, 'flows', json(withBase(node({}))));
      const answer = await expectCleanError(c, res, 400);
      expect(answer.body).not.toContain('flows.json');
      expect(await count()).toBe(n + 1);
      expect(c.logs.some((l) => / - \[error\] .*EISDIR/.test(l)), 'the detail is logged').toBe(true);
      await expectAlive(c);
    } finally {
      await fs.rm(blocker, { recursive: true, force: true });
    }
    expect((await call(c, 'flows', json(withBase(node({}))))).status).toBe(204);
    c = await expectCleanRestart(c);
  });

  it('a stray directory where a commit temp goes does not stop the next start', async () => {
    const fs = await import('node:fs/promises');
    await c.stop({ keepDir: true });
    await fs.mkdir(`${c.userDir}/flows_cred.json.$$$`);
    c = await startHostile({ userDir: c.userDir });
    await expectAlive(c);
    await fs.rm(`${c.userDir}/flows_cred.json.$$$`, { recursive: true, force: true });
    c = await expectCleanRestart(c);
  });
});
