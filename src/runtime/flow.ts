// One running flow: a tab (or the global config nodes, or a subflow instance: see subflow.ts). Creates
// the nodes it does not run yet (subflow instances through its spawner), wires them, routes their
// errors/status/completion, stops all of them or a stop list (modified deploys). Implements FlowHost.
import { Node } from './node.js';
import type { NodeStatus } from './node.js';
import type { DeferredTask, FlowHost } from './flow-host.js';
import type { Hooks } from '../registry/hooks.js';
import type { Engine } from './engine.js';
import type { Leadership } from './leadership.js';
import type { ContextHandle } from './context.js';
import type { NodeConfig } from './types.js';
import type { TabConfig } from './flow-parse.js';
import { buildEventTargets, routeComplete, routeError, routeStatus } from './flow-events.js';
import type { FlowEventTargets } from './flow-events.js';
import { cloneMessage, deepClone } from './util/clone.js';
import { copyNodeConfig } from './util/config-copy.js';
import { createConfigNodes } from './config-order.js';
import { evaluateEnvEntries, envEntriesOf, type EnvEntry, type EnvLookup } from './util/env.js';

/** The flow whose node constructor is running (read by RED.nodes.createNode; constructors are synchronous). */
let creating: Flow | undefined;
export const creatingFlow = (): Flow | undefined => creating;

/** Starts a subflow instance for `config` (a `subflow:<id>` node) inside `parent`; undefined if it cannot. */
export type SubflowSpawner = (parent: Flow, config: NodeConfig) => Promise<{ node: Node; flow: Flow } | undefined>;

interface GroupScope { id: string; name: string | undefined; parent: string | undefined; env: Map<string, unknown> }

export interface FlowOptions {
  /** The flow's path (`<tab>/<instance>` for a subflow instance); its id otherwise. */
  path?: string;
  spawn?: SubflowSpawner;
}

export class Flow implements FlowHost {
  readonly id: string;
  readonly path: string;
  readonly closeTimeout: number;
  readonly hooks: Hooks;
  get leadership(): Leadership { return this.engine.leadership; }
  readonly metricsOn: boolean;
  readonly nodes = new Map<string, Node>();
  /** The subflow instances started in this flow, by instance id. */
  readonly children = new Map<string, Flow>();
  protected ctx: ContextHandle | undefined;
  protected env = new Map<string, unknown>();
  /** The env scopes of the flow's groups (Node-RED's Group objects), by group id. */
  private groupScopes = new Map<string, GroupScope>();
  private targets: FlowEventTargets = buildEventTargets([], []);
  private spawn: SubflowSpawner | undefined;

  constructor(
    readonly engine: Engine,
    public config: TabConfig | undefined,
    readonly parent: Flow | undefined,
    options: FlowOptions = {},
  ) {
    this.id = config ? config.tab.id : 'global';
    this.path = options.path ?? this.id;
    this.closeTimeout = engine.closeTimeout;
    this.hooks = engine.hooks;
    this.metricsOn = engine.logger.metric();
    this.spawn = options.spawn;
  }

  /** Evaluates the tab's env entries (jsonata ones are asynchronous), then its groups'; called before create(). */
  async init(): Promise<void> {
    const entries = envEntriesOf(this.config?.tab.env);
    if (entries.length > 0) this.env = await this.evaluateScope(entries, (name) => this.parentEnv(name), this.engine.credentials[this.id]);
    await this.initGroups();
  }

  /** Evaluates the env entries of one scope of this flow (jsonata ones see its flow and global context). */
  protected evaluateScope(entries: EnvEntry[], lookup: EnvLookup, credentials?: Record<string, unknown>,
    flow: () => ContextHandle = () => this.flowContext()): Promise<Map<string, unknown>> {
    return evaluateEnvEntries(entries, {
      lookup,
      credentials,
      context: () => ({ flow: flow(), global: this.engine.contexts.global }) as never,
      onError: (m) => this.engine.logger.warn(m),
    });
  }

  /**
   * Each group's env entries, outer groups first (an inner group's `env` entries and unknown names read its
   * parent group, then the flow), as Node-RED starts its Group objects.
   */
  protected async initGroups(): Promise<void> {
    const scopes = new Map<string, GroupScope>();
    this.groupScopes = scopes;
    const groups = this.config?.groups ?? [];
    if (groups.length === 0) return;
    const byId = new Map(groups.map((g) => [g.id, g]));
    const pending = [...groups];
    let guard = pending.length * pending.length + 1;
    while (pending.length > 0 && guard-- > 0) {
      const g = pending.shift()!;
      const parentId = typeof g.g === 'string' && byId.has(g.g) ? g.g : undefined;
      if (parentId && !scopes.has(parentId)) { pending.push(g); continue; }
      const scope: GroupScope = { id: g.id, name: g.name as string | undefined, parent: parentId, env: new Map() };
      scopes.set(g.id, scope);
      const entries = envEntriesOf(g.env);
      if (entries.length > 0) scope.env = await this.evaluateScope(entries, (name) => this.getEnvFor(g.id, name), this.engine.credentials[g.id]);
    }
  }

