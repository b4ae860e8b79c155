// The local library of a cluster (issue 16 §3) is in Redis and answers as the file library does: the same
// requests, sent to one Crimson with <userDir>/lib and to a cluster of two (saving on one, reading on the
// other), get the same answers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';

interface Answer { status: number; type: string; text: string }
const answer = async (res: Response): Promise<Answer> => ({ status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() });

const saves: Array<[string, string, string?]> = [
  ['library/local/flows/myflow', '[{"id":"a","type":"inject","z":"t"}]'],
  ['library/local/flows/dir1/sub/nested.json', '[{"id":"b","type":"debug"}]'],
  ['library/local/flows/form', 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['library/local/functions/f1', JSON.stringify({ name: 'My Func', outputs: '2', initialize: '// init\nx=1', finalize: '', info: 'line1\nline2\\back', text: 'return msg;\n// name: notmeta' })],
  ['library/local/functions/dir/f2.js', '{"name":"F2","text":"return null;"}'],
  ['library/local/functions/../escape', '{"text":"x"}'],
  ['library/local/functions/dir/', '{"text":"x"}'],
];
const reads = [
  'library/local/flows', 'library/local/flows/', 'library/local/flows/myflow', 'library/local/flows/myflow.json',
  'library/local/flows/dir1', 'library/local/flows/dir1/', 'library/local/flows/dir1/sub', 'library/local/flows/dir1/sub/nested',
  'library/local/flows/form', 'library/local/flows/missing', 'library/local/flows/missing/', 'library/local/functions',
  'library/local/functions/f1', 'library/local/functions/dir', 'library/local/functions/dir/f2.js', 'library/local/functions/dir/f2',
  'library/local/functions/..%2Fx', 'library/local/templates',
];

async function run(writer: Started, reader: Started) {
  const out: Record<string, Answer> = {};
  for (const [p, body, type] of saves) {
    out[`POST ${p}`] = await answer(await fetch(writer.url + p, { method: 'POST', headers: { 'content-type': type ?? 'application/json' }, body }));
  }
  for (const p of reads) out[`GET ${p}`] = await answer(await fetch(reader.url + p));
  return out;
}

describeRedis('cluster library', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  it('answers as the file library, saved on one instance and read on another', async () => {
    const alone = await startCrimson({ flows: [] });
    let expected: Record<string, Answer>;
    try { expected = await run(alone, alone); } finally { await alone.stop(); }
    const member = () => startCrimson({ flows: [], settings: { credentialSecret: 's', cluster: { url: redis.url, name: 'lib' } } });
    const one = await member();
    const two = await member();
    try {
      const got = await run(one, two);
      expect(got).toEqual(expected);
      expect(got['GET library/local/functions']!.text).toContain('"fn":"f1"');
    } finally {
      await one.stop();
      await two.stop();
    }
  });
});
