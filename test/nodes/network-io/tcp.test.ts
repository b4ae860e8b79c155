// tcp in / tcp out / tcp request (Node-RED's own 31-tcpin.js run through Crimson's node API) on local ports:
// a tcp in server fed by tcp out clients (stream and single modes, newline splitting, utf8/base64/buffer), replies
// to the connection a message came from, a tcp out server, and tcp request against an echo server of the test.
// Every expectation below was taken from the same flow run on Node-RED 4.1.15: the messages its debug nodes
// showed, field by field (the `_session` id and the client's port change from run to run).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugNode, freeTcpPort, inject, startNetCrimson, until, type FlowNode, type Msg, type NetCrimson } from './harness.js';

const TAB: FlowNode = { id: 'tab', type: 'tab', label: 'tcp' };
const connected = { fill: 'green', shape: 'dot', text: 'common.status.connected' };

function tcpIn(id: string, port: number, extra: Record<string, unknown>): FlowNode {
  return { id, type: 'tcp in', z: 'tab', name: '', server: 'server', host: '', port: String(port), datamode: 'stream', datatype: 'buffer', newline: '', topic: '', trim: false, base64: false, tls: '', ...extra };
}
function tcpOut(id: string, extra: Record<string, unknown>): FlowNode {
  return { id, type: 'tcp out', z: 'tab', name: '', host: '', port: '', beserver: 'client', base64: false, end: false, tls: '', wires: [], ...extra };
}
function tcpRequest(id: string, extra: Record<string, unknown>): FlowNode {
  return { id, type: 'tcp request', z: 'tab', name: '', server: '127.0.0.1', port: '', out: 'time', ret: 'buffer', splitc: '0', newline: '', trim: false, tls: '', ...extra };
}

/** What a tcp in server puts on every message: the peer, and the session a reply goes back through. */
function expectFromClient(m: Msg, session?: string): string {
  expect(m.ip).toBe('::ffff:127.0.0.1');
  expect(typeof m.port).toBe('number');
  expect(m._session).toEqual({ type: 'tcp', id: session ?? expect.stringMatching(/^[0-9a-f]{16}$/) });
  return m._session.id as string;
}
const withoutPeer = ({ ip, port, _session, _msgid, ...m }: Msg) => m;

let rt: NetCrimson;
const openSockets: net.Socket[] = [];
// a tcp in client whose connection was lost tries again after 200 ms instead of 10 s
beforeAll(async () => { rt = await startNetCrimson({ settings: { socketReconnectTime: 200 } }); });
afterAll(async () => {
  for (const s of openSockets) s.destroy();
  await rt?.stop();
});

/** A client socket of the test: what it received so far, and whether the other side closed it. */
async function connectClient(port: number): Promise<{ socket: net.Socket; localPort: number; received(): string; closed(): boolean }> {
  const socket = net.connect(port, '127.0.0.1');
  openSockets.push(socket);
  let text = '';
  let isClosed = false;
  socket.on('data', (d: Buffer) => { text += d.toString(); });
  socket.on('close', () => { isClosed = true; });
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('error', reject); });
  return { socket, localPort: socket.localPort!, received: () => text, closed: () => isClosed };
}

