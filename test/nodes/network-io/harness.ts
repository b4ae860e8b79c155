// Test harness for the network i/o nodes (mqtt, tcp, udp), which Crimson runs from Node-RED's own files through
// its node API: a real Crimson on 127.0.0.1 with a /comms client subscribed to the debug sidebar and to node
// status, deploys that give every tab node a position (Node-RED takes a node without x/y for a config node), the
// messages each debug node showed (decoded back to values, Buffers included), free local ports, and polling
// with a deadline.
import dgram from 'node:dgram';
import { startCrimson, type Started } from '../../helpers/start-crimson.js';
import { commsUrl, openComms, type TestClient } from '../../comms/ws-client.js';
import type { Settings } from '../../../src/settings/types.js';
import { freePort } from '../../helpers/free-port.js';

export type Msg = Record<string, any>;
export type FlowNode = Record<string, unknown> & { id: string; type: string };

export interface NetCrimson {
  readonly c: Started;
  /** Full deploy (or `nodes`: a modified-nodes deploy); clears what the debug nodes showed before. */
  deploy(flows: FlowNode[], type?: 'full' | 'nodes'): Promise<void>;
  /** Presses an inject node. */
  inject(id: string): Promise<void>;
  /** The messages debug node `id` showed so far, decoded (`complete: "true"` or `"status"` debug nodes). */
  debug(id: string): Msg[];
  /** Log entries (warn/error) a node sent to the debug sidebar. */
  logged(id: string): Array<{ level: number; msg: string }>;
  /** Status objects published for node `id` on /comms (status/<id>) since the last deploy. */
  statuses(id: string): Msg[];
  /** Resolves once `check()` holds; fails after `ms`. */
  until(check: () => boolean, what: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The debug sidebar's encoding undone: encoded Buffers become Buffers, encoded `undefined` goes away. */
export function decodeDebug(text: string): Msg {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && v.__enc__ === true) {
      if (v.type === 'Buffer') return Buffer.from(v.data as number[]);
      if (v.type === 'undefined') return undefined;
    }
    return v;
  }) as Msg;
}

/** Tab nodes get a position unless they have one: without x/y Node-RED (and Crimson) takes them for config nodes. */
const placed = (flows: FlowNode[]) => flows.map((n) => (n.z && n.type !== 'tab' && n.x === undefined ? { ...n, x: 100, y: 100 } : n));

export async function startNetCrimson(opts: { settings?: Settings; userDir?: string } = {}): Promise<NetCrimson> {
  const c = await startCrimson(opts);
  const ws: TestClient = await openComms(commsUrl(c.url));
  ws.send({ subscribe: 'debug' });
  ws.send({ subscribe: 'status/#' });
  const debugData = () => ws.messages().filter((m) => m.topic === 'debug').map((m) => m.data as Msg);
  return {
    c,
    async deploy(flows, type = 'full') {
      ws.frames.splice(0);
      const res = await fetch(c.url + 'flows', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': type },
        body: JSON.stringify(placed(flows)),
      });
      if (res.status !== 204) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
    },
    async inject(id) {
      const res = await fetch(c.url + 'inject/' + id, { method: 'POST' });
      if (res.status !== 200) throw new Error(`inject ${id}: ${res.status}`);
    },
    debug: (id) => debugData().filter((d) => d.id === id && d.level === undefined).map((d) => decodeDebug(d.msg as string)),
    logged: (id) => debugData().filter((d) => d.id === id && d.level !== undefined).map((d) => ({ level: d.level as number, msg: d.msg as string })),
    statuses: (id) => ws.messages().filter((m) => m.topic === 'status/' + id).map((m) => m.data as Msg),
    until,
    async stop() { await ws.close(); await c.stop(); },
  };
}

/** A TCP port nothing listens on at 127.0.0.1 just now. */
export const freeTcpPort = freePort;

/** A UDP port free on 127.0.0.1 just now (bound once with port 0, then released). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** An inject node on tab `z` whose button sets `props` ([property, value, type]) and sends to `to`. */
export function inject(z: string, id: string, to: string, props: Array<[string, string, string]>): FlowNode {
  return { id, type: 'inject', z, props: props.map(([p, v, vt]) => ({ p, v, vt })), repeat: '', once: false, wires: [[to]] };
}

/** A debug node on tab `z` showing the whole message (`complete: "true"`), or what `complete` names. */
export function debugNode(z: string, id: string, complete = 'true'): FlowNode {
  return { id, type: 'debug', z, active: true, tosidebar: true, console: false, complete, wires: [] };
}
