// udp in / udp out (Node-RED's own 32-udp.js run through Crimson's node API) on local IPv4 ports: unicast from
// udp out to udp in with each payload type and each udp in datatype, address and port from the message, from a
// socket of the test, the warning for a message with nowhere to go, the /udp-ports admin route, and a redeploy
// binding the same ports again. Every expectation below was taken from the same flow run on Node-RED 4.1.15.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugNode, freeUdpPort, inject, startNetCrimson, until, type FlowNode, type Msg, type NetCrimson } from './harness.js';

const TAB: FlowNode = { id: 'tab', type: 'tab', label: 'udp' };

function udpIn(id: string, port: number, datatype: string, to: string): FlowNode {
  return { id, type: 'udp in', z: 'tab', name: '', iface: '', port: String(port), ipv: 'udp4', multicast: 'false', group: '', datatype, wires: [[to]] };
}
/** A udp out sending from `outport` (a fixed local port: the receiver's msg.port, and a key of /udp-ports). */
function udpOut(id: string, outport: number, extra: Record<string, unknown>): FlowNode {
  return { id, type: 'udp out', z: 'tab', name: '', addr: '127.0.0.1', iface: '', port: '', ipv: 'udp4', outport: String(outport), base64: false, multicast: 'false', wires: [], ...extra };
}

let rt: NetCrimson;
beforeAll(async () => { rt = await startNetCrimson(); });
afterAll(async () => { await rt?.stop(); });

/** GET /udp-ports/:id: the ports the udp nodes hold (a udp out takes its socket 75 ms after it starts). */
async function udpPorts(): Promise<string[]> {
  const res = await fetch(rt.c.url + 'udp-ports/any');
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
}
async function untilBound(ports: number[]): Promise<void> {
  const end = Date.now() + 5000;
  for (;;) {
    const bound = await udpPorts();
    if (ports.every((p) => bound.includes(String(p)))) return;
    if (Date.now() > end) throw new Error(`udp ports not bound: ${ports.join(', ')} (bound: ${bound.join(', ')})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const from = (port: number): Msg => ({ fromip: `127.0.0.1:${port}`, ip: '127.0.0.1', port });
const withoutId = ({ _msgid, ...m }: Msg) => m;

describe('udp out to udp in (IPv4 unicast)', () => {
  it('utf8, buffer and base64 receivers; string, number, object and binary payloads; address from msg; base64-decoding sender; a sender of the test', async () => {
    const [textPort, bytesPort, b64Port, fromText, fromMsg, fromB64] = await Promise.all(Array.from({ length: 6 }, () => freeUdpPort()));
    await rt.deploy([
      TAB,
      udpIn('textIn', textPort, 'utf8', 'textD'), udpIn('bytesIn', bytesPort, 'buffer', 'bytesD'), udpIn('b64In', b64Port, 'base64', 'b64D'),
      debugNode('tab', 'textD'), debugNode('tab', 'bytesD'), debugNode('tab', 'b64D'),
      udpOut('textOut', fromText, { port: String(textPort) }),
      udpOut('msgOut', fromMsg, { addr: '' }),
      udpOut('b64Out', fromB64, { port: String(b64Port), base64: true }),
      inject('tab', 'sendString', 'textOut', [['payload', 'hello udp', 'str']]),
      inject('tab', 'sendNumber', 'textOut', [['payload', '42', 'num']]),
      inject('tab', 'sendObject', 'textOut', [['payload', '{"a":1}', 'json']]),
      inject('tab', 'sendBytes', 'msgOut', [['payload', '[1,2,3]', 'bin'], ['ip', '127.0.0.1', 'str'], ['port', String(bytesPort), 'num']]),
      inject('tab', 'sendNowhere', 'msgOut', [['payload', 'no address', 'str']]),
      inject('tab', 'sendBase64', 'b64Out', [['payload', 'AAEC/w==', 'str']]),
    ]);
    await untilBound([textPort, bytesPort, b64Port, fromText, fromMsg, fromB64]);

    // one socket sends them in order, and the loopback keeps it
    for (const id of ['sendString', 'sendNumber', 'sendObject']) await rt.inject(id);
    await until(() => rt.debug('textD').length === 3, 'three datagrams');
    // a payload that is no Buffer goes as ""+payload
    expect(rt.debug('textD').map(withoutId)).toEqual([
      { payload: 'hello udp', ...from(fromText) },
      { payload: '42', ...from(fromText) },
      { payload: '[object Object]', ...from(fromText) },
    ]);
    expect(Object.keys(rt.debug('textD')[0]!)).toEqual(['payload', 'fromip', 'ip', 'port', '_msgid']);

    await rt.inject('sendBytes');
    await until(() => rt.debug('bytesD').length === 1, 'the bytes');
    expect(withoutId(rt.debug('bytesD')[0]!)).toEqual({ payload: Buffer.from([1, 2, 3]), ...from(fromMsg) });

    await rt.inject('sendNowhere');
    await until(() => rt.logged('msgOut').length === 1, 'the warning');
    expect(rt.logged('msgOut')).toEqual([{ level: 30, msg: 'udp: ip address not set' }]);

    // base64 text decoded by the sender, encoded again by the receiver
    await rt.inject('sendBase64');
    await until(() => rt.debug('b64D').length === 1, 'the base64 datagram');
    expect(withoutId(rt.debug('b64D')[0]!)).toEqual({ payload: 'AAEC/w==', ...from(fromB64) });

    const outside = dgram.createSocket('udp4');
    try {
      await new Promise<void>((r) => outside.bind(0, '127.0.0.1', () => r()));
      outside.send(Buffer.from('from outside'), textPort, '127.0.0.1');
      await until(() => rt.debug('textD').length === 4, 'the datagram of the test');
      expect(withoutId(rt.debug('textD')[3]!)).toEqual({ payload: 'from outside', ...from(outside.address().port) });
    } finally {
      outside.close();
    }
  });

  it('a redeploy releases the ports and binds them again; stopping removes them from /udp-ports', async () => {
    const [inPort, outPort] = [await freeUdpPort(), await freeUdpPort()];
    const flows = [
      TAB, udpIn('againIn', inPort, 'utf8', 'againD'), debugNode('tab', 'againD'),
      udpOut('againOut', outPort, { port: String(inPort) }),
      inject('tab', 'againSend', 'againOut', [['payload', 'again', 'str']]),
    ];
    for (let round = 1; round <= 2; round++) {
      await rt.deploy(flows);
      await untilBound([inPort, outPort]);
      await rt.inject('againSend');
      await until(() => rt.debug('againD').length === 1, `the datagram of round ${round}`);
      expect(withoutId(rt.debug('againD')[0]!)).toEqual({ payload: 'again', ...from(outPort) });
    }
    expect(rt.c.logs.filter((l) => l.includes('[udp in:againIn] udp listener stopped'))).toHaveLength(1);
    await rt.deploy([TAB]);
    const bound = await udpPorts();
    expect(bound).not.toContain(String(inPort));
    expect(bound).not.toContain(String(outPort));
  });
});
