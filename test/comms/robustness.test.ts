// /comms under abuse, on a running Crimson: a client that never reads (dropped past commsMaxBacklog, one log
// line, others unaffected), malformed frames (ignored, where Node-RED 4.1.15 crashes on some), upgrade paths nobody
// handles (destroyed after inboundWebSocketTimeout), httpAdminRoot, and stop() with clients connected.
import { afterEach, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep, until } from './ws-client.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const publish = (topic: string, data: unknown) => c!.runtime.engine.events.emit('comms', { topic, data });

describe('a client that never reads', () => {
  it('is dropped past commsMaxBacklog (default 4 MiB) with one log line; the runtime and other clients carry on', async () => {
    c = await startCrimson();
    const stuck = await openComms(commsUrl(c.url));
    stuck.ws.pause(); // stops reading its socket: the server's writes back up
    const good = await openComms(commsUrl(c.url));
    const big = 'x'.repeat(16 * 1024);
    let sent = 0;
    // 40 messages of 16 KiB every 50 ms (~13 MB/s): the reading client takes it all, the stuck one is dropped
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 40; i++) publish('flood', { n: sent++, big });
      await sleep(50);
      if (round === 20) {
        const t0 = Date.now();
        expect((await fetch(c.url + 'flows')).status).toBe(200);
        expect(Date.now() - t0).toBeLessThan(1000);
      }
    }
    await until(() => good.messages().filter((m) => m.topic === 'flood').length === sent, 5000, 'the reading client');
    const drops = c.logs.filter((l) => l.includes('Communication channel'));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatch(/\[warn\] Communication channel 127\.0\.0\.1:\d+ dropped: \d+ bytes not sent, more than commsMaxBacklog \(4194304\)/);
    // the reading client got everything, in order
    expect(good.messages().filter((m) => m.topic === 'flood').map((m) => (m.data as { n: number }).n)).toEqual([...Array(sent).keys()]);
    stuck.ws.resume();
    // 1013 if it read the close frame within the grace period, else its socket was cut (1006)
    expect([1013, 1006]).toContain(await stuck.closed);
    await good.close();
  }, 20000);

  it('stop() closes connected clients, even one that does not read', async () => {
    c = await startCrimson();
    const stuck = await openComms(commsUrl(c.url));
    stuck.ws.pause();
    const other = await openComms(commsUrl(c.url));
    const t0 = Date.now();
    await c.stop();
    c = undefined;
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(await other.closed).toBe(1001);
    stuck.ws.resume();
    await stuck.closed;
  });
});

describe('malformed frames', () => {
  it('are ignored: the connection and the runtime keep working', async () => {
    c = await startCrimson();
    const ws = await openComms(commsUrl(c.url));
    const bad = ['{', 'null', '5', '"x"', '[]', '{}', '{"subscribe":5}', '{"subscribe":""}', '{"subscribe":{"a":1}}',
      '{"topic":5,"data":1}', '{"topic":{"x":1}}', '{"__proto__":{"auth":"x"}}', '{"auth":"x"}'];
    for (const f of bad) ws.send(f);
    ws.ws.send(Buffer.from([0xff, 0xfe, 0x00, 0x01])); // binary garbage
    ws.send({ subscribe: 'notification/runtime-state' });
    const m = await ws.message('notification/runtime-state');
    expect(m.data).toEqual({ state: 'start' });
    // without adminAuth an auth frame is simply acknowledged (Node-RED 4.1.15 crashes on it)
    expect(ws.frames.filter((f) => !Array.isArray(f.value)).map((f) => f.raw)).toEqual(['{"auth":"ok"}']);
    expect((await fetch(c.url + 'flows')).status).toBe(200);
    await ws.close();
  });

  it('with adminAuth pending, a malformed frame is ignored but a primitive is an anonymous attempt (as Node-RED)', async () => {
    c = await startCrimson({ settings: { adminAuth: { type: 'credentials', users: [] } } });
    const ws = await openComms(commsUrl(c.url));
    ws.send('{');
    ws.send('null');
    await sleep(100);
    expect(ws.ws.readyState).toBe(ws.ws.OPEN);
    ws.send('5');
    expect(await ws.closed).toBe(1005);
    expect(ws.frames.map((f) => f.raw)).toEqual(['{"auth":"fail"}']);
  });
});

describe('upgrade paths', () => {
  it('other paths are destroyed after inboundWebSocketTimeout unless a node handles them', async () => {
    c = await startCrimson({ settings: { inboundWebSocketTimeout: 200 } });
    // what a websocket node would do: its own handler on the runtime's server
    const mine = new WebSocketServer({ noServer: true });
    c.runtime.server.on('upgrade', (req, socket: Duplex, head) => {
      if (req.url === '/mine') mine.handleUpgrade(req, socket, head, (s) => s.send('hello'));
    });
    const t0 = Date.now();
    for (const p of ['other', 'comms/', 'COMMS']) {
      await expect(openComms(commsUrl(c.url, p))).rejects.toThrow(/socket hang up/);
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    const node = await openComms(commsUrl(c.url, 'mine'));
    await node.until(() => node.frames.length === 1);
    expect(node.frames[0]!.raw).toBe('hello');
    await sleep(300); // past the timeout: still open
    expect(node.ws.readyState).toBe(node.ws.OPEN);
    await node.close();
    mine.close();
    const q = await openComms(commsUrl(c.url, 'comms?x=1'));
    await q.close();
  });

  it('comms lives under httpAdminRoot', async () => {
    c = await startCrimson({ settings: { httpAdminRoot: '/admin', inboundWebSocketTimeout: 100 } });
    expect(c.url).toMatch(/\/admin\/$/);
    const ws = await openComms(commsUrl(c.url));
    ws.send({ subscribe: 'notification/runtime-state' });
    await ws.message('notification/runtime-state');
    await ws.close();
    await expect(openComms(c.url.replace(/^http/, 'ws').replace(/admin\/$/, 'comms'))).rejects.toThrow(/socket hang up/);
  });

  it('there is no /comms without the editor (disableEditor)', async () => {
    c = await startCrimson({ settings: { disableEditor: true, inboundWebSocketTimeout: 100 } });
    await expect(openComms(commsUrl(c.url))).rejects.toThrow(/socket hang up/);
  });
});