  /**
   * Env var lookup for a node in group `groupId` (or none): NR_GROUP_NAME / NR_GROUP_ID and the group's
   * env, then its parent groups, then the flow's scopes. `$parent.X` skips the innermost scope.
   */
  getEnvFor(groupId: string | undefined, name: string): unknown {
    const scope = groupId ? this.groupScopes.get(groupId) : undefined;
    if (!scope) return this.getEnv(name);
    if (name === 'NR_GROUP_NAME') return scope.name;
    if (name === 'NR_GROUP_ID') return scope.id;
    if (name.startsWith('$parent.')) name = name.slice(8);
    else if (scope.env.has(name)) return envValue(scope.env, name);
    return this.getEnvFor(scope.parent, name);
  }

  /**
   * The global flow's env: the env entries of its `global-config` nodes (the editor's Settings >
   * Environment), evaluated as Node-RED does, with their credentials under `map`.
   */
  async initGlobal(configs: NodeConfig[]): Promise<void> {
    const env = new Map<string, unknown>();
    for (const n of configs) {
      const entries = n.type === 'global-config' && !n.d ? envEntriesOf(n.env) : [];
      if (entries.length === 0) continue;
      const creds = this.engine.credentials[n.id]?.map;
      const values = await this.evaluateScope(entries, (name) => this.parentEnv(name),
        creds && typeof creds === 'object' ? (creds as Record<string, unknown>) : undefined, () => this.engine.contexts.global);
      for (const [k, v] of values) env.set(k, v);
    }
    this.env = env;
  }

  /** The flow's config for the next create() (a modified deploy keeps the Flow and its unchanged nodes). */
  update(config: TabConfig | undefined, spawn?: SubflowSpawner): void {
    this.config = config;
    if (spawn) this.spawn = spawn;
  }

  /**
   * Creates every node of the flow it does not run yet (config nodes first, in config-order.ts's order); nodes
   * whose constructor throws are logged and skipped. Nodes kept from before take their wires from the new config.
   */
  async create(): Promise<void> {
    const list = this.config ? [...this.config.configs, ...this.config.nodes] : [];
    const configs = this.config?.configs.filter((n) => !n.type.startsWith('subflow:')) ?? [];
    const fresh = new Set(configs.filter((n) => !this.nodes.has(n.id)));
    await createConfigNodes(configs, (id) => this.nodes.has(id), (n) => this.createNode(n));
    for (const n of list) {
      if (n.d || fresh.has(n)) continue;
      const running = this.nodes.get(n.id);
      if (running) {
        if (Array.isArray(n.wires)) running.updateWires(deepClone(n.wires) as string[][]);
      } else if (n.type.startsWith('subflow:') || this.engine.registry.get(n.type)?.subflow) await this.createSubflow(n);
      else this.createNode(n);
    }
    this.targets = buildEventTargets(this.nodes.values(), this.config?.groups ?? []);
  }

  /** True when this flow is (inside) an instance of subflow `id`: a subflow may not contain itself. */
  runsTemplate(id: string): boolean {
    return this.parent?.runsTemplate(id) ?? false;
  }

  private async createSubflow(config: NodeConfig): Promise<void> {
    if (!this.spawn) return;
    try {
      const started = await this.spawn(this, config);
      if (!started) return;
      this.children.set(config.id, started.flow);
      this.nodes.set(config.id, started.node);
      this.engine.nodes.set(config.id, started.node);
    } catch (err) {
      this.engine.logger.log({ level: 20, type: config.type, id: config.id, msg: err });
    }
  }

  /** The global flow: its config nodes (those outside any tab). */
  async createGlobal(configs: NodeConfig[]): Promise<void> {
    await createConfigNodes(configs, (id) => this.nodes.has(id), (n) => this.createNode(n));
  }

  createNode(config: NodeConfig): Node | undefined {
    const entry = this.engine.registry.get(config.type);
    if (!entry?.ctor) return undefined;
    try {
      const group = typeof config.g === 'string' ? config.g : undefined;
      const conf = copyNodeConfig(config, (name: string) => this.getEnvFor(group, name));
      const outer = creating;
      creating = this;
      let node: Node;
      try {
        node = new (entry.ctor as new (c: NodeConfig) => Node)(conf);
      } finally {
        creating = outer;
      }
      if (!(node instanceof Node) || !node.id) throw new Error('node constructor did not call RED.nodes.createNode');
      this.nodes.set(node.id, node);
      this.engine.nodes.set(node.id, node);
      return node;
    } catch (err) {
      this.engine.logger.log({ level: 20, type: config.type, id: config.id, msg: err });
      return undefined;
    }
  }

  /**
   * Wires every node of this flow to the running nodes it points at: a node of this flow first, then of the
   * flows around it, then of any flow (Node-RED's lookup; it decides where a wire to an id that other tabs
   * use too goes).
   */
  resolveWires(): void {
    const lookup = (id: string) => this.wireTarget(id);
    for (const n of this.nodes.values()) n._resolveWires(lookup);
    for (const child of this.children.values()) child.resolveWires();
  }

