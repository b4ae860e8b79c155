// One running instance of a subflow (COMPAT "subflows"): a Flow made of copies of the template's
// nodes, each with id `<instance>-<template node id>`, `_alias` the template id and `z` the instance.
// The instance node in the parent flow passes its input to the template's input wires; the nodes wired
// to an output port of the template get the instance's own output wires; the status port sets the
// instance node's status. Env: template env, overridden by the instance's, then the parent's scopes.
// Errors and status nobody inside takes go to the parent flow, reported by the instance node.
import { inspect } from 'node:util';
import { Flow, envValue, type SubflowSpawner } from './flow.js';
import { Node, type NodeStatus } from './node.js';
import type { Engine } from './engine.js';
import type { SubflowTemplate, TabConfig } from './flow-parse.js';
import type { NodeConfig } from './types.js';
import type { ContextHandle } from './context.js';
import { deepClone } from './util/clone.js';
import { envEntriesOf, type EnvEntry } from './util/env.js';
import { moduleInstanceConfig, moduleTemplate, type ModuleTemplate } from './subflow-module.js';

const INSTANCE_TYPE = /^subflow:(.+)$/;

/** A spawner that starts instances of `templates` (nested instances use the same one). */
export function subflowSpawner(templates: ReadonlyMap<string, SubflowTemplate>): SubflowSpawner {
  const spawn: SubflowSpawner = async (parent, config) => {
    const templateId = INSTANCE_TYPE.exec(config.type)?.[1];
    if (templateId === undefined) return spawnModule(parent, config);
    const template = templates.get(templateId);
    if (!template) return undefined;
    if (parent.runsTemplate(template.def.id)) {
      parent.engine.logger.log({ level: 20, id: config.id, type: config.type, msg: new Error('Subflow cannot contain an instance of itself') });
      return undefined;
    }
    const flow = new SubflowInstance(parent.engine, parent, template, config, spawn);
    await flow.start();
    return { node: flow.instance, flow };
  };
  return spawn;
}

/** Spawners of the subflows nested in each subflow module (made once per module). */
const moduleSpawners = new WeakMap<ModuleTemplate, SubflowSpawner>();

/** An instance of a subflow module type (RED.nodes.registerSubflow); undefined when `config` is not one. */
async function spawnModule(parent: Flow, config: NodeConfig): Promise<{ node: Node; flow: Flow } | undefined> {
  const def = parent.engine.registry.get(config.type)?.subflow;
  if (!def) return undefined;
  let instanceConfig: NodeConfig;
  try {
    instanceConfig = moduleInstanceConfig(def, config, (name) => parent.getEnv(name));
  } catch (err) {
    parent.engine.logger.error(err);
    return undefined;
  }
  const module = moduleTemplate(def);
  let spawn = moduleSpawners.get(module);
  if (!spawn) moduleSpawners.set(module, (spawn = subflowSpawner(module.nested)));
  const flow = new SubflowInstance(parent.engine, parent, module.template, instanceConfig, spawn, config.type);
  await flow.start();
  return { node: flow.instance, flow };
}

type Port = Array<{ id: string; port?: number }>;

/** The instance node: its input is the subflow's input, its status is what the status port reports. */
class InstanceNode extends Node {
  constructor(config: NodeConfig, private readonly subflow: SubflowInstance) {
    super(config, subflow);
  }

  override status(s: unknown): void {
    const st: NodeStatus = s === null || s === undefined ? {} : typeof s === 'object' ? (s as NodeStatus) : { text: String(s) };
    this.subflow.parent.handleStatus(this, st);
  }

  /** New output wires of the instance (a modified deploy that rewired it). */
  override updateWires(wires: string[][]): void {
    this.subflow.rewire(Array.isArray(wires) ? wires : []);
  }

  setInputWires(wires: string[][]): void {
    super.updateWires(wires);
  }

  override get _path(): string { return this.subflow.path; }
}

export class SubflowInstance extends Flow {
  declare readonly parent: Flow;
  readonly instance: InstanceNode;
  private readonly template: SubflowTemplate;
  private readonly instanceConfig: NodeConfig;
  /** Template id -> id inside this instance. */
  private readonly idMap: Map<string, string>;
  /** Wires of the internal nodes as the template has them (ids mapped), before any output is added. */
  private readonly templateWires = new Map<string, string[][]>();
  private readonly inputWires: string[][];
  private statusNode: Node | undefined;
  private readonly envEntries: EnvEntry[];

