// Test harness for the switch node: runs one node configuration and a list of messages through either
// Crimson's native switch or Node-RED's own 10-switch.js (both through Crimson's node API, with Crimson's
// RED.util and the core message catalogue), and records a transcript — every delivery (output port, the
// message encoded, whether it is the very input object or a copy), every node.error routed with a message
// (the error and which input it names), every log entry — in the order they happened.
import { createRequire } from 'node:module';
import { Node, initNode, inheritNode } from '../../src/runtime/node.js';
import type { NodeConfig } from '../../src/runtime/types.js';
import type { RED } from '../../src/registry/red-types.js';
import { redUtil } from '../../src/registry/red-util.js';
import { createMessageCatalogs } from '../../src/registry/red-i18n.js';
import { coreCatalog } from '../../src/registry/core-definitions.js';
import nativeSwitch from '../../src/nodes/switch.js';
import { FakeFlow } from './fake-red.js';

type Msg = Record<string, any>;
export type Impl = 'node-red' | 'native';

const nodeRedSwitch = createRequire(import.meta.url)('@node-red/nodes/core/function/10-switch.js') as (red: RED) => void;
const catalogs = createMessageCatalogs('en-US');
catalogs.register('node-red', coreCatalog());

/** Values as JSON-comparable data: Buffers, undefined, NaN, Dates, RegExps and null-prototype objects tagged. */
export function encode(v: unknown): unknown {
  if (v === undefined) return { $undef: 1 };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
  if (Buffer.isBuffer(v)) return { $buf: [...v] };
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof RegExp) return { $re: String(v) };
  if (typeof v === 'function') return { $fn: 1 };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? { $nullProto: 1 } : {};
    for (const k of Object.keys(v)) out[k] = encode((v as Msg)[k]);
    return out;
  }
  return v;
}

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : typeof err === 'string' ? err : JSON.stringify(encode(err)));

class RecordingFlow extends FakeFlow {
  readonly events: unknown[] = [];
  readonly inputs: object[] = [];
  private readonly labels = new Map<unknown, string>();

  /** Which input a message is (by identity), or "copy". */
  refOf(msg: unknown): string {
    const i = this.inputs.indexOf(msg as object);
    return i < 0 ? 'copy' : `input${i}`;
  }

  /** Sequence ids the node made are random: each gets a label in order of appearance. */
  private labelled(msg: Msg): unknown {
    const e = encode(msg) as Msg;
    const id = e.parts?.id;
    if (id !== undefined && !this.inputs.some((m) => (m as Msg).parts?.id === id)) {
      if (!this.labels.has(id)) this.labels.set(id, `new-id-${this.labels.size}`);
      e.parts.id = this.labels.get(id);
    }
    return e;
  }

  override deliver(_from: Node, to: Node, msg: object): void {
    this.events.push({ port: to.id, ref: this.refOf(msg), msg: this.labelled(msg as Msg) });
  }
  override handleError(_node: Node, err: unknown, msg: Record<string, unknown>): boolean {
    this.events.push({ error: describe(err), about: this.refOf(msg) });
    return true;
  }
  override log(entry: { level: number; msg: unknown }): void {
    this.events.push({ log: entry.level, text: describe(entry.msg) });
  }
}

export interface SwitchCase {
  /** The node's config (id, type and wires are added); `rules` is copied for each run (Node-RED's changes it). */
  node: Record<string, unknown>;
  /** The messages, made anew for each run. */
  inputs: () => Msg[];
  /** Send all messages at once (else each after the previous has settled). */
  burst?: boolean;
  settings?: Record<string, unknown>;
  /** Number of outputs (default: one per rule). */
  outputs?: number;
}

/** Context and env every run starts with. */
async function seed(flow: FakeFlow): Promise<void> {
  flow.env = { FOO: 'bar', NUM: '7', EMPTY: '' };
  const f = flow.flowCtx;
  const g = flow.globalCtx;
  for (const [k, v] of Object.entries({ k: 5, s: 'abc', obj: { a: 1 }, lim: { t1: 3, t2: 'x' }, nul: null, arr: [1, 2] })) f.set(k, v);
  for (const [k, v] of Object.entries({ mode: 'on', n: '10', lim: { t1: 8 } })) g.set(k, v);
  f.set('k', 7, 'other');
  g.set('mode', 'other-on', 'other');
  await new Promise<void>((resolve) => f.set('k', 9, 'slow', () => g.set('mode', 'slow-on', 'slow', () => resolve())));
}

/** Waits until nothing has happened for `quietTurns` turns of the event loop (timers included). */
async function settle(flow: RecordingFlow, quietTurns: number): Promise<void> {
  let quiet = 0;
  let seen = -1;
  for (let i = 0; i < 2000 && quiet < quietTurns; i++) {
    await new Promise((r) => setImmediate(r));
    if (flow.events.length === seen) quiet++;
    else {
      quiet = 0;
      seen = flow.events.length;
    }
  }
}

/** The transcript of one case on one implementation; `onNode` sees the node (native-only checks). */
export async function runSwitch(impl: Impl, c: SwitchCase): Promise<unknown[]> {
  const flow = new RecordingFlow();
  await seed(flow);
  let Ctor: (new (config: NodeConfig) => Node) | undefined;
  const RED = {
    nodes: {
      registerType: (_type: string, ctor: Function) => { inheritNode(ctor); Ctor = ctor as typeof Ctor; },
      createNode: (node: object, config: NodeConfig) => initNode(node as Node, config, flow),
    },
    util: redUtil,
    settings: { ...c.settings },
    _: (key: string, subs?: Record<string, unknown>) => catalogs.t(key, subs, 'node-red'),
  } as unknown as RED;
  (impl === 'native' ? nativeSwitch : nodeRedSwitch)(RED);
  const rules = (c.node.rules ?? []) as unknown[];
  const outputs = c.outputs ?? Math.max(rules.length, 1);
  const config = {
    id: 'sw', type: 'switch', z: flow.id, name: 'sw', property: 'payload', propertyType: 'msg', checkall: 'true', repair: false,
    ...structuredClone(c.node), wires: Array.from({ length: outputs }, (_, i) => [`out${i}`]),
  } as unknown as NodeConfig;
  let node: Node;
  try {
    node = new Ctor!(config);
  } catch (err) {
    flow.events.push({ constructorThrew: describe(err) });
    return flow.events;
  }
  const sinks = Array.from({ length: outputs }, (_, i) => new Node({ id: `out${i}`, type: 'sink', wires: [] } as NodeConfig, flow));
  node._resolveWires((id) => sinks.find((s) => s.id === id));
  const msgs = c.inputs();
  msgs.forEach((m, i) => { if (m._msgid === undefined) m._msgid = `msg${i}`; });
  for (const m of msgs) {
    flow.inputs.push(m);
    node.receive(m);
    if (!c.burst) await settle(flow, 4);
  }
  await settle(flow, msgs.length + 6);
  await node.close(false);
  return flow.events;
}
