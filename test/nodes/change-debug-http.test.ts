import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

// A running Crimson, driven over HTTP: http in -> change -> http response (and a debug node), with the
// answers Node-RED 4.1.15 gives for the same flows.
const tab = { id: 't1', type: 'tab', label: 'core nodes' };
const endpoint = (id: string, method: string, url: string, rules: unknown[], extra: string[] = []) => [
  { id: `${id}-in`, z: 't1', type: 'http in', url, method, wires: [[`${id}-chg`]] },
  { id: `${id}-chg`, z: 't1', type: 'change', name: id, rules, wires: [[`${id}-out`, ...extra]] },
  { id: `${id}-out`, z: 't1', type: 'http response', wires: [] },
];
const flows = [
  tab,
  ...endpoint('todos', 'get', '/todos', [{ t: 'set', p: 'payload', pt: 'msg', to: 'todos', tot: 'global' }]),
  ...endpoint('rules', 'post', '/rules', [
    { t: 'set', p: 'topic', pt: 'msg', to: 'burst', tot: 'str' },
    { t: 'set', p: 'payload.stage', pt: 'msg', to: '3', tot: 'num' },
    { t: 'move', p: 'payload.stage', pt: 'msg', to: 'payload.done', tot: 'msg' },
    { t: 'change', p: 'payload.text', pt: 'msg', from: '(\\w+)@(\\w+)', fromt: 're', to: '$2 at $1', tot: 'str' },
    { t: 'delete', p: 'payload.drop', pt: 'msg' },
    { t: 'set', p: 'counted', pt: 'flow', to: 'payload.done', tot: 'msg' },
    { t: 'set', p: 'payload.fromFlow', pt: 'msg', to: 'counted', tot: 'flow' },
  ], ['d1']),
  ...endpoint('expr', 'post', '/expr', [{ t: 'set', p: 'payload', pt: 'msg', to: 'payload.n * 2', tot: 'jsonata' }]),
  ...endpoint('bad', 'get', '/bad', [{ t: 'set', p: 'payload', pt: 'msg', to: '{oops', tot: 'json' }]),
  ...endpoint('fail', 'get', '/fail', [{ t: 'set', p: 'payload', pt: 'msg', to: "$error('boom')", tot: 'jsonata' }]),
  { id: 'd1', z: 't1', type: 'debug', name: 'dbg', active: true, tosidebar: true, console: true, complete: 'payload.text', targetType: 'msg', wires: [] },
  { id: 'note', z: 't1', type: 'comment', name: 'just a note', wires: [] },
];

let crimson: Started;
const debugEvents: any[] = [];

beforeAll(async () => {
  crimson = await startCrimson({ flows, settings: { functionGlobalContext: { todos: [{ id: 1 }, { id: 2 }] } } });
  crimson.runtime.engine.events.on('comms', (e: { topic: string; data: unknown }) => { if (e.topic === 'debug') debugEvents.push(e.data); });
});
afterAll(async () => { await crimson.stop(); });

const post = (path: string, body: unknown) =>
  fetch(crimson.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('change node over HTTP', () => {
  it('answers the seeded global todos', async () => {
    const res = await fetch(crimson.url + 'todos');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('applies set, move, change, delete and flow rules in order', async () => {
    const res = await post('rules', { text: 'joe@home', drop: 1, keep: true });
    expect(await res.json()).toEqual({ text: 'home at joe', keep: true, done: 3, fromFlow: 3 });
  });

  it('evaluates JSONata', async () => {
    expect(await (await post('expr', { n: 21 })).json()).toBe(42);
  });

  it('a node with an invalid rule reports it at deploy and ignores messages', async () => {
    expect(crimson.logs.some((l) => l.includes("[error] [change:bad] Invalid 'to' JSON property"))).toBe(true);
    await expect(fetch(crimson.url + 'bad', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });

  it('a JSONata error is reported with the message, which is dropped', async () => {
    await expect(fetch(crimson.url + 'fail', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(crimson.logs.some((l) => l.includes('[error] [change:fail] Invalid JSONata expression: boom'))).toBe(true);
  });
});

describe('debug node in a running Crimson', () => {
  it('logs the property to the console and publishes the sidebar message', async () => {
    debugEvents.length = 0;
    await post('rules', { text: 'ann@work' });
    await waitFor(() => debugEvents.length > 0);
    expect(crimson.logs.some((l) => /\[info\] \[debug:dbg\] work at ann$/.test(l))).toBe(true);
    const { path, ...rest } = debugEvents[0];
    expect(typeof path).toBe('string');
    expect(JSON.parse(JSON.stringify(rest))).toEqual({
      id: 'd1', z: 't1', name: 'dbg', topic: 'burst', property: 'payload.text', msg: 'work at ann', format: 'string[11]',
    });
  });

  it('POST /debug/:id/(enable|disable) flips the sidebar output', async () => {
    const call = (p: string, body?: unknown) => fetch(crimson.url + p, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    let res = await call('debug/d1/disable');
    expect([res.status, await res.text()]).toEqual([201, 'Created']);
    debugEvents.length = 0;
    await (await post('rules', { text: 'a@b' })).json();
    await new Promise((r) => setTimeout(r, 30));
    expect(debugEvents).toEqual([]);

    res = await call('debug/enable', { nodes: ['d1', 'nope'] });
    expect([res.status, await res.text()]).toEqual([200, 'OK']);
    await (await post('rules', { text: 'c@d' })).json();
    await waitFor(() => debugEvents.length > 0);
    expect(debugEvents.map((e) => e.msg)).toEqual(['d at c']);

    expect((await call('debug/nope/enable')).status).toBe(404);
    expect((await call('debug/d1/toggle')).status).toBe(404);
    expect((await call('debug/enable')).status).toBe(400);
    expect((await call('debug/toggle', { nodes: [] })).status).toBe(404);
    expect((await call('debug/d1/enable')).status).toBe(200);
  });
});
