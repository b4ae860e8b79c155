// When a cluster's scheduled work last fired (src/cluster/fired-marks.ts), on a real redis-server: nothing
// known before a mark, the time since it on Redis's clock after one, and nothing again once its keep time passed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFiredMarks } from '../../src/cluster/fired-marks.js';
import { connectRedis, type RedisConnection } from '../../src/runtime/context/redis-connection.js';
import { createLogger } from '../../src/runtime/logger.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

describeRedis('cluster fired marks', () => {
  let redis: RedisServer;
  let conn: RedisConnection;
  beforeAll(async () => {
    redis = await startRedis();
    conn = await connectRedis(redis.url, createLogger({ write: () => {} }), 'test');
  });
  afterAll(async () => {
    await conn?.close();
    await redis?.stop();
  });

  it('answers the ms since the last mark, per key, until the mark expires', async () => {
    const marks = createFiredMarks({ name: 'marks', connection: () => conn });
    expect(await marks.since('inject:a')).toBeUndefined();
    marks.fired('inject:a', 400);
    await new Promise((r) => setTimeout(r, 150));
    const since = await marks.since('inject:a');
    expect(since).toBeGreaterThanOrEqual(100);
    expect(since).toBeLessThan(400);
    expect(await marks.since('inject:b')).toBeUndefined();
    expect(await conn.client.get('marks:fired:inject:a')).toMatch(/^\d{13}$/);
    await new Promise((r) => setTimeout(r, 400));
    expect(await marks.since('inject:a')).toBeUndefined();
  });

  it('fails to read without a connection, and a mark then is only lost', async () => {
    const marks = createFiredMarks({ name: 'marks', connection: () => undefined });
    await expect(marks.since('inject:a')).rejects.toThrow(/not connected/);
    expect(() => marks.fired('inject:a', 1000)).not.toThrow();
  });
});
