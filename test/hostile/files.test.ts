// Damaged userDir files between two starts: a flows file cut off mid-write or of the wrong shape, corrupt
// credentials, sessions, runtime/nodes/users config and commit journal. The runtime always starts, answers,
// takes a deploy, and the start after that deploy is clean.
import fs from 'node:fs/promises';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { answerFlow, call, expectAlive, expectCleanRestart, expectNoPollution, json, SENTINEL, startHostile, type Hostile } from './harness.js';

const TWO = [...SENTINEL, ...answerFlow('second', '/second', { second: true })];

/**
 * Starts a runtime with `flows` (deployed, so storage wrote every file itself), deploys them a second time
 * (backups exist), stops it, lets `damage` spoil the userDir, and starts again on it.
 */
async function startDamaged(damage: (dir: string) => Promise<void>, settings = {}): Promise<Hostile> {
  const first = await startHostile({ settings, flows: [] });
  await first.runtime.flows.setFlows(TWO, { type: 'full' });
  await first.runtime.flows.setFlows(TWO, { type: 'full' });
  await first.stop({ keepDir: true });
  await damage(first.userDir);
  return startHostile({ settings, userDir: first.userDir });
}

/** After a damaged start: it answers, a deploy works, and the next start is clean. */
async function expectRecovers(c: Hostile, headers: Record<string, string> = {}): Promise<void> {
  try {
    await expectAlive(c, { sentinel: false, headers });
    expectNoPollution();
    const res = await call(c, 'flows', json(TWO, headers));
    expect(res.status, await res.clone().text()).toBe(204);
    await expectAlive(c, { headers });
    c = await expectCleanRestart(c, { headers });
  } finally {
    await c.cleanup();
  }
}

const write = (file: string, text: string | Buffer) => async (dir: string) => { await fs.writeFile(path.join(dir, file), text); };
const truncate = (file: string) => async (dir: string) => {
  const text = await fs.readFile(path.join(dir, file), 'utf8');
  await fs.writeFile(path.join(dir, file), text.slice(0, Math.floor(text.length / 2)));
};

describe('a damaged flows file', () => {
  it('cut off mid-write: the backup is used, the damaged file kept aside at the next deploy', async () => {
    const c = await startDamaged(truncate('flows.json'));
    expect((await (await call(c, 'flows')).json()).map((n: { id: string }) => n.id)).toEqual(TWO.map((n) => n.id));
    expect(await (await call(c, 'second')).json()).toEqual({ second: true });
    await c.deploy(TWO);
    expect((await fs.readdir(c.userDir)).some((f) => f.startsWith('flows.json.corrupt-'))).toBe(true);
    await expectRecovers(c);
  });

  it('cut off mid-write with no backup: starts with no flows', async () => {
    const c = await startDamaged(async (dir) => {
      await truncate('flows.json')(dir);
      await fs.rm(path.join(dir, '.flows.json.backup'));
    });
    expect(await (await call(c, 'flows')).json()).toEqual([]);
    await expectRecovers(c);
  });

  it.each([
    ['an object', '{"id":"x","type":"tab"}'],
    ['a string', '"flows"'],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7b])],
    ['a BOM and nothing else', '\uFEFF'],
    ['only whitespace', ' \n\t '],
  ])('holding %s', async (_n, text) => {
    const c = await startDamaged(async (dir) => {
      await write('flows.json', text)(dir);
      await fs.rm(path.join(dir, '.flows.json.backup'));
    });
    await expectRecovers(c);
  });

  it.each([
    ['null and numbers as nodes', '[null, 5, "x"]'],
    ['a __proto__ id', '[{"id":"__proto__","type":"tab"},{"id":"n","type":"comment","z":"__proto__"}]'],
    ['wires of the wrong type', '[{"id":"t","type":"tab"},{"id":"n","type":"function","z":"t","x":1,"y":1,"func":"return msg;","wires":"n"}]'],
    ['an array nested 50k deep', `[${'['.repeat(50000)}${']'.repeat(50000)}]`],
    ['a node property nested 50k deep', `[{"id":"t","type":"tab"},{"id":"n","type":"comment","z":"t","info":${'['.repeat(50000)}${']'.repeat(50000)}}]`],
  ])('holding valid JSON of the wrong shape: %s (the flows stay stopped, the runtime runs)', async (_n, text) => {
    const c = await startDamaged(write('flows.json', text));
    // too deep to save again is treated like a file that is not JSON (the backup is used); the rest is refused at start
    expect(c.logs.some((l) => l.includes('[error] Cannot start the flows') || l.includes('Using the flow file backup'))).toBe(true);
    await expectRecovers(c);
  });
});

describe('a flows file with duplicate ids', () => {
  it('starts and runs as Node-RED runs it (the last node of an id in its flow), with a warning', async () => {
    const c = await startDamaged(write('flows.json', JSON.stringify([...SENTINEL, ...SENTINEL])));
    try {
      expect(c.logs.filter((l) => l.includes('[warn] Duplicate node ids in the flows:'))).toHaveLength(1);
      expect(c.logs.some((l) => l.includes('Cannot start the flows'))).toBe(false);
      expect(await (await call(c, 'sentinel')).json()).toEqual({ alive: true });
    } finally {
      await expectRecovers(c);
    }
  });
});

