// One running flow: a tab (or the global config nodes). Creates its nodes, wires them, routes their
// errors/status/completion, stops them. Implements FlowHost for its nodes.
import { Node } from './node.js';
import type { NodeStatus } from './node.js';
import type { FlowHost } from './flow-host.js';
import type { Engine } from './engine.js';
import type { ContextHandle } from './context.js';
import type { NodeConfig } from './types.js';
import type { TabConfig } from './flow-parse.js';
import { buildEventTargets, routeComplete, routeError, routeStatus } from './flow-events.js';
import type { FlowEventTargets } from './flow-events.js';
import { cloneMessage, deepClone } from './util/clone.js';
import { substituteEnvVars, evaluateEnvEntries } from './util/env.js';

/** The flow a node constructor is being run for (read by RED.nodes.createNode). */
export const CREATING = Symbol('crimson.creating');

export class Flow implements FlowHost {
  readonly id: string;
  readonly path: string;
  readonly closeTimeout: number;
  readonly nodes = new Map<string, Node>();
  private ctx: ContextHandle | undefined;
  private env = new Map<string, unknown>();
  private targets: FlowEventTargets = buildEventTargets([], []);

  constructor(
    private readonly engine: Engine,
    readonly config: TabConfig | undefined,
    private readonly parent: Flow | undefined,
  ) {
    this.id = config ? config.tab.id : 'global';
    this.path = this.id;
    this.closeTimeout = engine.closeTimeout;
  }

  /** Evaluates the tab's env entries (jsonata ones are asynchronous); called before create(). */
  async init(): Promise<void> {
    const entries = Array.isArray(this.config?.tab.env) ? (this.config!.tab.env as Array<{ name: string; value?: unknown; type?: string }>) : [];
    if (entries.length === 0) return;
    this.env = await evaluateEnvEntries(entries, {
      lookup: (name) => this.parentEnv(name),
      credentials: this.engine.credentials[this.id],
      context: () => ({ flow: this.flowContext(), global: this.engine.contexts.global }) as never,
      onError: (m) => this.engine.logger.warn(m),
    });
  }

  /** Creates every node of the flow (config nodes first); nodes whose constructor throws are logged and skipped. */
  create(): void {
    const list = this.config ? [...this.config.configs, ...this.config.nodes] : [];
    for (const n of list) if (!n.d) this.createNode(n);
    this.targets = buildEventTargets(this.nodes.values(), this.config?.groups ?? []);
  }

  createGlobal(configs: NodeConfig[]): void {
    for (const n of configs) if (!n.d) this.createNode(n);
  }

  createNode(config: NodeConfig): Node | undefined {
    const entry = this.engine.registry.get(config.type);
    if (!entry) return undefined;
    try {
      const conf = deepClone(config) as NodeConfig;
      delete conf.credentials;
      substituteEnvVars(conf, (name: string) => this.getEnv(name));
      Object.defineProperty(conf, CREATING, { value: this, enumerable: false });
      const node = new (entry.ctor as new (c: NodeConfig) => Node)(conf);
      if (!(node instanceof Node) || !node.id) throw new Error('node constructor did not call RED.nodes.createNode');
      this.nodes.set(node.id, node);
      this.engine.nodes.set(node.id, node);
      return node;
    } catch (err) {
      this.engine.logger.log({ level: 20, type: config.type, id: config.id, msg: err });
      return undefined;
    }
  }

  /** Wires every node of this flow to the running nodes it points at. */
  resolveWires(): void {
    const lookup = (id: string) => this.engine.nodes.get(id);
    for (const n of this.nodes.values()) n._resolveWires(lookup);
  }

  async stop(removed: boolean): Promise<void> {
    const nodes = [...this.nodes.values()];
    await Promise.all(nodes.map((n) => n.close(removed).catch((err) => this.engine.logger.error(err))));
    for (const n of nodes) {
      if (this.engine.nodes.get(n.id) === n) this.engine.nodes.delete(n.id);
      this.engine.contexts.deleteNode(n.id, this.id);
    }
    this.nodes.clear();
  }

  getNode(id: string): Node | undefined {
    return this.nodes.get(id) ?? this.parent?.getNode(id);
  }

  deliver(_from: Node, to: Node, msg: object): void {
    this.engine.delivery.push(to, msg);
  }

  clone<T>(msg: T): T {
    return cloneMessage(msg);
  }

  handleError(node: Node, err: unknown, msg: Record<string, unknown>): boolean {
    return routeError(this.targets, node, err, msg);
  }

  handleStatus(node: Node, status: NodeStatus): void {
    if (Object.prototype.hasOwnProperty.call(status, 'text') && typeof status.text !== 'string') {
      try { status.text = String(status.text); } catch { /* keep it */ }
    }
    this.engine.events.emit('node-status', { id: node.id, status });
    routeStatus(this.targets, node, status);
  }

  handleComplete(node: Node, msg: Record<string, unknown>): void {
    routeComplete(this.targets, node, msg);
  }

  flowContext(): ContextHandle {
    return (this.ctx ??= this.engine.contexts.flow(this.id));
  }

  nodeContext(node: Node): ContextHandle {
    return this.engine.contexts.node(node.id, this.id, this.flowContext());
  }

  log(entry: { level: number; msg: unknown }): void {
    this.engine.logger.log(entry);
  }

  getEnv(name: string): unknown {
    if (this.config) {
      if (name === 'NR_FLOW_NAME') return this.config.tab.label;
      if (name === 'NR_FLOW_ID') return this.id;
      if (this.env.has(name)) {
        const v = this.env.get(name);
        return v !== null && typeof v === 'object' ? deepClone(v) : v;
      }
    }
    return this.parentEnv(name);
  }

  private parentEnv(name: string): unknown {
    if (name.startsWith('$parent.')) name = name.slice(8);
    if (this.engine.envExcludes.has(name)) return undefined;
    return process.env[name];
  }
}
