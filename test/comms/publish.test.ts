// What a running Crimson publishes on /comms, with the frames Node-RED 4.1.15 sent a ws client for the same
// flow (http in -> function(status) -> http response, plus a debug node): retained replay, debug, status/<id>,
// notification/runtime-state|deploy, batches of at most 50 (the first 50 ms after the first message, the rest
// right behind it), the heartbeat, client frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep, type TestClient } from './ws-client.js';

const flows = [
  { id: 't1', type: 'tab', label: 'Flow 1' },
  { id: 'h1', type: 'http in', z: 't1', url: '/go', method: 'get', wires: [['f1', 'd1']] },
  {
    id: 'f1', type: 'function', z: 't1', name: 'fn', outputs: 1, wires: [['r1']],
    func: "if (msg.payload.clear) node.status({}); else node.status({fill:'red',shape:'dot',text:msg.payload.s||'hi'}); return msg;",
  },
  { id: 'd1', type: 'debug', z: 't1', name: '', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', wires: [] },
  { id: 'r1', type: 'http response', z: 't1', wires: [] },
];

let c: Started;
let ws: TestClient;
beforeAll(async () => {
  c = await startCrimson({ flows, settings: { webSocketKeepAliveTime: 300 } });
  ws = await openComms(commsUrl(c.url));
});
afterAll(async () => { await ws.close(); await c.stop(); });

const get = async (query: string) => (await fetch(`${c.url}go?${query}`)).text();
const publish = (topic: string, data: unknown, retain = false) => c.runtime.engine.events.emit('comms', { topic, data, retain });
/** Messages after the n-th, without heartbeats (they may come at any time). */
const since = (n: number) => ws.messages().slice(n).filter((m) => m.topic !== 'hb');

/** Right after a heartbeat frame nothing is queued (and the next heartbeat is 250 ms away). */
async function afterHeartbeat(): Promise<void> {
  const seen = ws.frames.length;
  await ws.until(() => ws.frames.slice(seen).some((f) => f.raw.startsWith('[{"topic":"hb"')), 2000);
}

describe('retained messages', () => {
  it('a subscribe replays the matching retained ones: runtime-state and runtime-deploy after start', async () => {
    const n = ws.messages().length;
    ws.send({ subscribe: 'notification/#' });
    await ws.message('notification/runtime-deploy');
    expect(since(n)).toEqual([
      { topic: 'notification/runtime-state', data: { state: 'start' } },
      { topic: 'notification/runtime-deploy', data: { revision: c.runtime.flows.rev } },
    ]);
  });

  it('patterns are MQTT-like: + is one level, a lone # matches only "#"', async () => {
    publish('a/b/c', { v: 1 }, true);
    const n = ws.messages().length;
    await ws.message('a/b/c');
    for (const p of ['a/+/c', 'a/#', '+/b/+', '#', 'a/+', 'a/b/c/#']) ws.send({ subscribe: p });
    await sleep(150);
    expect(since(n).map((m) => m.topic).slice(1)).toEqual(['a/b/c', 'a/b/c', 'a/b/c', 'a/b/c']);
    publish('a/b/c', { v: 2 }); // not retained: forgets the retained one
    await ws.message('a/b/c', (d) => d.v === 2);
    const m = ws.messages().length;
    ws.send({ subscribe: 'a/#' });
    await sleep(150);
    expect(since(m)).toEqual([]);
  });

  it('live messages are not filtered by subscription', async () => {
    publish('never/subscribed', { x: 1 });
    expect((await ws.message('never/subscribed')).data).toEqual({ x: 1 });
  });
});

describe('from the flows', () => {
  it('a debug node publishes its sidebar message (B7 shape)', async () => {
    await get('s=one');
    const m = await ws.message('debug', (d) => d.msg === '{"s":"one"}');
    expect(m.data).toEqual({ id: 'd1', z: 't1', path: 't1', name: '', property: 'payload', msg: '{"s":"one"}', format: 'Object' });
  });

  it('node status goes out as status/<id> {text,fill,shape}, retained; an empty status clears it', async () => {
    await get('s=lit');
    const m = await ws.message('status/f1', (d) => d.text === 'lit');
    expect(m.data).toEqual({ text: 'lit', fill: 'red', shape: 'dot' });
    let n = ws.messages().length;
    ws.send({ subscribe: 'status/#' });
    await ws.until(() => since(n).length > 0);
    expect(since(n)).toEqual([{ topic: 'status/f1', data: { text: 'lit', fill: 'red', shape: 'dot' } }]);
    n = ws.messages().length;
    await get('clear=1');
    await ws.message('debug', (d) => d.msg === '{"clear":"1"}');
    expect(since(n).filter((x) => x.topic === 'status/f1')).toEqual([{ topic: 'status/f1', data: {} }]);
    n = ws.messages().length;
    ws.send({ subscribe: 'status/#' });
    await sleep(150);
    expect(since(n).filter((x) => x.topic === 'status/f1')).toEqual([]);
  });

  it('a deploy with a missing type publishes the missing-types runtime-state, then the new revision', async () => {
    const n = ws.messages().length;
    await c.deploy([...flows, { id: 'm1', type: 'no-such-type', z: 't1', wires: [] }]);
    await ws.message('notification/runtime-deploy', (d) => d.revision === c.runtime.flows.rev);
    const notes = since(n).filter((m) => m.topic.startsWith('notification/'));
    expect(notes).toContainEqual({
      topic: 'notification/runtime-state',
      data: { state: 'stop', error: 'missing-types', type: 'warning', text: 'notification.warnings.missing-types', types: ['no-such-type'] },
    });
    expect(notes.at(-1)).toEqual({ topic: 'notification/runtime-deploy', data: { revision: c.runtime.flows.rev } });
    // it stays retained for the next editor
    const late = await openComms(commsUrl(c.url));
    late.send({ subscribe: 'notification/runtime-state' });
    expect((await late.message('notification/runtime-state')).data).toMatchObject({ error: 'missing-types' });
    await late.close();
    await c.deploy(flows);
    await ws.message('notification/runtime-state', (d) => d.state === 'start' && !d.error);
  });
});

describe('framing', () => {
  it('batches: at most 50 messages a frame, the first 50 ms after the first message, the rest right behind', async () => {
    await afterHeartbeat();
    const start = ws.frames.length;
    const t0 = Date.now();
    for (let i = 0; i < 120; i++) publish('burst', { i });
    await ws.until(() => ws.messages().filter((m) => m.topic === 'burst').length === 120);
    const frames = ws.frames.slice(start).filter((f) => (f.value as Array<{ topic: string }>).some((m) => m.topic === 'burst'));
    // (a heartbeat may ride along: frames are full until the last one)
    const sizes = frames.map((f) => (f.value as unknown[]).length);
    expect(sizes).toHaveLength(3);
    expect(sizes.slice(0, 2)).toEqual([50, 50]);
    expect(sizes[2]).toBeLessThanOrEqual(50);
    expect(frames[0]!.at - t0).toBeGreaterThanOrEqual(45);
    const burst = ws.messages().filter((m) => m.topic === 'burst').map((m) => (m.data as { i: number }).i);
    expect(burst).toEqual([...Array(120).keys()]);
  });

  it("a big burst is not paced at Node-RED's one frame every 50 ms (1,000 messages a second at most)", async () => {
    await afterHeartbeat();
    const start = ws.frames.length;
    for (let i = 0; i < 3000; i++) publish('flood', { i });
    await ws.until(() => ws.messages().filter((m) => m.topic === 'flood').length === 3000, 10000);
    const frames = ws.frames.slice(start).filter((f) => (f.value as Array<{ topic: string }>).some((m) => m.topic === 'flood'));
    expect(frames.length).toBeGreaterThanOrEqual(60);
    expect(frames.every((f) => (f.value as unknown[]).length <= 50)).toBe(true);
    // paced, the 60 frames would span 2,950 ms; here they follow each other (generous bound for a busy machine)
    expect(frames.at(-1)!.at - frames[0]!.at).toBeLessThan(1500);
    expect(ws.messages().filter((m) => m.topic === 'flood').map((m) => (m.data as { i: number }).i)).toEqual([...Array(3000).keys()]);
  });

  it('the heartbeat: [{"topic":"hb","data":<ms>}] every webSocketKeepAliveTime, always the same time', async () => {
    const n = ws.messages().length;
    const hbs = () => ws.messages().slice(n).filter((m) => m.topic === 'hb');
    await ws.until(() => hbs().length >= 2, 2000);
    const [first, second] = hbs();
    expect(typeof first!.data).toBe('number');
    expect(second!.data).toBe(first!.data);
    expect(first!.data as number).toBeLessThanOrEqual(Date.now());
    expect(ws.frames.some((f) => f.raw === `[{"topic":"hb","data":${first!.data}}]`)).toBe(true);
  });

  it('falsy data is not sent (an empty batch, as Node-RED)', async () => {
    await afterHeartbeat();
    const start = ws.frames.length;
    publish('zero', 0);
    await ws.until(() => ws.frames.slice(start).some((f) => f.raw === '[]'), 1000);
    expect(ws.messages().some((m) => m.topic === 'zero')).toBe(false);
  });
});

describe('frames from the client', () => {
  it('{topic,data} is emitted on the event bus as comms:message:<topic>', async () => {
    const got: unknown[] = [];
    c.runtime.engine.events.on('comms:message:my/topic', (e) => got.push(e));
    ws.send({ topic: 'my/topic', data: { hello: 1 } });
    await ws.until(() => got.length === 1);
    expect(got[0]).toMatchObject({ data: { hello: 1 } });
    expect(typeof (got[0] as { session: string }).session).toBe('string');
  });
});