describe('other damaged files', () => {
  it.each([
    ['flows_cred.json', 'cut off', truncate('flows_cred.json')],
    ['flows_cred.json', 'an array', write('flows_cred.json', '[]')],
    ['flows_cred.json', 'a $ number', write('flows_cred.json', '{"$":5}')],
    ['flows_cred.json', 'a $ of garbage', write('flows_cred.json', '{"$":"zzzz"}')],
    ['flows_cred.json', 'plaintext with __proto__', write('flows_cred.json', '{"__proto__":{"polluted":1},"sentinel-fn":{"__proto__":{"polluted":1}}}')],
    ['.config.runtime.json', 'cut off', truncate('.config.runtime.json')],
    ['.config.runtime.json', 'an array', write('.config.runtime.json', '[]')],
    ['.config.runtime.json', 'a secret of the wrong type', write('.config.runtime.json', '{"_credentialSecret":5,"runtimeFlowState":{}}')],
    ['.config.runtime.json', '__proto__ keys', write('.config.runtime.json', '{"__proto__":{"polluted":1,"_credentialSecret":"x"}}')],
    ['.config.nodes.json', 'cut off', write('.config.nodes.json', '{"node-red":{"name":"node-red","nodes":{"fun')],
    ['.config.nodes.json', 'odd shapes', write('.config.nodes.json', '{"node-red":{"nodes":"x"},"__proto__":{"nodes":{"function":{"enabled":false}}},"x":5}')],
    ['.config.users.json', 'garbage', write('.config.users.json', '{"_":')],
    ['.crimson-commit.json', 'garbage', write('.crimson-commit.json', '{"files":')],
    ['.crimson-commit.json', 'a journal naming odd files', write('.crimson-commit.json', '{"version":1,"files":["__proto__","flows","../x",5]}')],
    ['flows.json.$$$', 'a stray temp', write('flows.json.$$$', '[{"id":"stray"')],
  ])('%s: %s', async (_f, _n, damage) => {
    const c = await startDamaged(damage);
    expectNoPollution();
    await expectRecovers(c);
  });

  it('a truncated .config.runtime.json is restored from its backup, so the credential key survives', async () => {
    const first = await startHostile({ flows: [] });
    await first.deploy([...TWO, { id: 'cfg', type: 'comment', credentials: { x: 1 } }]);
    // a second write of the file (a runtime-wide setting) leaves the previous version as its backup
    expect((await call(first, 'settings/user', json({ telemetryEnabled: false }))).status).toBe(204);
    const secret = JSON.parse(await fs.readFile(path.join(first.userDir, '.config.runtime.json'), 'utf8'))._credentialSecret;
    await first.stop({ keepDir: true });
    await truncate('.config.runtime.json')(first.userDir);
    const c = await startHostile({ userDir: first.userDir });
    expect(JSON.parse(await fs.readFile(path.join(c.userDir, '.config.runtime.json'), 'utf8'))._credentialSecret).toBe(secret);
    expect(c.logs.some((l) => /Error loading credentials/.test(l))).toBe(false);
    await expectRecovers(c);
  });
});

describe('damaged sessions (adminAuth on)', () => {
  const settings = { adminAuth: { type: 'credentials' as const, users: [{ username: 'admin', password: bcrypt.hashSync('pw', 4), permissions: '*' }] } };
  const login = async (c: Hostile) => {
    const res = await call(c, 'auth/token', json({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'pw' }));
    return { authorization: `Bearer ${(await res.json()).access_token}` };
  };

  it.each([
    ['cut off', '{"abc":{"user":"adm'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a __proto__ session', '{"__proto__":{"user":"admin","client":"node-red-admin","scope":"*","expires":9e15}}'],
    ['entries of the wrong types', `{"${'a'.repeat(64)}":{"user":5,"expires":"x"},"x":null,"y":[1],"z":{"user":"admin","expires":1e400,"scope":{"a":1}}}`],
    ['a Node-RED raw-token entry with odd fields', '{"tok":{"user":"admin","client":"node-red-admin","scope":"*","accessToken":{"x":1},"expires":9e15}}'],
  ])('.sessions.json %s', async (_n, text) => {
    const c = await startDamaged(write('.sessions.json', text), settings);
    for (const t of ['__proto__', 'constructor', 'tok', 'a'.repeat(64), 'x']) {
      expect((await call(c, 'flows', { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    }
    const headers = await login(c);
    expectNoPollution();
    await expectRecovers(c, headers);
  });
});

describe('damaged access tokens (adminAuth on)', () => {
  const settings = { adminAuth: { type: 'credentials' as const, users: [{ username: 'admin', password: bcrypt.hashSync('pw', 4), permissions: '*' }] } };
  const login = async (c: Hostile) => {
    const res = await call(c, 'auth/token', json({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'pw' }));
    return { authorization: `Bearer ${(await res.json()).access_token}` };
  };
  const good = { user: 'admin', name: 'n', scope: '*', hash: 'a'.repeat(64), created: 1 };

  it.each([
    ['cut off', '{"0123456789abcdef":{"user":"adm'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a __proto__ token', `{"__proto__":${JSON.stringify(good)}}`],
    ['entries of the wrong types', `{"0123456789abcdef":{"user":5,"hash":"x"},"x":null,"1111111111111111":[1],"2222222222222222":${JSON.stringify({ ...good, scope: { a: 1 }, expires: 'x' })}}`],
  ])('.tokens.json %s', async (_n, text) => {
    const c = await startDamaged(write('.tokens.json', text), settings);
    for (const t of ['crpat_', 'crpat___proto__', 'crpat_' + 'a'.repeat(64), 'crpat_x']) {
      expect((await call(c, 'flows', { headers: { authorization: `Bearer ${t}` } })).status).toBe(401);
    }
    const headers = await login(c);
    const list = await call(c, 'auth/tokens', { headers });
    expect(await list.json()).toEqual({ tokens: [] });
    const made = await call(c, 'auth/tokens', json({ name: 'fresh', scope: 'read' }, headers));
    expect(made.status).toBe(201);
    const { token } = await made.json();
    expect((await call(c, 'flows', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expectNoPollution();
    await expectRecovers(c, headers);
  });
});
