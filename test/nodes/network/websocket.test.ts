// The websocket nodes (Node-RED's own implementation, loaded through Crimson's RED API): a websocket-listener
// served on the runtime's own HTTP server under httpNodeRoot (upgrade events reaching the node while /comms
// keeps working), websocket in/out both ways with msg._session replies and broadcasts, wholemsg mode, a
// websocket-client node connecting to a listener, and upgrades nobody answers.
// Checked on Node-RED 4.1.15 too: ORACLE=node-red npx vitest run <this file>.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject, observe, startTarget, type Observer, type Target } from './target.js';
import { scene, type Scene } from './flow-parts.js';
import { until } from '../../comms/ws-client.js';

let t: Target;
let o: Observer;

beforeAll(async () => {
  t = await startTarget({ flows: [], settings: { httpNodeRoot: '/api', inboundWebSocketTimeout: 300 } });
  o = await observe(t);
});
afterAll(async () => {
  await o?.close();
  await t?.stop();
});

/** A websocket client of the test: what it received (text frames as strings, binary ones as Buffers). */
interface Peer { ws: WebSocket; got: Array<string | Buffer>; close(): Promise<void> }

function connect(path: string): Promise<Peer> {
  const ws = new WebSocket(t.origin.replace(/^http/, 'ws') + path.replace(/^\//, ''));
  const got: Array<string | Buffer> = [];
  ws.on('message', (data, isBinary) => got.push(isBinary ? (data as Buffer) : data.toString()));
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({
      ws, got,
      async close() { if (ws.readyState !== WebSocket.CLOSED) { ws.close(); await closed; } },
    }));
    ws.once('error', reject);
  });
}

/** Connects once the listener answers (a deploy is answered before its flows run): retries until `ms`. */
async function connectWhenReady(path: string, ms = 5000): Promise<Peer> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await connect(path);
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const listener = (s: Scene, name: string, path: string, wholemsg = false) =>
  ({ id: s.id(name), type: 'websocket-listener', path, wholemsg: String(wholemsg) });
const wsIn = (s: Scene, name: string, config: string, to: string[], client = false) =>
  ({ id: s.id(name), type: 'websocket in', z: s.z, name: '', [client ? 'client' : 'server']: s.id(config), [client ? 'server' : 'client']: '', wires: [to.map((n) => s.id(n))] });
const wsOut = (s: Scene, name: string, config: string, client = false) =>
  ({ id: s.id(name), type: 'websocket out', z: s.z, name: '', [client ? 'client' : 'server']: s.id(config), [client ? 'server' : 'client']: '', wires: [] });

