// The Node-RED credentials cipher, checked against files written by a real Node-RED (fixtures/).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialKey, decryptCredentials, encryptCredentials, isEncryptedCredentials } from '../../src/storage/credential-cipher.js';
import { FIXTURES } from './helpers.js';

const fixture = (dir: string, name: string) => JSON.parse(readFileSync(path.join(FIXTURES, dir, name), 'utf8'));

describe('credential cipher (Node-RED format)', () => {
  it('decrypts a flows_cred.json written by Node-RED with a user credentialSecret', () => {
    const file = fixture('node-red-user', 'flows_cred.json');
    expect(decryptCredentials(file, 'crimson-fixture-secret')).toEqual({ n1: { user: 'u', password: 'p' } });
  });

  it('decrypts a flows_cred.json written by Node-RED with its generated _credentialSecret', () => {
    const file = fixture('node-red-system', 'flows_cred.json');
    const secret = fixture('node-red-system', '.config.runtime.json')._credentialSecret;
    expect(decryptCredentials(file, secret)).toEqual({ n1: { user: 'u', password: 'p' } });
  });

  it('writes {"$": ivHex + base64} that the Node-RED algorithm reads back', () => {
    const map = { n1: { user: 'ü', password: 'p"\n' }, n2: {} };
    const file = encryptCredentials(map, 'k');
    expect(Object.keys(file)).toEqual(['$']);
    expect(file.$).toMatch(/^[0-9a-f]{32}[A-Za-z0-9+/]+=*$/);
    // Decrypt exactly as Node-RED does, independently of our decrypt function.
    const key = createHash('sha256').update('k').digest();
    const decipher = createDecipheriv('aes-256-ctr', key, Buffer.from(file.$.substring(0, 32), 'hex'));
    const text = decipher.update(file.$.substring(32), 'base64', 'utf8') + decipher.final('utf8');
    expect(JSON.parse(text)).toEqual(map);
    expect(credentialKey('k')).toEqual(key);
  });

  it('uses a fresh IV each time', () => {
    const a = encryptCredentials({ n: { p: 'x' } }, 's');
    const b = encryptCredentials({ n: { p: 'x' } }, 's');
    expect(a.$.slice(0, 32)).not.toBe(b.$.slice(0, 32));
    expect(decryptCredentials(a, 's')).toEqual(decryptCredentials(b, 's'));
  });

  it('throws a clear error on a wrong key or a damaged file', () => {
    const file = fixture('node-red-user', 'flows_cred.json');
    expect(() => decryptCredentials(file, 'not-the-secret')).toThrow(/wrong credentialSecret/);
    expect(() => decryptCredentials({ $: 'zz' }, 's')).toThrow(/IV/);
    expect(() => decryptCredentials({ n1: {} }, 's')).toThrow(/not in the encrypted/);
    expect(() => decryptCredentials({ $: 5 }, 's')).toThrow(/not in the encrypted/);
  });

  it('recognises the encrypted shape only for a sole "$" key', () => {
    expect(isEncryptedCredentials({ $: 'x' })).toBe(true);
    expect(isEncryptedCredentials({ $: 'x', n1: {} })).toBe(false);
    expect(isEncryptedCredentials([])).toBe(false);
    expect(isEncryptedCredentials(null)).toBe(false);
  });

  it('drops __proto__ keys from decrypted content', () => {
    const file = encryptCredentials(JSON.parse('{"__proto__":{"polluted":1},"n1":{"a":1}}'), 's');
    const map = decryptCredentials(file, 's');
    expect(Object.keys(map)).toEqual(['n1']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