describe('tcp in server and tcp out client', () => {
  it('stream mode splits utf8 on the newline across writes; single mode sends the whole connection as base64 on close; buffers and base64-decoding tcp out', async () => {
    const [lines, single, bytes] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
    await rt.deploy([
      TAB,
      { ...tcpIn('lineIn', lines, { datatype: 'utf8', newline: '\\n', topic: 'lines' }), wires: [['lineD']] },
      { ...tcpIn('singleIn', single, { datamode: 'single', datatype: 'base64', topic: 'single' }), wires: [['singleD']] },
      { ...tcpIn('bytesIn', bytes, {}), wires: [['bytesD']] },
      debugNode('tab', 'lineD'), debugNode('tab', 'singleD'), debugNode('tab', 'bytesD'),
      tcpOut('lineOut', { host: '127.0.0.1', port: String(lines) }),
      tcpOut('singleOut', { host: '127.0.0.1', port: String(single), end: true }),
      tcpOut('bytesOut', { host: '127.0.0.1', port: String(bytes), base64: true }),
      inject('tab', 'sendLines', 'lineOut', [['payload', 'alpha\nbeta\ngam', 'str']]),
      inject('tab', 'sendRest', 'lineOut', [['payload', 'ma\n', 'str']]),
      inject('tab', 'sendSingle', 'singleOut', [['payload', 'hello single', 'str']]),
      inject('tab', 'sendBase64', 'bytesOut', [['payload', 'AAEC/w==', 'str']]),
    ]);
    for (const id of ['lineOut', 'singleOut', 'bytesOut']) {
      await until(() => rt.statuses(id).some((s) => s.text === connected.text), `${id} to connect`);
      expect(rt.statuses(id).at(-1)).toEqual(connected);
    }

    await rt.inject('sendLines');
    await until(() => rt.debug('lineD').length === 2, 'two whole lines');
    await rt.inject('sendRest');
    await until(() => rt.debug('lineD').length === 3, 'the line completed by the second write');
    const got = rt.debug('lineD');
    const session = expectFromClient(got[0]!);
    for (const m of got) expectFromClient(m, session);
    expect(got.map(withoutPeer)).toEqual([{ topic: 'lines', payload: 'alpha' }, { topic: 'lines', payload: 'beta' }, { topic: 'lines', payload: 'gamma' }]);
    expect(Object.keys(got[0]!)).toEqual(['topic', 'payload', 'ip', 'port', '_session', '_msgid']);

    // end: true closes the connection after the write; the server then sends what it got, base64
    await rt.inject('sendSingle');
    await until(() => rt.debug('singleD').length === 1, 'the single-mode message');
    expectFromClient(rt.debug('singleD')[0]!);
    expect(withoutPeer(rt.debug('singleD')[0]!)).toEqual({ topic: 'single', payload: Buffer.from('hello single').toString('base64') });
    // ...and the client connects again
    await until(() => rt.statuses('singleOut').filter((s) => s.text === connected.text).length === 2, 'the reconnection');

    await rt.inject('sendBase64');
    await until(() => rt.debug('bytesD').length === 1, 'the bytes');
    expectFromClient(rt.debug('bytesD')[0]!);
    expect(withoutPeer(rt.debug('bytesD')[0]!)).toEqual({ topic: '', payload: Buffer.from([0, 1, 2, 255]) });
  });

  it('tcp out "reply" answers on the connection a message came from, msg.reset closes it; the status node sees connections come and go', async () => {
    const port = await freeTcpPort();
    await rt.deploy([
      TAB,
      { ...tcpIn('echoIn', port, { name: 'echo server', datatype: 'utf8', newline: '\\n', trim: true }), wires: [['shout', 'echoD']] },
      { id: 'shout', type: 'change', z: 'tab', rules: [
        { t: 'set', p: 'reset', pt: 'msg', to: 'payload = "bye\n"', tot: 'jsonata' },
        { t: 'set', p: 'payload', pt: 'msg', to: '"echo:" & $uppercase(payload)', tot: 'jsonata' },
      ], wires: [['reply']] },
      tcpOut('reply', { beserver: 'reply' }),
      debugNode('tab', 'echoD'),
      { id: 'echoS', type: 'status', z: 'tab', scope: ['echoIn'], wires: [['echoSD']] }, debugNode('tab', 'echoSD', 'status'),
    ]);
    await until(() => rt.c.logs.some((l) => l.includes(`[tcp in:echo server] listening on port ${port}`)), 'the server to listen');
    const client = await connectClient(port);
    client.socket.write('hi there\nsecond\n');
    // trim: true keeps the newline on each line (Node-RED's naming)
    await until(() => client.received() === 'echo:HI THERE\necho:SECOND\n' && rt.debug('echoD').length === 2, 'the replies');
    const got = rt.debug('echoD');
    expect(got.map(withoutPeer)).toEqual([{ topic: '', payload: 'hi there\n' }, { topic: '', payload: 'second\n' }]);
    const session = expectFromClient(got[0]!);
    expectFromClient(got[1]!, session);
    expect(got[0]!.port).toBe(client.localPort);

    client.socket.write('bye\n');
    await until(() => client.closed(), 'the connection to be reset');
    expect(client.received()).toBe('echo:HI THERE\necho:SECOND\n');
    await until(() => rt.debug('echoSD').length === 2, 'the disconnect status');
    const source = { id: 'echoIn', type: 'tcp in', name: 'echo server' };
    expect(rt.debug('echoSD')).toEqual([
      { text: '1 connection', event: 'connect', ip: '::ffff:127.0.0.1', port: client.localPort, _session: { type: 'tcp', id: session }, source },
      { text: '0 connections', event: 'disconnect', ip: '::ffff:127.0.0.1', port: client.localPort, _session: { type: 'tcp', id: session }, source },
    ]);
  });

  it('tcp out "server" writes to every connected client', async () => {
    const port = await freeTcpPort();
    await rt.deploy([
      TAB,
      tcpOut('srv', { name: 'srv', port: String(port), beserver: 'server' }),
      inject('tab', 'toAll', 'srv', [['payload', 'broadcast\n', 'str']]),
      { id: 'srvS', type: 'status', z: 'tab', scope: ['srv'], wires: [['srvSD']] }, debugNode('tab', 'srvSD', 'status'),
    ]);
    await until(() => rt.c.logs.some((l) => l.includes(`[tcp out:srv] listening on port ${port}`)), 'the server to listen');
    const a = await connectClient(port);
    const b = await connectClient(port);
    await until(() => rt.statuses('srv').at(-1)?.text === '2 connections', 'both connections');
    await rt.inject('toAll');
    await until(() => a.received() === 'broadcast\n' && b.received() === 'broadcast\n' && rt.debug('srvSD').length === 2, 'both clients to receive');
    expect(rt.debug('srvSD').map((s) => s.text)).toEqual(['1 connection', '2 connections']);
    expect(rt.debug('srvSD')[0]!.source).toEqual({ id: 'srv', type: 'tcp out', name: 'srv' });
  });

  it('a full redeploy closes the servers and the same ports serve again', async () => {
    const port = await freeTcpPort();
    const flows = [
      TAB,
      { ...tcpIn('againIn', port, { datatype: 'utf8', newline: '\\n' }), wires: [['againD']] },
      tcpOut('againOut', { host: '127.0.0.1', port: String(port) }),
      debugNode('tab', 'againD'),
      inject('tab', 'againSend', 'againOut', [['payload', 'round\n', 'str']]),
    ];
    for (let round = 1; round <= 2; round++) {
      await rt.deploy(flows);
      await until(() => rt.statuses('againOut').some((s) => s.text === connected.text), 'the client to connect');
      await rt.inject('againSend');
      await until(() => rt.debug('againD').length === 1, `the message of round ${round}`);
      expect(rt.debug('againD')[0]!.payload).toBe('round');
    }
    expect(rt.c.logs.filter((l) => l.includes(`[tcp in:againIn] stopped listening on port`))).toHaveLength(1);
  });
});

