// Local storage: rev values, file layout, round trips, pretty/plaintext/read-only modes, config files, access tokens.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalStorage, type LocalStorageOptions } from '../../src/storage/local-storage.js';
import { decryptCredentials } from '../../src/storage/credential-cipher.js';
import { EMPTY_FLOWS_REV, flowsRev } from '../../src/storage/flows-file.js';
import { capturingLogger, FIXTURES, tempDir } from './helpers.js';

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), 'utf8');
const FLOWS = [
  { id: 'f1', type: 'tab', label: 'Flow 1' },
  { id: 'n1', type: 'http request', z: 'f1', name: 'req', wires: [[]] },
];

function open(dir: string, extra: Partial<LocalStorageOptions> = {}) {
  const logger = capturingLogger();
  const storage = createLocalStorage({ userDir: dir, credentialSecret: 'sekret', logger, ...extra });
  return { storage, logger };
}

describe('rev', () => {
  it('is the sha256 of the compact JSON; [] gives the known empty rev', () => {
    expect(flowsRev([])).toBe(EMPTY_FLOWS_REV);
    expect(EMPTY_FLOWS_REV).toBe('4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945');
  });

  it('matches the rev Node-RED reported for the fixture flows, on load and on save, pretty or not', async () => {
    const nodeRedRev = '2ecc07ecfb5972605b7fd3b1d3429ded025a651cde47467210678941af551aa6';
    const fixtureFlows = JSON.parse(read(path.join(FIXTURES, 'node-red-user'), 'flows.json'));
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(fixtureFlows, null, 4));
    const { storage } = open(dir, { flowFilePretty: true });
    await storage.init();
    expect((await storage.getFlows()).rev).toBe(nodeRedRev);
    expect(await storage.saveFlows(fixtureFlows, {})).toBe(nodeRedRev);
  });
});

