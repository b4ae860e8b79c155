// The `tls` option of a Redis connection (src/runtime/context/redis-tls.ts): what is accepted and the clear
// error for what is not, then the redis context store alone on a TLS-only redis-server (rediss://, a private CA):
// it works with the CA given, and fails to open without it, saying what to give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisTlsOptions, redisTlsProblem } from '../../../src/runtime/context/redis-tls.js';
import { createRedisStore } from '../../../src/runtime/context/redis-store.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { describeRedis, startRedis, type RedisServer } from '../../helpers/redis-server.js';

describe('redis tls option', () => {
  it.each([
    [undefined, 'redis://h'],
    [{}, 'rediss://h'],
    [{ ca: 'PEM' }, 'rediss://h'],
    [{ ca: [Buffer.from('a'), 'b'], cert: Buffer.from('c'), key: 'k', passphrase: 'p', servername: 'redis.lan', rejectUnauthorized: false }, 'rediss://u:p@h:6380/1'],
  ])('accepts %j with %s', (tls, url) => {
    expect(redisTlsProblem(tls, url)).toBeUndefined();
  });

  it.each<[unknown, unknown, string]>([
    ['PEM', 'rediss://h', "Invalid setting 'x.tls': expected an object, got string"],
    [{ ca: 42 }, 'rediss://h', "Invalid setting 'x.tls.ca': expected a PEM string or Buffer, or an array of them, got number"],
    [{ ca: [] }, 'rediss://h', "Invalid setting 'x.tls.ca': expected a PEM string or Buffer, or an array of them, got array"],
    [{ key: { pem: 'k' } }, 'rediss://h', "Invalid setting 'x.tls.key': expected a PEM string or Buffer, or an array of them, got object"],
    [{ rejectUnauthorized: 'no' }, 'rediss://h', "Invalid setting 'x.tls.rejectUnauthorized': expected a boolean, got string"],
    [{ cafile: '/etc/ca.pem' }, 'rediss://h', "Invalid setting 'x.tls': unknown option 'cafile' (expected ca, cert, key, passphrase, servername, rejectUnauthorized)"],
    [{ ca: 'PEM' }, 'redis://h', "Invalid setting 'x.tls': applies to a rediss:// (TLS) url, got redis://"],
    [{ ca: 'PEM' }, undefined, "Invalid setting 'x.tls': applies to a rediss:// (TLS) url, got none"],
  ])('rejects %j with %s', (tls, url, message) => {
    expect(() => redisTlsOptions(tls, url, 'x.tls')).toThrow(message);
  });

  it('gives node:tls what was set, without the unset keys', () => {
    const ca = Buffer.from('ca');
    expect(redisTlsOptions({ ca, rejectUnauthorized: true, key: undefined }, 'rediss://h', 'x')).toEqual({ ca, rejectUnauthorized: true });
  });
});

describeRedis('redis context store on a TLS-only Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis({ tls: true }); });
  afterAll(async () => { await redis?.stop(); });
  const quiet = () => createLogger({ write: () => {} });

  it('shares values between two stores over rediss:// with the CA given', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const make = () => createRedisStore({ url: redis.url, prefix: 'tls', tls: { ca: redis.pki!.ca }, settings: {} }, quiet());
    const one = make();
    const two = make();
    await one.open();
    await two.open();
    try {
      await new Promise<void>((resolve, reject) => one.set('global', 'k', { over: 'tls' }, (err) => (err ? reject(err) : resolve())));
      const end = Date.now() + 2000;
      while (two.get('global', 'k') === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      expect(two.get('global', 'k')).toEqual({ over: 'tls' });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('fails to open without the CA, saying the certificate was not accepted', async () => {
    const store = createRedisStore({ url: redis.url, prefix: 'tls', settings: {} }, quiet());
    const err = await Promise.resolve().then(() => store.open()).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(new RegExp(`cannot connect to Redis at rediss://127\\.0\\.0\\.1:${redis.port}: .*certificate.*give the CA that signed it as tls\\.ca`));
  });

  it('refuses a tls option with a redis:// url when created', () => {
    expect(() => createRedisStore({ url: 'redis://127.0.0.1:6379', tls: { ca: 'PEM' }, settings: {} }, quiet()))
      .toThrow("Invalid setting 'config.tls': applies to a rediss:// (TLS) url, got redis://");
  });
});