describe('tcp in client', () => {
  it('connects to a server, splits its lines, and connects again when the server closes the connection', async () => {
    const served: net.Socket[] = [];
    const server = net.createServer((s) => {
      served.push(s);
      s.write('hello\nwor');
      // a line and a half, then the rest of the second line as the server closes the connection
      setTimeout(() => s.end('ld\n'), 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await rt.deploy([
        TAB,
        { ...tcpIn('clientIn', port, { name: 'client', server: 'client', host: '127.0.0.1', datatype: 'utf8', newline: '\\n', topic: 'c' }), wires: [['clientD']] },
        debugNode('tab', 'clientD'),
        { id: 'clientS', type: 'status', z: 'tab', scope: ['clientIn'], wires: [['clientSD']] }, debugNode('tab', 'clientSD', 'status'),
      ]);
      await until(() => rt.debug('clientD').length >= 4 && rt.debug('clientSD').length >= 5, 'two connections\' lines');
      const got = rt.debug('clientD').slice(0, 4);
      // a client's messages carry the session, no peer address
      expect(got.map(({ _msgid, _session, ...m }) => m)).toEqual([
        { topic: 'c', payload: 'hello' }, { topic: 'c', payload: 'world' }, { topic: 'c', payload: 'hello' }, { topic: 'c', payload: 'world' },
      ]);
      const [first, , second] = got.map((m) => m._session as { type: string; id: string });
      expect(got[1]!._session).toEqual(first);
      expect(second).not.toEqual(first);
      const source = { id: 'clientIn', type: 'tcp in', name: 'client' };
      expect(rt.debug('clientSD').slice(0, 5)).toEqual([
        { fill: 'green', shape: 'dot', text: 'common.status.connected', _session: first, source },
        { fill: 'red', shape: 'ring', text: 'common.status.disconnected', _session: first, source },
        { fill: 'grey', shape: 'dot', text: 'common.status.connecting', source },
        { fill: 'green', shape: 'dot', text: 'common.status.connected', _session: second, source },
        { fill: 'red', shape: 'ring', text: 'common.status.disconnected', _session: second, source },
      ]);
      expect(rt.c.logs.some((l) => l.includes(`[tcp in:client] connection lost to 127.0.0.1:${port}`))).toBe(true);
      await rt.deploy([TAB]);
    } finally {
      for (const s of served) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('tcp request', () => {
  let echo: net.Server;
  let echoPort: number;
  const echoSockets = new Set<net.Socket>();
  beforeAll(async () => {
    echo = net.createServer((s) => {
      echoSockets.add(s);
      s.on('data', (d) => s.write(d));
      s.on('close', () => echoSockets.delete(s));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    echoPort = (echo.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of echoSockets) s.destroy(); // the staying-connected request keeps its connection
    await new Promise<void>((r) => echo.close(() => r()));
  });

  it('returns the answer split on a character, as a string; a fixed byte count, as a buffer; after a quiet time; staying connected with newline splitting and msg.host/msg.port', async () => {
    await rt.deploy([
      TAB,
      { ...tcpRequest('byChar', { port: String(echoPort), out: 'char', ret: 'string', splitc: '\\n' }), wires: [['reqD']] },
      { ...tcpRequest('byCount', { port: String(echoPort), out: 'count', ret: 'buffer', splitc: '4' }), wires: [['reqD']] },
      { ...tcpRequest('byTime', { port: String(echoPort), out: 'time', ret: 'buffer', splitc: '50' }), wires: [['reqD']] },
      { ...tcpRequest('stay', { server: '', port: '', out: 'sit', ret: 'string', splitc: ' ', newline: '\\n' }), wires: [['sitD']] },
      debugNode('tab', 'reqD'), debugNode('tab', 'sitD'),
      inject('tab', 'askChar', 'byChar', [['payload', 'ping\n', 'str'], ['topic', 'req', 'str']]),
      inject('tab', 'askCount', 'byCount', [['payload', 'abcdefgh', 'str']]),
      inject('tab', 'askTime', 'byTime', [['payload', 'timed', 'str']]),
      inject('tab', 'askStay', 'stay', [['payload', 'x\ny\nz', 'str'], ['host', '127.0.0.1', 'str'], ['port', String(echoPort), 'num']]),
      { id: 'stayS', type: 'status', z: 'tab', scope: ['stay'], wires: [['staySD']] }, debugNode('tab', 'staySD', 'status'),
    ]);
    const answers = () => rt.debug('reqD').map(({ _msgid, ...m }) => m);
    await rt.inject('askChar');
    await until(() => answers().length === 1, 'the answer up to the newline');
    // the split character stays on the answer; the request's other properties stay on the message
    expect(answers()[0]).toEqual({ payload: 'ping\n', topic: 'req' });
    await rt.inject('askCount');
    await until(() => answers().length === 2, 'the first four bytes');
    expect(answers()[1]).toEqual({ payload: Buffer.from('abcd') });
    await rt.inject('askTime');
    await until(() => answers().length === 3, 'the answer after 50 ms of quiet');
    expect(answers()[2]).toEqual({ payload: Buffer.from('timed') });
    // count mode closes after its bytes: the other four never become a message (Node-RED: the same)
    expect(answers()).toHaveLength(3);

    await rt.inject('askStay');
    await until(() => rt.debug('sitD').length === 2, 'two whole lines');
    expect(rt.debug('sitD').map(({ _msgid, ...m }) => m)).toEqual([
      { payload: 'x', host: '127.0.0.1', port: echoPort },
      { payload: 'y', host: '127.0.0.1', port: echoPort },
    ]);
    const source = { id: 'stay', type: 'tcp request' };
    expect(rt.debug('staySD')).toEqual([{ source }, { fill: 'green', shape: 'dot', text: '1 connection', source }]);
  });
});
