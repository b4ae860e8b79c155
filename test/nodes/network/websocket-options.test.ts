// The websocket nodes' options that go through Crimson's RED API: a websocket-client to an outside wss
// server verified by a tls-config node, its subprotocol and upgrade headers (fixed, and env values read from
// the flow's env), and settings.webSocketNodeVerifyClient (a function in the settings) deciding which clients
// a websocket-listener accepts. Checked on Node-RED 4.1.15 too: ORACLE=node-red npx vitest run <this file>.
import fs from 'node:fs';
import https from 'node:https';
import type http from 'node:http';
import type net from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inject, observe, startTarget, type Observer, type Target } from './target.js';
import { scene } from './flow-parts.js';
import { TLS } from './servers.js';

let t: Target;
let o: Observer;
let server: https.Server;
let wss: WebSocketServer;
let port: number;
/** The upgrade requests the outside wss server got, and the protocol it agreed to. */
const upgrades: Array<{ headers: http.IncomingHttpHeaders; protocol: string }> = [];

beforeAll(async () => {
  server = https.createServer({ cert: fs.readFileSync(TLS.certFile), key: fs.readFileSync(TLS.keyFile) });
  wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('v2.chat') ? 'v2.chat' : false) });
  wss.on('connection', (ws, req) => {
    upgrades.push({ headers: req.headers, protocol: ws.protocol });
    ws.on('message', (data) => ws.send(`echo:${data.toString()}`));
  });
  port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
  t = await startTarget({
    flows: [],
    settings: {
      inboundWebSocketTimeout: 300,
      webSocketNodeVerifyClient: (info: { req: http.IncomingMessage }) => info.req.headers['x-allow'] === 'yes',
    },
  });
  o = await observe(t);
});
afterAll(async () => {
  await o?.close();
  await t?.stop();
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
  await new Promise((r) => server?.close(r));
});

test('websocket-client: wss verified by a tls-config CA, subprotocol, upgrade headers (fixed, and env from the tab of a flow-scoped client)', async () => {
  const s = scene();
  await t.deploy([
    { ...s.tab(), env: [{ name: 'TOKEN', value: 'from-flow-env', type: 'str' }] },
    { id: s.id('tls'), type: 'tls-config', name: '', cert: '', key: '', ca: TLS.certFile, certname: '', keyname: '', caname: '', servername: '', verifyservercert: true, alpnprotocol: '' },
    {
      // on the tab (a flow-scoped config node), so that its env values come from the tab's env
      id: s.id('c'), type: 'websocket-client', z: s.z, path: `wss://127.0.0.1:${port}/chat`, tls: s.id('tls'), wholemsg: 'false', hb: '0',
      subprotocol: 'v1.chat, v2.chat',
      headers: [
        { keyType: 'other', keyValue: 'X-Fixed', valueType: 'other', valueValue: 'fixed' },
        { keyType: 'other', keyValue: 'X-Token', valueType: 'env', valueValue: 'TOKEN' },
        { keyType: 'other', keyValue: 'X-Empty', valueType: 'other', valueValue: '' },
      ],
    },
    s.inject('i', 'out', { payload: ['{"n":1}', 'json'] }),
    { id: s.id('out'), type: 'websocket out', z: s.z, name: '', server: '', client: s.id('c'), wires: [] },
    { id: s.id('in'), type: 'websocket in', z: s.z, name: '', server: '', client: s.id('c'), wires: [[s.id('got')]] },
    s.debug('got'),
  ]);
  await o.waitStatus(s.id('in'), (x) => x.fill === 'green');
  await inject(t, s.id('i'));
  const [msg] = await o.waitDebug(1, s.id('got'));
  expect(msg).toEqual({ payload: 'echo:{"n":1}', _session: { type: 'websocket', id: expect.stringMatching(/^[0-9a-f]{16}$/) }, _msgid: expect.any(String) });
  const up = upgrades.at(-1);
  expect(up!.protocol).toBe('v2.chat');
  expect(up!.headers['sec-websocket-protocol']).toBe('v1.chat, v2.chat');
  expect(up!.headers['x-fixed']).toBe('fixed');
  expect(up!.headers['x-token']).toBe('from-flow-env');
  expect(up!.headers['x-empty']).toBeUndefined();
});

test('settings.webSocketNodeVerifyClient decides which clients a websocket-listener accepts', async () => {
  const s = scene();
  await t.deploy([
    s.tab(),
    { id: s.id('l'), type: 'websocket-listener', path: '/ws/guarded', wholemsg: 'false' },
    { id: s.id('in'), type: 'websocket in', z: s.z, name: '', server: s.id('l'), client: '', wires: [[s.id('got')]] },
    s.debug('got'),
  ]);
  const url = t.origin.replace(/^http/, 'ws') + 'ws/guarded';
  const open = (headers: Record<string, string>) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
  let allowed: WebSocket | undefined;
  const end = Date.now() + 5000;
  while (!allowed) {
    allowed = await open({ 'x-allow': 'yes' }).catch((err: Error) => {
      if (Date.now() > end) throw err;
      return undefined;
    });
  }
  await expect(open({ 'x-allow': 'no' })).rejects.toThrow('Unexpected server response: 401');
  allowed.send('let in');
  const [msg] = await o.waitDebug(1, s.id('got'));
  expect(msg.payload).toBe('let in');
  allowed.close();
});

test('with settings.https the listener is served as wss on the runtime server, next to /comms', async () => {
  const s = scene();
  const cert = fs.readFileSync(TLS.certFile, 'utf8');
  const secure = await startTarget({
    flows: [
      s.tab(),
      { id: s.id('l'), type: 'websocket-listener', path: '/ws/secure', wholemsg: 'false' },
      { id: s.id('in'), type: 'websocket in', z: s.z, name: '', server: s.id('l'), client: '', wires: [[s.id('back')]] },
      { id: s.id('back'), type: 'websocket out', z: s.z, name: '', server: s.id('l'), client: '', wires: [] },
    ],
    settings: { https: { key: fs.readFileSync(TLS.keyFile, 'utf8'), cert }, inboundWebSocketTimeout: 300 },
  });
  const base = secure.origin.replace(/^http:/, 'wss:');
  const open = (path: string) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(base + path, { ca: cert });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
  try {
    const comms = await open('comms');
    let ws: WebSocket | undefined;
    const end = Date.now() + 5000;
    while (!ws) {
      ws = await open('ws/secure').catch((err: Error) => {
        if (Date.now() > end) throw err;
        return undefined;
      });
    }
    const reply = new Promise<string>((r) => ws!.once('message', (d) => r(d.toString())));
    ws.send('over tls');
    expect(await reply).toBe('over tls');
    expect(comms.readyState).toBe(WebSocket.OPEN);
    ws.close();
    comms.close();
  } finally {
    await secure.stop();
  }
});
