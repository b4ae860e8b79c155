// Test harness for the function node: a small fake of RED and of the flow a node lives in, with collector
// nodes on each output, recorded logs / errors / status / completions, and a helper to wait for them.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Node, initNode, inheritNode } from '../../src/runtime/node.js';
import type { NodeStatus } from '../../src/runtime/node.js';
import type { FlowHost } from '../../src/runtime/flow-host.js';
import { createContextManager } from '../../src/runtime/context.js';
import type { ContextHandle } from '../../src/runtime/context.js';
import { cloneMessage } from '../../src/runtime/util/clone.js';
import { generateId } from '../../src/runtime/util/id.js';
import { getMessageProperty, setMessageProperty } from '../../src/runtime/util/properties.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { RED } from '../../src/registry/red-types.js';
import register from '../../src/nodes/function.js';

type Msg = Record<string, any>;

export class FakeFlow implements FlowHost {
  readonly id = 't1';
  readonly path = 't1';
  readonly closeTimeout = 2000;
  readonly nodes = new Map<string, Node>();
  readonly logs: Array<{ level: number; msg: unknown; id?: unknown }> = [];
  readonly errors: Array<{ node: Node; err: unknown; msg: Msg }> = [];
  readonly statuses: Array<{ id: string; status: NodeStatus }> = [];
  readonly completes: Array<{ id: string; msg: Msg }> = [];
  readonly env = new Map<string, unknown>();
  readonly contexts = createContextManager({ logger: createLogger({ write: () => {} }), globalValues: { seeded: 42 } });
  private flowCtx: ContextHandle | undefined;

  getNode(id: string) { return this.nodes.get(id); }
  deliver(_from: Node, to: Node, msg: object) { setImmediate(() => to._handleInput(msg as Msg)); }
  clone<T>(msg: T): T { return cloneMessage(msg); }
  handleError(node: Node, err: unknown, msg: Msg) { this.errors.push({ node, err, msg }); return false; }
  handleStatus(node: Node, status: NodeStatus): boolean { this.statuses.push({ id: node.id, status }); return false; }
  handleComplete(node: Node, msg: Msg) { this.completes.push({ id: node.id, msg }); }
  flowContext() { return (this.flowCtx ??= this.contexts.flow(this.id)); }
  nodeContext(node: Node) { return this.contexts.node(node.id, this.id, this.flowContext()); }
  log(entry: { level: number; msg: unknown }) { this.logs.push(entry); }
  getEnv(name: string) { return this.env.has(name) ? this.env.get(name) : process.env[name]; }

  /** Text of each logged entry at `level` (20 = error, 30 = warn, 40 = info). */
  logText(level = 20): string[] {
    return this.logs.filter((l) => l.level === level).map((l) => String(l.msg));
  }
}

export interface Harness {
  flow: FakeFlow;
  RED: RED;
  /** Creates a function node (id `fn`) wired to collectors `out0..`; messages they got are in `outputs`. */
  create(config: Msg): Node & Msg;
  outputs: Msg[][];
}

export function createHarness(opts: { settings?: Msg; userDir?: string } = {}): Harness {
  const flow = new FakeFlow();
  let ctor: (new (config: Msg) => Node) | undefined;
  const userDir = opts.userDir ?? process.cwd();
  const requireFromUserDir = createRequire(path.join(userDir, 'package.json'));
  const getSetting = (node: Node | undefined, name: string) => {
    if (node && name === 'NR_NODE_NAME') return node.name;
    if (node && name === 'NR_NODE_ID') return node.id;
    if (node && name === 'NR_NODE_PATH') return node._path;
    return flow.getEnv(name);
  };
  const RED = {
    nodes: {
      registerType(_type: string, c: Function) { inheritNode(c); ctor = c as typeof ctor; },
      createNode(node: object, config: Msg) { initNode(node as Node, config as never, flow); },
    },
    util: { cloneMessage, generateId, getMessageProperty, setMessageProperty, getSetting },
    settings: { userDir, ...opts.settings },
    library: { register() {} },
    import: (name: string) => import(requireFromUserDir.resolve(name)),
  } as unknown as RED;
  register(RED);
  const outputs: Msg[][] = [];
  return {
    flow, RED, outputs,
    create(config) {
      const count = Number(config.outputs ?? 1);
      const wires: string[][] = [];
      for (let i = 0; i < count; i++) {
        outputs[i] = [];
        const c = new Node({ id: `out${i}`, type: 'collector', wires: [] }, flow);
        c.on('input', (m: Msg) => { outputs[i]!.push(m); });
        flow.nodes.set(c.id, c);
        wires.push([c.id]);
      }
      const node = new ctor!({ id: 'fn', type: 'function', z: 't1', outputs: count, wires, ...config }) as Node & Msg;
      flow.nodes.set(node.id, node);
      node._resolveWires((id) => flow.nodes.get(id));
      return node;
    },
  };
}

/** Waits until `cond()` is true (checked after each turn of the event loop); fails after `ms`. */
export async function waitFor(cond: () => unknown, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('waitFor: condition not met');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets pending microtasks and immediates run. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/** Creates a node from `config`, waits for its setup, returns it with its harness. */
export async function functionNode(config: Msg, opts?: { settings?: Msg; userDir?: string }) {
  const h = createHarness(opts);
  const node = h.create(config);
  await settle();
  return { h, node, flow: h.flow, out: h.outputs };
}
