// The function node inside a real runtime: http in -> function -> http response over real HTTP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Started } from '../helpers/start-crimson.js';

// (flow nodes have x/y: without them Node-RED, and Crimson, take a node for a config node)
const fn = (id: string, url: string, func: string, extra: Record<string, unknown> = {}) => [
  { id: `in-${id}`, type: 'http in', z: 't1', url, method: 'post', x: 100, y: 100, wires: [[id]] },
  { id, type: 'function', z: 't1', name: id, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [],
    x: 300, y: 100, wires: [['res']], ...extra },
];

const flows = [
  { id: 't1', type: 'tab', label: 'T', env: [{ name: 'FN_GREETING', value: 'hello', type: 'str' }] },
  { id: 'res', type: 'http response', z: 't1', statusCode: '', headers: {}, x: 500, y: 100, wires: [] },
  ...fn('count', '/count', `context.set('n', (context.get('n') || 0) + 1);
    msg.payload = { n: context.get('n'), got: msg.payload, greeting: env.get('FN_GREETING'), started: flow.get('started') };
    return msg;`, { initialize: `flow.set('started', true);` }),
  ...fn('boom', '/boom', `if (msg.payload.fail) { null.x; } msg.payload = 'fine'; return msg;`),
  ...fn('busy', '/busy', `if (msg.payload.spin) { while (true) {} } msg.payload = 'free'; return msg;`, { timeout: 0.2 }),
  ...fn('crypto', '/hash', `msg.payload = cr.createHash('sha256').update(msg.payload.text).digest('hex'); return msg;`,
    { libs: [{ var: 'cr', module: 'node:crypto' }] }),
];

let crimson: Started;
beforeAll(async () => { crimson = await startCrimson({ flows }); });
afterAll(async () => { await crimson?.stop(); });

const post = async (path: string, body: unknown, wait = 3000) => {
  const r = await fetch(crimson.url + path.slice(1), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(wait),
  });
  return { status: r.status, body: await r.text() };
};

describe('function node over HTTP', () => {
  it('answers from the code, keeps node context between requests, sees flow env and On Start', async () => {
    const first = await post('/count', { a: 1 });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ n: 1, got: { a: 1 }, greeting: 'hello', started: true });
    expect(JSON.parse((await post('/count', {})).body).n).toBe(2);
  });

  it('survives a throwing function and a runaway loop, and serves the next request', async () => {
    await expect(post('/boom', { fail: true }, 500)).rejects.toThrow();
    expect((await post('/boom', {})).body).toBe('fine');
    expect(crimson.logs.some((l) => l.includes("Cannot read properties of null (reading 'x')"))).toBe(true);
    await expect(post('/busy', { spin: true }, 1000)).rejects.toThrow();
    expect((await post('/busy', {})).body).toBe('free');
    expect(crimson.logs.some((l) => l.includes('Script execution timed out after 200ms'))).toBe(true);
  });

  it('loads a builtin module through libs', async () => {
    const r = await post('/hash', { text: 'abc' });
    expect(r.body).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