describe('createLocalStorage: layout and round trip', () => {
  it('starts empty without writing a flows file, logging "Creating new flow file"', async () => {
    const dir = path.join(tempDir(), 'not-yet');
    const { storage, logger } = open(dir);
    await storage.init();
    expect(existsSync(dir)).toBe(true);
    expect(await storage.getFlows()).toEqual({ flows: [], credentials: {}, rev: EMPTY_FLOWS_REV });
    expect(logger.lines.some((l) => l.includes('[info] Creating new flow file'))).toBe(true);
    expect(existsSync(path.join(dir, 'flows.json'))).toBe(false);
    expect(storage.encryptionType()).toBe('user');
  });

  it('round-trips flows and credentials; compact flows; encrypted cred file; backups on the next deploy', async () => {
    const dir = tempDir();
    const { storage } = open(dir);
    await storage.init();
    await storage.getFlows();
    const rev = await storage.saveFlows(FLOWS, { n1: { user: 'u', password: 'p' } });
    expect(rev).toBe(flowsRev(FLOWS));
    expect(read(dir, 'flows.json')).toBe(JSON.stringify(FLOWS));
    const cred = JSON.parse(read(dir, 'flows_cred.json'));
    expect(decryptCredentials(cred, 'sekret')).toEqual({ n1: { user: 'u', password: 'p' } });
    expect(existsSync(path.join(dir, '.flows.json.backup'))).toBe(false);

    const second = [...FLOWS, { id: 'n2', type: 'debug', z: 'f1' }];
    await storage.saveFlows(second, { n1: { user: 'u2' } });
    expect(read(dir, '.flows.json.backup')).toBe(JSON.stringify(FLOWS));
    expect(read(dir, '.flows_cred.json.backup')).toBe(JSON.stringify(cred));

    const again = open(dir).storage;
    await again.init();
    expect(await again.getFlows()).toEqual({ flows: second, credentials: { n1: { user: 'u2' } }, rev: flowsRev(second) });
    expect(existsSync(path.join(dir, '.crimson-commit.json'))).toBe(false);
  });

  it('writes the cred file on the first deploy even for {}, then only when credentials change', async () => {
    const dir = tempDir();
    const { storage } = open(dir);
    await storage.getFlows();
    await storage.saveFlows(FLOWS, {});
    const first = read(dir, 'flows_cred.json');
    expect(decryptCredentials(JSON.parse(first), 'sekret')).toEqual({});
    await storage.saveFlows([FLOWS[0]], {});
    expect(read(dir, 'flows_cred.json')).toBe(first);
    expect(existsSync(path.join(dir, '.flows_cred.json.backup'))).toBe(false);
    await storage.saveFlows(FLOWS, { n1: { user: 'x' } });
    expect(read(dir, 'flows_cred.json')).not.toBe(first);
  });

  it('strips inline credentials from the stored flows', async () => {
    const dir = tempDir();
    const { storage } = open(dir);
    await storage.getFlows();
    const rev = await storage.saveFlows([{ id: 'a', type: 't', credentials: { p: 'secret' } }], { a: { p: 'secret' } });
    expect(read(dir, 'flows.json')).toBe('[{"id":"a","type":"t"}]');
    expect(rev).toBe(flowsRev([{ id: 'a', type: 't' }]));
  });

  it('honours flowFilePretty (4 spaces, cred file too) and a relative or absolute flowFile', async () => {
    const dir = tempDir();
    const { storage } = open(dir, { flowFile: 'my/flows_x.json', flowFilePretty: true });
    await storage.getFlows();
    await storage.saveFlows(FLOWS, { n1: { a: 1 } });
    expect(read(dir, 'my/flows_x.json')).toBe(JSON.stringify(FLOWS, null, 4));
    expect(read(dir, 'flows_x_cred.json')).toMatch(/^\{\n {4}"\$": "/);

    const other = tempDir();
    const abs = path.join(other, 'abs.json');
    const s2 = open(dir, { flowFile: abs }).storage;
    await s2.getFlows();
    await s2.saveFlows(FLOWS, {});
    await s2.saveFlows([], {});
    expect(read(other, 'abs.json')).toBe('[]');
    expect(read(other, '.abs.json.backup')).toBe(JSON.stringify(FLOWS));
    expect(existsSync(path.join(dir, 'abs_cred.json'))).toBe(true);
  });

  it('reads a file with a BOM', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows.json'), '\uFEFF' + JSON.stringify(FLOWS));
    writeFileSync(path.join(dir, '.sessions.json'), '\uFEFF{"t":{"user":"a","client":"c","expires":1}}');
    const { storage } = open(dir);
    expect((await storage.getFlows()).flows).toEqual(FLOWS);
    expect(await storage.getSessions()).toEqual({ t: { user: 'a', client: 'c', expires: 1 } });
  });

  it('rejects bad input with a clear error', async () => {
    const { storage } = open(tempDir());
    await expect(storage.saveFlows({} as never, {})).rejects.toThrow(/flows must be an array/);
    await expect(storage.saveFlows([], [] as never)).rejects.toThrow(/credentials must be an object/);
    await expect(storage.saveUserSettings([] as never)).rejects.toThrow(/expected an object/);
  });
});

describe('plaintext and read-only modes', () => {
  it('credentialSecret false stores the plain map', async () => {
    const dir = tempDir();
    const { storage, logger } = open(dir, { credentialSecret: false });
    await storage.getFlows();
    await storage.saveFlows(FLOWS, { n1: { user: 'u' } });
    expect(JSON.parse(read(dir, 'flows_cred.json'))).toEqual({ n1: { user: 'u' } });
    expect(storage.encryptionType()).toBe('disabled');
    const again = open(dir, { credentialSecret: false });
    expect((await again.storage.getFlows()).credentials).toEqual({ n1: { user: 'u' } });
    expect(again.logger.lines.some((l) => l.includes('Using unencrypted credentials'))).toBe(true);
    expect(logger.lines.some((l) => l.includes('[error]'))).toBe(false);
  });

  it('readOnly never writes: no userDir, no flows, no configs, no generated secret on disk', async () => {
    const dir = path.join(tempDir(), 'ro');
    const { storage } = open(dir, { readOnly: true, credentialSecret: undefined });
    await storage.init();
    await storage.getFlows();
    const rev = await storage.saveFlows(FLOWS, { n1: { a: 1 } });
    expect(rev).toBe(flowsRev(FLOWS));
    await storage.saveSessions({});
    await storage.saveAccessTokens({});
    await storage.saveRuntimeConfig({ a: 1 });
    await storage.saveUserSettings({ _: { x: 1 } });
    await storage.saveNodeConfig({ m: {} });
    expect(existsSync(dir)).toBe(false);
    expect(storage.encryptionType()).toBe('system');
    expect(await storage.getUserSettings()).toEqual({ _: { x: 1 } });
  });

  it('readOnly leaves an empty flows file alone while reading its backup', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows.json'), '');
    writeFileSync(path.join(dir, '.flows.json.backup'), JSON.stringify(FLOWS));
    const { storage } = open(dir, { readOnly: true });
    expect((await storage.getFlows()).flows).toEqual(FLOWS);
    expect(read(dir, 'flows.json')).toBe('');
  });
});