describe('websocket-listener under httpNodeRoot', () => {
  test('messages in carry _session; a reply with it goes to that client only; without it, to every client', async () => {
    const s = scene();
    await t.deploy([
      s.tab(), listener(s, 'l', '/ws/echo'),
      wsIn(s, 'in', 'l', ['back', 'in-debug']), wsOut(s, 'back', 'l'), s.debug('in-debug'),
      s.inject('all', 'out', { payload: ['{"to":"all"}', 'json'] }), wsOut(s, 'out', 'l'),
    ]);
    // the listener exists once the flow runs: wait for it to answer the upgrade
    const a = await connectWhenReady('/api/ws/echo');
    const b = await connect('/api/ws/echo');
    a.ws.send('hello');
    await until(() => a.got.length === 1, 3000, 'the reply');
    expect(a.got).toEqual(['hello']);
    const [msg] = await o.waitDebug(1, s.id('in-debug'));
    expect(Object.keys(msg)).toEqual(['payload', '_session', '_msgid']);
    expect(msg.payload).toBe('hello');
    expect(msg._session).toEqual({ type: 'websocket', id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    b.ws.send(Buffer.from([1, 2, 3]));
    await until(() => b.got.length === 1, 3000, 'the binary reply');
    expect(b.got).toEqual([Buffer.from([1, 2, 3])]);
    const [, bin] = await o.waitDebug(2, s.id('in-debug'));
    expect(bin.payload).toEqual({ type: 'Buffer', data: [1, 2, 3], __enc__: true, length: 3 });
    expect(bin._session.id).not.toBe(msg._session.id);
    expect(a.got).toEqual(['hello']);
    await inject(t, s.id('all'));
    await until(() => a.got.length === 2 && b.got.length === 2, 3000, 'the broadcast');
    expect([a.got[1], b.got[1]]).toEqual(['{"to":"all"}', '{"to":"all"}']);
    // the status of the in/out nodes counts the connections (the editor gets text, fill and shape only)
    expect(o.status(s.id('in')).at(-1)).toEqual({ text: 'connected 2', fill: 'green', shape: 'dot' });
    const seen = o.status(s.id('out')).length;
    await b.close();
    await until(() => o.status(s.id('out')).length > seen, 3000, 'a status after the close');
    expect(o.status(s.id('out'))[seen]).toEqual({ text: 'connected 1', fill: 'green', shape: 'dot' });
    await a.close();
    const last = await o.waitStatus(s.id('out'), (x) => x.text === 'common.status.disconnected');
    expect(last).toEqual({ text: 'common.status.disconnected', fill: 'red', shape: 'ring' });
    // /comms kept working on the same server all along
    expect(o.ws.ws.readyState).toBe(WebSocket.OPEN);
  });

  test('wholemsg: JSON text becomes the message, other values its payload; out sends the whole message', async () => {
    const s = scene();
    await t.deploy([
      s.tab(), listener(s, 'l', 'ws/whole', true),
      wsIn(s, 'in', 'l', ['back', 'in-debug']), wsOut(s, 'back', 'l'), s.debug('in-debug'),
    ]);
    const a = await connectWhenReady('/api/ws/whole');
    a.ws.send('{"payload":"x","topic":"t","_session":{"type":"forged"}}');
    a.ws.send('5');
    a.ws.send('not json');
    const [obj, num, text] = await o.waitDebug(3, s.id('in-debug'));
    expect(obj).toEqual({ payload: 'x', topic: 't', _session: { type: 'websocket', id: expect.any(String) }, _msgid: expect.any(String) });
    expect(num).toEqual({ payload: 5, _session: obj._session, _msgid: expect.any(String) });
    expect(text).toEqual({ payload: 'not json', _session: obj._session, _msgid: expect.any(String) });
    await until(() => a.got.length === 3, 3000, 'the replies');
    expect(a.got.map((g) => JSON.parse(g as string))).toEqual([
      { payload: 'x', topic: 't', _msgid: obj._msgid },
      { payload: 5, _msgid: num._msgid },
      { payload: 'not json', _msgid: text._msgid },
    ]);
    await a.close();
  });

  test('an upgrade for a path no listener has (any more) is not answered: the socket is closed', async () => {
    const s = scene();
    await t.deploy([s.tab(), listener(s, 'l', '/ws/gone'), wsIn(s, 'in', 'l', [])]);
    const a = await connectWhenReady('/api/ws/gone');
    const closed = new Promise<number>((r) => a.ws.once('close', (code) => r(code)));
    await t.deploy([s.tab()]);
    expect(await closed).toBe(1006);
    const started = Date.now();
    await expect(connect('/api/ws/gone')).rejects.toThrow(/socket hang up/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(connect('/ws/gone')).rejects.toThrow(/socket hang up/);
  });
});

describe('websocket-client', () => {
  test('connects to a listener; messages go both ways; its in/out nodes show the connection', async () => {
    const s = scene();
    const url = `${t.origin.replace(/^http/, 'ws')}api/ws/server`;
    await t.deploy([
      s.tab(), listener(s, 'l', '/ws/server'),
      { id: s.id('c'), type: 'websocket-client', path: url, tls: '', wholemsg: 'false', hb: '0', subprotocol: '', headers: [] },
      wsIn(s, 'srv-in', 'l', ['srv-debug', 'srv-reply']), s.debug('srv-debug'), wsOut(s, 'srv-reply', 'l'),
      s.inject('i', 'cli-out', { payload: ['ping', 'str'] }), wsOut(s, 'cli-out', 'c', true),
      wsIn(s, 'cli-in', 'c', ['cli-debug'], true), s.debug('cli-debug'),
    ]);
    await o.waitStatus(s.id('cli-in'), (x) => x.fill === 'green');
    expect(o.status(s.id('cli-in')).at(-1)).toEqual({ text: 'connected ', fill: 'green', shape: 'dot' });
    await o.waitStatus(s.id('srv-in'), (x) => x.text === 'connected 1');
    await inject(t, s.id('i'));
    const [atServer] = await o.waitDebug(1, s.id('srv-debug'));
    expect(atServer).toEqual({ payload: 'ping', _session: { type: 'websocket', id: expect.any(String) }, _msgid: expect.any(String) });
    const [atClient] = await o.waitDebug(1, s.id('cli-debug'));
    expect(atClient).toEqual({ payload: 'ping', _session: { type: 'websocket', id: expect.any(String) }, _msgid: expect.any(String) });
    expect(atClient._session.id).not.toBe(atServer._session.id);
    // a redeploy without them closes the client's connection (the listener's count goes back to 0)
    await t.deploy([s.tab()]);
    const a = await connect('/api/ws/server').catch((e: Error) => e);
    expect(a).toBeInstanceOf(Error);
  });
});

describe('deploys', () => {
  test('a modified-nodes deploy keeps the connections of an unchanged listener; a restarted websocket in still gets them', async () => {
    const s = scene();
    const flows = (inName: string) => [
      s.tab(), listener(s, 'l', '/ws/kept'),
      { ...wsIn(s, 'in', 'l', ['in-debug']), name: inName }, s.debug('in-debug'),
    ];
    await t.deploy(flows('first'));
    const a = await connectWhenReady('/api/ws/kept');
    a.ws.send('one');
    await o.waitDebug(1, s.id('in-debug'));
    await t.deploy(flows('second'), { 'Node-RED-Deployment-Type': 'nodes' });
    // the restarted in node registers again with the same listener: wait for its input to arrive
    await until(() => { a.ws.send('two'); return o.debug(s.id('in-debug')).some((m) => m.payload === 'two'); }, 5000, 'the restarted in node');
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    const received = o.debug(s.id('in-debug'));
    expect(new Set(received.map((m) => m._session.id)).size).toBe(1);
    await a.close();
  });

  test('two listeners on one path: the second reports the error, the first serves', async () => {
    const s = scene();
    await t.deploy([
      s.tab(), listener(s, 'l1', '/ws/dup'), listener(s, 'l2', 'ws/dup'),
      wsIn(s, 'in', 'l1', ['in-debug']), s.debug('in-debug'),
    ]);
    const a = await connectWhenReady('/api/ws/dup');
    a.ws.send('x');
    await o.waitDebug(1, s.id('in-debug'));
    const errors = o.debugData().filter((d) => d.level === 20 && d.id === s.id('l2'));
    expect(errors.map((d) => [d.type, d.msg])).toEqual([['websocket-listener', 'Cannot have two WebSocket listeners on the same path: ws/dup']]);
    await a.close();
  });
});