  /**
   * `moduleType`: the instance is of a subflow module type; what its nodes log is then logged as coming
   * from the instance node (its id and type), as Node-RED hides a module's insides.
   */
  constructor(engine: Engine, parent: Flow, template: SubflowTemplate, instanceConfig: NodeConfig, spawn: SubflowSpawner, private readonly moduleType?: string) {
    const instanceId = instanceConfig.id;
    const idMap = new Map<string, string>();
    const copy = (list: NodeConfig[]) => list.map((n) => {
      const c = deepClone(n) as NodeConfig;
      c._alias = n.id;
      c.id = `${instanceId}-${n.id}`;
      c.z = instanceId;
      idMap.set(n.id, c.id);
      return c;
    });
    const groups = copy(template.groups);
    const configs = copy(template.configs);
    const nodes = copy(template.nodes);
    for (const list of [configs, nodes, groups]) for (const n of list) remapReferences(n, idMap);
    const tab: TabConfig = { tab: { id: instanceId, type: instanceConfig.type }, configs, nodes, groups };
    super(engine, tab, parent, { spawn, path: `${parent.path}/${String(instanceConfig._alias ?? instanceId)}` });
    this.template = template;
    this.instanceConfig = instanceConfig;
    this.idMap = idMap;
    for (const n of nodes) if (Array.isArray(n.wires)) this.templateWires.set(n.id, deepClone(n.wires) as string[][]);
    const inPorts = Array.isArray(template.def.in) ? (template.def.in as Array<{ wires?: Port }>) : [];
    this.inputWires = inPorts.map((p) => (p.wires ?? []).map((w) => idMap.get(w.id)).filter((id): id is string => id !== undefined));
    this.instance = new InstanceNode({
      id: instanceId, type: instanceConfig.type, g: instanceConfig.g, z: instanceConfig.z, name: instanceConfig.name, wires: [],
    } as NodeConfig, this);
    this.envEntries = this.mergedEnv();
  }

  override log(entry: { level: number; msg: unknown; path?: string; id?: unknown; type?: unknown }): void {
    if (this.moduleType !== undefined) {
      if (entry.id) entry.id = this.id;
      if (entry.type) entry.type = this.moduleType;
    }
    super.log(entry);
  }

  override runsTemplate(id: string): boolean {
    return this.template.def.id === id || this.parent.runsTemplate(id);
  }

  /** Evaluates the env, makes the status port's node and the instance node's handlers, creates the nodes. */
  async start(): Promise<void> {
    await this.init();
    const def = this.template.def;
    if (def.status) {
      const statusNode = new Node({ id: `${this.id}:status`, type: 'subflow-status', z: this.id, wires: [] } as NodeConfig, this.parent);
      statusNode.on('input', (msg: Record<string, unknown>) => this.reportStatus(msg));
      this.statusNode = statusNode;
    }
    const instance = this.instance;
    instance.on('input', function (this: Node, msg: unknown) { this.send(msg); });
    instance.on('close', (done: () => void) => {
      instance.status({});
      this.stop(new Set()).finally(done);
    });
    this.applyOutputs(Array.isArray(this.instanceConfig.wires) ? this.instanceConfig.wires : [], false);
    await this.create();
  }

  override async init(): Promise<void> {
    if (this.envEntries.length > 0) await this.initInstanceEnv();
    await this.initGroups();
  }

  private async initInstanceEnv(): Promise<void> {
    this.env = await this.evaluateScope(this.envEntries, (name) => this.getEnv(name), this.engine.credentials[this.id]);
  }

  /** Output wires of the instance changed: the internal nodes feeding each output port get the new ones. */
  rewire(outputs: string[][]): void {
    this.instanceConfig.wires = outputs;
    this.applyOutputs(outputs, true);
  }

  /**
   * Internal wires = template wires + the instance's output wires on the ports the template wires to its
   * outputs (+ the status node on those wired to the status port); a template input wired straight to an
   * output passes through the instance node itself. `running`: update the running nodes too.
   */
  private applyOutputs(outputs: string[][], running: boolean): void {
    const def = this.template.def;
    const inputs = deepClone(this.inputWires) as string[][];
    const changed = new Map<string, string[][]>();
    const add = (target: { id: string; port?: number }, ids: string[]) => {
      const port = target.port ?? 0;
      if (target.id === def.id) {
        inputs[port] = (inputs[port] ?? []).concat(ids);
        return;
      }
      const id = this.idMap.get(target.id);
      if (!id) { this.instance.error(`Unknown node referenced inside subflow: ${target.id}`); return; }
      let wires = changed.get(id);
      if (!wires) { wires = deepClone(this.templateWires.get(id) ?? []) as string[][]; changed.set(id, wires); }
      wires[port] = (wires[port] ?? []).concat(ids);
    };
    const outPorts = Array.isArray(def.out) ? (def.out as Array<{ wires?: Port }>) : [];
    outPorts.forEach((p, i) => { for (const w of p.wires ?? []) add(w, outputs[i] ?? []); });
    const status = def.status as { wires?: Port } | undefined;
    if (status && this.statusNode) for (const w of status.wires ?? []) add(w, [this.statusNode.id]);
    this.instance.setInputWires(inputs);
    for (const n of this.config!.nodes) {
      const base = this.templateWires.get(n.id);
      const wires = changed.get(n.id) ?? (base ? (deepClone(base) as string[][]) : undefined);
      if (!wires) continue;
      for (let i = 0; i < wires.length; i++) if (!wires[i]) wires[i] = [];
      n.wires = wires;
      if (running) this.nodes.get(n.id)?.updateWires(deepClone(wires) as string[][]);
    }
  }

