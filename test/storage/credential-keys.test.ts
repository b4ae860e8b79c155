// Credential keys through local storage: generated system key, migration to a user key or plaintext, bad files.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalStorage, type LocalStorageOptions } from '../../src/storage/local-storage.js';
import { decryptCredentials, encryptCredentials } from '../../src/storage/credential-cipher.js';
import { planKeys } from '../../src/storage/credential-keys.js';
import { capturingLogger, FIXTURES, tempDir } from './helpers.js';

const json = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
const FLOWS = [{ id: 'n1', type: 'http request' }];
const CREDS = { n1: { user: 'u', password: 'p' } };

function open(dir: string, credentialSecret: string | false | undefined, extra: Partial<LocalStorageOptions> = {}) {
  const logger = capturingLogger();
  return { storage: createLocalStorage({ userDir: dir, credentialSecret, logger, ...extra }), logger };
}

/** A userDir as Node-RED left it with no credentialSecret (system key). */
function nodeRedSystemDir(): string {
  const dir = tempDir();
  for (const f of ['flows.json', 'flows_cred.json', '.config.runtime.json']) copyFileSync(path.join(FIXTURES, 'node-red-system', f), path.join(dir, f));
  return dir;
}

describe('credential key handling', () => {
  it('no secret: generates _credentialSecret, saves it, warns, and reuses it after a restart', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.config.runtime.json'), JSON.stringify({ instanceId: 'abc' }));
    const { storage, logger } = open(dir, undefined);
    await storage.init();
    const runtime = json(dir, '.config.runtime.json');
    expect(runtime.instanceId).toBe('abc');
    expect(runtime._credentialSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(storage.encryptionType()).toBe('system');
    expect(logger.lines.some((l) => l.includes('[warn]') && l.includes('credentialSecret'))).toBe(true);
    await storage.getFlows();
    await storage.saveFlows(FLOWS, CREDS);
    expect(decryptCredentials(json(dir, 'flows_cred.json'), runtime._credentialSecret)).toEqual(CREDS);
    const again = open(dir, undefined).storage;
    expect((await again.getFlows()).credentials).toEqual(CREDS);
    expect(json(dir, '.config.runtime.json')._credentialSecret).toBe(runtime._credentialSecret);
  });

  it('system key: a stale runtime config saved by the runtime keeps _credentialSecret', async () => {
    const dir = nodeRedSystemDir();
    const { storage } = open(dir, undefined);
    const secret = (await storage.getRuntimeConfig())._credentialSecret;
    await storage.saveRuntimeConfig({ instanceId: 'x', telemetryEnabled: false });
    expect(json(dir, '.config.runtime.json')).toEqual({ instanceId: 'x', telemetryEnabled: false, _credentialSecret: secret });
  });

  it('reads Node-RED system-key credentials, re-encrypts with a new user secret on the next save, drops _credentialSecret', async () => {
    const dir = nodeRedSystemDir();
    const before = readFileSync(path.join(dir, 'flows_cred.json'), 'utf8');
    const { storage } = open(dir, 'my-new-secret');
    await storage.init();
    expect(storage.encryptionType()).toBe('user');
    const loaded = await storage.getFlows();
    expect(loaded.credentials).toEqual(CREDS);
    expect(readFileSync(path.join(dir, 'flows_cred.json'), 'utf8')).toBe(before);
    const staleRuntime = await storage.getRuntimeConfig();
    expect(staleRuntime._credentialSecret).toBeDefined();

    await storage.saveFlows(loaded.flows, loaded.credentials);
    expect(decryptCredentials(json(dir, 'flows_cred.json'), 'my-new-secret')).toEqual(CREDS);
    expect(json(dir, '.config.runtime.json')).toEqual({ instanceId: '414eb6890b9fe0e3' });
    await storage.saveRuntimeConfig(staleRuntime);
    expect(json(dir, '.config.runtime.json')._credentialSecret).toBeUndefined();
    expect((await open(dir, 'my-new-secret').storage.getFlows()).credentials).toEqual(CREDS);
  });

  it('finishes a migration that was cut between the cred file and .config.runtime.json', async () => {
    const dir = nodeRedSystemDir();
    writeFileSync(path.join(dir, 'flows_cred.json'), JSON.stringify(encryptCredentials(CREDS, 'user-key')));
    const { storage, logger } = open(dir, 'user-key');
    const loaded = await storage.getFlows();
    expect(loaded.credentials).toEqual(CREDS);
    expect(logger.lines.some((l) => l.includes('[error]'))).toBe(false);
    await storage.saveFlows(loaded.flows, loaded.credentials);
    expect(json(dir, '.config.runtime.json')._credentialSecret).toBeUndefined();
  });

  it('credentialSecret false with a system key: decrypts, then writes plaintext and drops the key', async () => {
    const dir = nodeRedSystemDir();
    const { storage } = open(dir, false);
    expect(storage.encryptionType()).toBe('disabled');
    const loaded = await storage.getFlows();
    expect(loaded.credentials).toEqual(CREDS);
    await storage.saveFlows(loaded.flows, loaded.credentials);
    expect(json(dir, 'flows_cred.json')).toEqual(CREDS);
    expect(json(dir, '.config.runtime.json')._credentialSecret).toBeUndefined();
  });

  it('an undecryptable file: error, empty credentials, file kept until the next deploy (then backed up)', async () => {
    const dir = tempDir();
    copyFileSync(path.join(FIXTURES, 'node-red-user', 'flows_cred.json'), path.join(dir, 'flows_cred.json'));
    const original = readFileSync(path.join(dir, 'flows_cred.json'), 'utf8');
    const { storage, logger } = open(dir, 'wrong-secret');
    expect((await storage.getFlows()).credentials).toEqual({});
    expect(logger.lines.some((l) => l.includes('[error]') && l.includes('wrong credentialSecret'))).toBe(true);
    expect(storage.credentialsLoadError()).toMatch(/wrong credentialSecret/);
    await storage.saveRuntimeConfig({ a: 1 });
    expect(readFileSync(path.join(dir, 'flows_cred.json'), 'utf8')).toBe(original);
    await storage.saveFlows(FLOWS, {});
    expect(decryptCredentials(json(dir, 'flows_cred.json'), 'wrong-secret')).toEqual({});
    expect(readFileSync(path.join(dir, '.flows_cred.json.backup'), 'utf8')).toBe(original);
    expect(storage.credentialsLoadError()).toBeNull();
  });

  it('an encrypted file with credentialSecret false and no system key cannot be read', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows_cred.json'), JSON.stringify(encryptCredentials(CREDS, 'x')));
    const { storage, logger } = open(dir, false);
    expect((await storage.getFlows()).credentials).toEqual({});
    expect(logger.lines.some((l) => l.includes('[error]') && l.includes('credentialSecret is false'))).toBe(true);
  });

  it('a cred file that is not JSON: error and empty credentials', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows_cred.json'), '{"$":"abc');
    const { storage, logger } = open(dir, 'k');
    expect((await storage.getFlows()).credentials).toEqual({});
    expect(logger.lines.some((l) => l.includes('[error]') && l.includes('not valid JSON'))).toBe(true);
  });

  it('a plaintext file while a secret is set: read, warned, and encrypted on the next save even if unchanged', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows_cred.json'), JSON.stringify(CREDS));
    const { storage, logger } = open(dir, 'k');
    const loaded = await storage.getFlows();
    expect(loaded.credentials).toEqual(CREDS);
    expect(logger.lines.some((l) => l.includes('Encrypted credentials not found'))).toBe(true);
    await storage.saveFlows(FLOWS, CREDS);
    expect(decryptCredentials(json(dir, 'flows_cred.json'), 'k')).toEqual(CREDS);
  });

  it('planKeys rejects a secret that is neither a string nor false', () => {
    expect(() => planKeys(42 as never, undefined)).toThrow(/string or false/);
    expect(planKeys('', 'sys')).toMatchObject({ type: 'user', readSecrets: ['sys', ''], migrating: true });
  });
});