  /**
   * Stops every node, or those of `only` (flow nodes before config nodes). A node in `removed` is told
   * so by its close handler, and its status is forgotten.
   */
  async stop(removed: ReadonlySet<string>, only?: ReadonlySet<string>): Promise<void> {
    const nodes: Node[] = [];
    const configs: Node[] = [];
    const configIds = new Set((this.config?.configs ?? []).map((c) => c.id));
    for (const n of this.nodes.values()) {
      if (only && !only.has(n.id)) continue;
      (this.config && !configIds.has(n.id) ? nodes : configs).push(n);
    }
    const stopping = [...nodes, ...configs];
    for (const n of stopping) { this.nodes.delete(n.id); this.children.delete(n.id); }
    await Promise.all(stopping.map((n) => {
      const gone = removed.has(n.id);
      // a node may replace close() (Node-RED's watch node does, returning nothing): what it returns is waited for
      const closing = Promise.resolve(n.close(gone)).catch((err) => this.engine.logger.error(err));
      if (gone) this.engine.events.emit('node-status', { id: n.id });
      return closing;
    }));
    for (const n of stopping) {
      if (this.engine.nodes.get(n.id) === n) this.engine.nodes.delete(n.id);
      this.engine.contexts.deleteNode(n._alias ?? n.id, this.id);
    }
  }

  getNode(id: string): Node | undefined {
    return this.nodes.get(id) ?? this.parent?.getNode(id);
  }

  /** The running node a wire to `id` from this flow reaches. */
  protected wireTarget(id: string): Node | undefined {
    return this.getNode(id) ?? this.engine.nodes.get(id);
  }

  /** Puts this flow's nodes back in the runtime's index where a stopped node of the same id in another flow took them out. */
  reindex(): void {
    for (const [id, n] of this.nodes) if (!this.engine.nodes.has(id)) this.engine.nodes.set(id, n);
    for (const child of this.children.values()) child.reindex();
  }

  deliver(_from: Node, to: Node, msg: object): void {
    this.engine.delivery.push(to, msg);
  }

  defer(task: DeferredTask): void {
    this.engine.delivery.defer(task);
  }

  clone<T>(msg: T): T {
    return cloneMessage(msg);
  }

  /** `reporter`: the node whose catch scope applies (a subflow instance for the nodes inside it). */
  handleError(node: Node, err: unknown, msg: Record<string, unknown>, reporter?: Node): boolean {
    return routeError(this.targets, node, err, msg, reporter);
  }

  /** Publishes the status (unless `mute`: a subflow passing it up) and sends it to the status nodes. */
  handleStatus(node: Node, status: NodeStatus, reporter?: Node, mute = false): boolean {
    if (!mute) {
      if (Object.prototype.hasOwnProperty.call(status, 'text') && typeof status.text !== 'string') {
        try { status.text = String(status.text); } catch { /* keep it */ }
      }
      this.engine.events.emit('node-status', { id: node.id, status });
    }
    return routeStatus(this.targets, node, status, reporter);
  }

  handleComplete(node: Node, msg: Record<string, unknown>): void {
    routeComplete(this.targets, node, msg);
  }

  flowContext(): ContextHandle {
    return (this.ctx ??= this.engine.contexts.flow(this.id));
  }

  nodeContext(node: Node): ContextHandle {
    // a node copied into a subflow instance keeps the context of its template id within the instance
    return this.engine.contexts.node(node._alias ?? node.id, this.id, this.flowContext());
  }

  logMetric(entry: { level: number; [k: string]: unknown }): void {
    this.engine.logger.log(entry as never);
  }

  /** A log entry of one of its nodes: the flow's path added, then passed up (a subflow module renames it). */
  log(entry: { level: number; msg: unknown; path?: string }): void {
    if (!entry.path) entry.path = this.path;
    if (this.parent) this.parent.log(entry);
    else this.engine.logger.log(entry);
  }

  getEnv(name: string): unknown {
    if (this.config) {
      if (name === 'NR_FLOW_NAME') return this.config.tab.label;
      if (name === 'NR_FLOW_ID') return this.id;
    }
    if (this.env.has(name)) return envValue(this.env, name);
    return this.parentEnv(name);
  }

  /** A tab's outer scope is the global flow (global-config env), the global flow's is process.env. */
  protected parentEnv(name: string): unknown {
    if (name.startsWith('$parent.')) name = name.slice(8);
    if (this.parent) return this.parent.getEnv(name);
    if (this.engine.envExcludes.has(name)) return undefined;
    return process.env[name];
  }
}

/** An evaluated env value as a node reads it: objects are copied on every read, as in Node-RED. */
export function envValue(env: ReadonlyMap<string, unknown>, name: string): unknown {
  const v = env.get(name);
  return v !== null && typeof v === 'object' ? deepClone(v) : v;
}