describe('config files and sessions', () => {
  it('saves .config.*.json with 4-space indent and backups, .sessions.json compact', async () => {
    const dir = tempDir();
    const { storage } = open(dir);
    await storage.saveUserSettings({ alice: { view: 1 } });
    await storage.saveUserSettings({ alice: { view: 2 } });
    await storage.saveNodeConfig({ 'node-red': { name: 'node-red' } });
    await storage.saveSessions({ tok: { user: 'a', client: 'node-red-editor', scope: ['*'], expires: 5 } });
    expect(read(dir, '.config.users.json')).toBe(JSON.stringify({ alice: { view: 2 } }, null, 4));
    expect(read(dir, '.config.users.json.backup')).toBe(JSON.stringify({ alice: { view: 1 } }, null, 4));
    expect(read(dir, '.config.nodes.json')).toBe(JSON.stringify({ 'node-red': { name: 'node-red' } }, null, 4));
    expect(read(dir, '.sessions.json')).toBe('{"tok":{"user":"a","client":"node-red-editor","scope":["*"],"expires":5}}');
    const again = open(dir).storage;
    expect(await again.getUserSettings()).toEqual({ alice: { view: 2 } });
    expect(await again.getNodeConfig()).toEqual({ 'node-red': { name: 'node-red' } });
  });

  it('saves access tokens to .tokens.json, compact and without a backup (a stale copy would revive revoked tokens)', async () => {
    const dir = tempDir();
    const { storage } = open(dir);
    expect(await storage.getAccessTokens()).toEqual({});
    const token = { user: 'a', name: 'ci', scope: 'read', hash: 'f'.repeat(64), created: 1 };
    await storage.saveAccessTokens({ '0123456789abcdef': token });
    await storage.saveAccessTokens({});
    await storage.saveAccessTokens({ '0123456789abcdef': token });
    expect(read(dir, '.tokens.json')).toBe(JSON.stringify({ '0123456789abcdef': token }));
    expect(readdirSync(dir).filter((f) => f.includes('tokens'))).toEqual(['.tokens.json']);
    expect(await open(dir).storage.getAccessTokens()).toEqual({ '0123456789abcdef': token });
  });

  it('returns {} for missing or corrupt files (with a warning) and drops __proto__ keys', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.config.users.json'), '{not json');
    writeFileSync(path.join(dir, '.sessions.json'), '{"__proto__":{"x":1},"t":{"user":"u","client":"c","expires":1}}');
    const { storage, logger } = open(dir);
    expect(await storage.getUserSettings()).toEqual({});
    expect(await storage.getNodeConfig()).toEqual({});
    expect(Object.keys(await storage.getSessions())).toEqual(['t']);
    expect(logger.lines.some((l) => l.includes('[warn]') && l.includes('.config.users.json'))).toBe(true);
  });

  it('restores an empty .config file from its backup', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.config.nodes.json'), '');
    writeFileSync(path.join(dir, '.config.nodes.json.backup'), '{"m":{"name":"m"}}');
    const { storage } = open(dir);
    expect(await storage.getNodeConfig()).toEqual({ m: { name: 'm' } });
    expect(read(dir, '.config.nodes.json')).toBe('{"m":{"name":"m"}}');
  });

  it('returns copies: mutating a result does not change what is stored', async () => {
    const { storage } = open(tempDir());
    await storage.saveUserSettings({ a: { x: 1 } });
    const got = await storage.getUserSettings();
    got.a.x = 2;
    expect(await storage.getUserSettings()).toEqual({ a: { x: 1 } });
  });
});

describe('a Node-RED userDir', () => {
  it('loads the fixture written by Node-RED and writes a cred file Node-RED can decrypt', async () => {
    const dir = tempDir();
    for (const f of ['flows.json', 'flows_cred.json']) writeFileSync(path.join(dir, f), read(path.join(FIXTURES, 'node-red-user'), f));
    mkdirSync(path.join(dir, 'node_modules'));
    const { storage } = open(dir, { credentialSecret: 'crimson-fixture-secret' });
    const stored = await storage.getFlows();
    expect(stored.credentials).toEqual({ n1: { user: 'u', password: 'p' } });
    await storage.saveFlows(stored.flows, { n1: { user: 'u', password: 'p2' } });
    expect(decryptCredentials(JSON.parse(read(dir, 'flows_cred.json')), 'crimson-fixture-secret')).toEqual({ n1: { user: 'u', password: 'p2' } });
    expect(read(dir, 'flows.json')).toBe(read(path.join(FIXTURES, 'node-red-user'), 'flows.json'));
  });
});