  /** Template env entries, overridden by the instance's; `cred` entries take their stored values. */
  private mergedEnv(): EnvEntry[] {
    const templateCreds = this.engine.credentials[this.template.def.id] ?? {};
    const instanceCreds = this.engine.credentials[String(this.instanceConfig._alias ?? this.instanceConfig.id)] ?? {};
    const env = new Map<string, EnvEntry>();
    for (const e of envEntriesOf(this.template.def.env)) {
      const entry = { ...e };
      if (entry.type === 'cred') entry.value = templateCreds[entry.name];
      env.set(entry.name, entry);
    }
    for (const e of envEntriesOf(this.instanceConfig.env)) {
      const old = env.get(e.name);
      const entry = { ...e };
      if (entry.type === 'cred') {
        entry.value = !old || Object.hasOwn(instanceCreds, e.name) ? instanceCreds[e.name] : templateCreds[e.name];
      }
      env.set(e.name, entry);
    }
    return [...env.values()];
  }

  /** The status port: a string payload is the text, a status-like object the status, others inspected. */
  private reportStatus(msg: Record<string, unknown>): void {
    const payload = msg.payload;
    if (payload !== undefined) {
      if (typeof payload === 'string') { this.instance.status({ text: payload }); return; }
      if (Object.prototype.toString.call(payload) === '[object Object]') {
        const p = payload as Record<string, unknown>;
        if (Object.hasOwn(p, 'text') || Object.hasOwn(p, 'fill') || Object.hasOwn(p, 'shape') || Object.keys(p).length === 0) {
          this.instance.status(p);
          return;
        }
      }
      let text = inspect(payload);
      if (text.length > 32) text = text.substring(0, 32) + '...';
      this.instance.status({ text });
    } else if (msg.status !== undefined && msg.status !== null) {
      const st = msg.status as Record<string, unknown>;
      if (typeof st.text === 'string' && st.text.startsWith('common.')) st.text = 'node-red:' + st.text;
      this.instance.status(st);
    }
  }

  override resolveWires(): void {
    const lookup = (id: string) => this.wireTarget(id);
    this.instance._resolveWires(lookup);
    for (const n of this.nodes.values()) n._resolveWires(lookup);
    for (const child of this.children.values()) child.resolveWires();
  }

  override async stop(removed: ReadonlySet<string>, only?: ReadonlySet<string>): Promise<void> {
    const ids = [...this.nodes.keys()];
    await super.stop(removed, only);
    for (const id of ids) this.engine.events.emit('node-status', { id });
  }

  override getNode(id: string): Node | undefined {
    if (this.statusNode && id === this.statusNode.id) return this.statusNode;
    return super.getNode(id);
  }

  override handleError(node: Node, err: unknown, msg: Record<string, unknown>, reporter?: Node): boolean {
    return super.handleError(node, err, msg, reporter) || this.parent.handleError(node, err, msg, this.instance);
  }

  override handleStatus(node: Node, status: NodeStatus, reporter?: Node, mute = false): boolean {
    if (super.handleStatus(node, status, reporter, mute)) return true;
    if (this.statusNode && node !== this.instance) return false;
    return this.parent.handleStatus(node, status, this.instance, true);
  }

  override flowContext(): ContextHandle {
    return (this.ctx ??= this.engine.contexts.flow(this.id, this.parent.flowContext()));
  }

  /** NR_SUBFLOW_* (and NR_NODE_* asked of the flow) name the instance; then the env, then the parent. */
  override getEnv(name: string): unknown {
    const inst = this.instanceConfig;
    if (name === 'NR_NODE_NAME' || name === 'NR_SUBFLOW_NAME') return inst.name;
    if (name === 'NR_NODE_ID' || name === 'NR_SUBFLOW_ID') return inst.id;
    if (name === 'NR_NODE_PATH' || name === 'NR_SUBFLOW_PATH') return this.path;
    if (name.startsWith('$parent.')) name = name.slice(8);
    else if (this.env.has(name)) return envValue(this.env, name);
    // the instance's own group (in the parent flow) comes next, as in Node-RED
    return this.parent.getEnvFor(typeof this.instanceConfig.g === 'string' ? this.instanceConfig.g : undefined, name);
  }
}

/**
 * Points a copied node at the other copies: wires (ids not in the subflow become null), the scope of
 * catch/status/complete nodes (unknown ids become ''), any other property whose value is a template id.
 */
function remapReferences(node: NodeConfig, idMap: ReadonlyMap<string, string>): void {
  if (Array.isArray(node.wires)) {
    node.wires = node.wires.map((port) => (Array.isArray(port) ? port.map((id) => idMap.get(id) ?? null) : port)) as string[][];
  }
  if ((node.type === 'complete' || node.type === 'catch' || node.type === 'status') && Array.isArray(node.scope)) {
    node.scope = (node.scope as string[]).map((id) => idMap.get(id) ?? '');
    return;
  }
  const n = node as Record<string, unknown>;
  for (const key of Object.keys(n)) {
    if (key === '_alias' || key === 'id') continue;
    const v = n[key];
    if (typeof v === 'string' && idMap.has(v)) n[key] = idMap.get(v);
  }
}
