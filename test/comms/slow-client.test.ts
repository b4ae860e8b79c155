// A /comms client that stops reading while a flow floods debug messages, on a running Crimson with a small
// commsMaxBacklog: it is dropped (one warning naming its address, close 1013 or its socket cut) while a reading
// client keeps receiving every message, the server never holds much more than the bound for it, and the same
// address / session may connect again.
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep, until, type TestClient } from './ws-client.js';

const BOUND = 256 * 1024;

// inject (once) -> function sending 20 messages every 10 ms (~2,000 a second: twice what Node-RED's pacing of
// one 50-message frame every 50 ms lets through) -> debug; each debug message is ~450 bytes of JSON
const flows = [
  { id: 't1', type: 'tab', label: 'Flood' },
  { id: 'i1', type: 'inject', z: 't1', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', crontab: '', once: true, onceDelay: 0.1, topic: '', wires: [['f1']] },
  {
    id: 'f1', type: 'function', z: 't1', name: 'flood', outputs: 1, wires: [['d1']],
    func: "let n = 0; const pad = 'x'.repeat(300);\nsetInterval(() => { for (let i = 0; i < 20; i++) node.send({ payload: pad + ' ' + (n++) }); }, 10);\nreturn null;",
  },
  { id: 'd1', type: 'debug', z: 't1', name: '', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', wires: [] },
];

/** A masked client text frame (payload under 126 bytes). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

interface RawClient { socket: net.Socket; ended: Promise<void> }

/** A websocket client by hand on a raw TCP socket: upgrade, subscribe to debug, then it never reads again. */
async function stuckClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => { /* a reset is one way for it to end */ });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  socket.write(`GET /comms HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
    + `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let head = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(); else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
  });
  socket.write(textFrame(JSON.stringify({ subscribe: 'debug' })));
  socket.pause(); // from here on nothing is read: the kernel buffers fill, then the server's writes back up
  return { socket, ended };
}

/** Rejects after ms unless the promise settled. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

let c: Started | undefined;
const open: TestClient[] = [];
let raw: net.Socket | undefined;
afterEach(async () => {
  raw?.destroy();
  raw = undefined;
  for (const ws of open.splice(0)) await ws.close();
  await c?.stop();
  c = undefined;
});

/** The flood's debug messages (the runtime's warnings go to the debug sidebar too). */
const flood = (ws: TestClient) => ws.messages().filter((m) => m.topic === 'debug' && (m.data as { id?: string }).id === 'd1');
/** The numbers they carry, in arrival order. */
const floodNumbers = (ws: TestClient) => flood(ws).map((m) => Number((m.data as { msg: string }).msg.split(' ')[1]));
const debugCount = (ws: TestClient) => flood(ws).length;
const dropLines = () => c!.logs.filter((l) => l.includes('Communication channel'));

describe('a client that stops reading during a debug flood', () => {
  it('is dropped with one warning; the reading client gets every message; the server holds about the bound for it', async () => {
    c = await startCrimson({ flows, settings: { commsMaxBacklog: BOUND } });
    // the server's end of each upgraded connection, by the client's port
    const serverEnds = new Map<number, Duplex>();
    c.runtime.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => serverEnds.set(req.socket.remotePort!, socket));

    const reader = await openComms(commsUrl(c.url));
    open.push(reader);
    reader.send({ subscribe: 'debug' });
    const stuck = await stuckClient(c.url);
    raw = stuck.socket;
    const port = stuck.socket.localPort!;
    await until(() => serverEnds.has(port), 3000, 'the upgrade');
    const serverEnd = serverEnds.get(port) as net.Socket;
    const serverClosed = new Promise<void>((resolve) => serverEnd.once('close', () => resolve()));

    // until the drop, what the server's socket holds for the stuck client stays near the bound
    let most = 0;
    const sampler = setInterval(() => { most = Math.max(most, serverEnd.writableLength); }, 5);
    try {
      await until(() => dropLines().length > 0, 60000, 'the drop');
      await within(serverClosed, 5000, 'the server to let go of the socket');
    } finally {
      clearInterval(sampler);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(BOUND + 64 * 1024);
    expect(serverEnd.destroyed).toBe(true);

    // one warning, naming the stuck client's address and its backlog; the reading client is not dropped
    const lines = dropLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[warn\]/);
    expect(lines[0]).toContain(`Communication channel 127.0.0.1:${port} dropped: `);
    const backlog = Number(/dropped: (\d+) bytes not sent/.exec(lines[0]!)![1]);
    expect(backlog).toBeGreaterThan(BOUND);
    expect(backlog).toBeLessThanOrEqual(BOUND + 64 * 1024);

    // the reading client keeps receiving (it would have been dropped too had it fallen behind the flood)
    const atDrop = debugCount(reader);
    expect(atDrop).toBeGreaterThan(1000);
    await reader.until(() => debugCount(reader) >= atDrop + 3000, 20000);
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
    const got = floodNumbers(reader);
    expect(got).toEqual([...Array(got.length).keys()]); // every message, in order

    // the stuck client, reading again, finds its connection over
    stuck.socket.resume();
    await within(stuck.ended, 10000, 'the stuck client to be disconnected');

    // the same address may connect again (the editor reconnects after any close), and the flood reaches it
    const back = await openComms(commsUrl(c.url));
    open.push(back);
    back.send({ subscribe: 'debug' });
    await back.until(() => debugCount(back) >= 100, 10000);
    expect(dropLines()).toHaveLength(1);
  }, 120000);

  it('gets close code 1013 if it reads in time; the editor session connects again with the same token', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    c = await startCrimson({
      flows,
      settings: { commsMaxBacklog: BOUND, adminAuth: { type: 'credentials', users: [{ username: 'admin', password: hash, permissions: '*' }] } },
    });
    const res = await fetch(c.url + 'auth/token', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: 'admin', password: 'pw' }),
    });
    const token = (await res.json() as { access_token: string }).access_token;
    const events = c.runtime.engine.events;
    const added: string[] = [];
    events.on('comms:connection-added', (e: { session: string }) => added.push(e.session));

    const slow = await openComms(commsUrl(c.url));
    open.push(slow);
    slow.send({ auth: token });
    await slow.until(() => slow.frames.some((f) => f.raw === '{"auth":"ok"}'));
    slow.send({ subscribe: 'debug' });
    await slow.until(() => debugCount(slow) > 0, 5000);
    expect(added).toHaveLength(1);
    // it stops reading; it reads again the moment the server gives up on it, so the close frame reaches it
    slow.ws.pause();
    events.on('comms:connection-removed', (e: { session: string }) => { if (e.session === added[0]) slow.ws.resume(); });
    expect(await within(slow.closed, 60000, 'the drop')).toBe(1013);
    expect(dropLines()).toHaveLength(1);

    // the editor reconnects: same token, same address
    const back = await openComms(commsUrl(c.url));
    open.push(back);
    back.send({ auth: token });
    await back.until(() => back.frames.some((f) => f.raw === '{"auth":"ok"}'));
    back.send({ subscribe: 'debug' });
    await back.until(() => debugCount(back) >= 100, 10000);
  }, 120000);
});
