// The flows manager: holds the active config, runs deploys one at a time (validate -> save -> stop what
// the deploy type and the diff name -> clean context -> start), starts/stops all flows, waits for
// missing node types, keeps the run state (start/stop/safe) and emits Node-RED's runtime-state events.
import type { Node } from './node.js';
import { DeployCollection } from './deploy-gc.js';
import type { Engine } from './engine.js';
import type { CredentialMap, FlowConfig, FlowStorage, StoredFlows } from './types.js';
import { parseFlows } from './flow-parse.js';
import { validateCredentialsMap, validateFlows } from './flows-validate.js';
import { duplicateIds, duplicatesWarning } from './flows-duplicates.js';
import { mergeCredentials } from './credentials-merge.js';
import { diffFlows, type FlowDiff } from './flows-diff.js';
import { ActiveFlows, type StopPlan } from './flows-active.js';
import { apiError } from '../errors.js';
import type { DependencyFailure } from '../registry/external-modules.js';

export const EMPTY_REV = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';
export type DeployType = 'full' | 'nodes' | 'flows' | 'reload' | string;
export type RunState = 'start' | 'stop' | 'safe';

export interface DeployOptions {
  type?: DeployType;
  /** When given, must equal the current rev (v2 optimistic locking). */
  rev?: unknown;
  /** v2 credentials map: replaces the credentials of those node ids wholesale. */
  credentials?: Record<string, unknown>;
  /** No stopping/starting log lines (the /flow API logs its own). */
  muteLog?: boolean;
}

/** How one stop/start pass runs: which deploy type, what changed, whether it is a deploy. */
interface Pass {
  type: 'full' | 'nodes' | 'flows';
  diff?: FlowDiff;
  muteLog?: boolean;
  deploy?: boolean;
}

const modifiedType = (t: DeployType | undefined): Pass['type'] => (t === 'nodes' || t === 'flows' ? t : 'full');

/** Ids of the posted nodes that carry credentials: Node-RED counts them as changed. */
function credentialIds(config: FlowConfig): Set<string> {
  const ids = new Set<string>();
  for (const n of config) if (n && typeof n === 'object' && n.credentials) ids.add(n.id);
  return ids;
}

export class FlowsManager {
  private active: StoredFlows = { flows: [], credentials: {}, rev: EMPTY_REV };
  private readonly flows: ActiveFlows;
  /** Node-RED's `started`: a start was asked for (even when it stopped at missing types or safe mode). */
  private startRequested = false;
  private running = false;
  private desired: 'start' | 'stop' = 'start';
  private safe = false;
  private missing: string[] = [];
  /** Whether the active config passed validateFlows (a deploy's has; a flows file read from disk not yet). */
  private validated = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Makes available what the flows' nodes need (external modules) before they start; rejects with the failures. */
  dependencies?: (flows: FlowConfig) => Promise<void>;

  constructor(private readonly engine: Engine, private readonly storage: FlowStorage) {
    this.flows = new ActiveFlows(engine);
    engine.registry.onTypeRegistered((type) => {
      if (!this.missing.includes(type)) return;
      engine.logger.info(`Missing type registered: ${type}`);
      this.missing = this.missing.filter((t) => t !== type);
      if (this.missing.length === 0 && this.startRequested && this.desired === 'start' && !this.safe) {
        engine.events.emit('runtime-state', {});
        void this.serial(() => this.start({ type: 'full' }));
      }
    });
  }

  /** Reads the stored flows and the run state they start in (before the server listens). */
  async read(opts: { safe?: boolean; state?: 'start' | 'stop' } = {}): Promise<void> {
    this.active = await this.storage.getFlows();
    this.validated = false;
    this.engine.credentials = this.active.credentials;
    this.safe = !!opts.safe;
    this.desired = opts.state ?? 'start';
  }

  /** Starts the flows read by read(), unless in safe mode or stopped by runtimeState. */
  async startLoaded(): Promise<void> {
    // Node-RED's load: the state is cleared, the loaded rev announced, then the flows start
    this.engine.events.emit('runtime-state', {});
    this.engine.events.emit('runtime-deploy', { revision: this.active.rev });
    await this.serial(async () => {
      await this.engine.contexts.clean(this.configIds());
      await this.start({ type: 'full' });
    });
  }

  /** read() then startLoaded(). */
  async load(opts: { safe?: boolean; state?: 'start' | 'stop' } = {}): Promise<void> {
    await this.read(opts);
    await this.startLoaded();
  }

  getFlows(): StoredFlows { return this.active; }
  get rev(): string { return this.active.rev; }
  get state(): RunState { return this.safe ? 'safe' : this.desired; }
  get started(): boolean { return this.running; }
  get missingTypes(): string[] { return this.missing; }
  /** A running node by id (nodes inside subflow instances included). */
  runningNode(id: string): Node | undefined { return this.engine.nodes.get(id); }

  /** Runs one deploy (serialised with every other). Returns the new rev. */
  setFlows(config: unknown, opts: DeployOptions = {}): Promise<string> {
    return this.serial(async () => {
      if (opts.type === 'reload') return this.reload();
      if (opts.rev !== undefined && opts.rev !== this.active.rev) throw apiError('version_mismatch');
      validateFlows(config);
      validateCredentialsMap(opts.credentials);
      this.warnDuplicates(config);
      const { registry } = this.engine;
      const typeInfo = (t: string) => ({ registered: !!registry.get(t), def: registry.credentialDef(t) });
      const merged = mergeCredentials(config, this.active.credentials, typeInfo, opts.credentials);
      // in safe mode nothing runs, so only a full start makes sense (as Node-RED)
      const type = this.safe ? 'full' : modifiedType(opts.type);
      const diff = diffFlows(this.active.flows, merged.flows, credentialIds(config), { full: type === 'full' });
      const rev = await this.storage.saveFlows(merged.flows, merged.credentials, { expectedRev: opts.rev, type });
      this.validated = true;
      await this.apply({ flows: merged.flows, credentials: merged.credentials, rev }, { type, diff, muteLog: opts.muteLog, deploy: true });
      return rev;
    });
  }

  /**
   * A deploy made by another instance sharing this storage (a cluster): the stored flows are applied as
   * that deploy applied them (`type`: full, flows or nodes), unless this instance already runs `rev`.
   */
  follow(rev: string, type: string): Promise<void> {
    return this.serial(async () => {
      if (rev === this.active.rev) return;
      const stored = await this.storage.getFlows();
      if (stored.rev === this.active.rev) return;
      const kind = this.safe ? 'full' : modifiedType(type);
      const changedCredentials = new Set<string>();
      for (const id of new Set([...Object.keys(stored.credentials), ...Object.keys(this.active.credentials)])) {
        if (JSON.stringify(stored.credentials[id]) !== JSON.stringify(this.active.credentials[id])) changedCredentials.add(id);
      }
      const diff = diffFlows(this.active.flows, stored.flows, changedCredentials, { full: kind === 'full' });
      this.validated = false;
      await this.apply(stored, { type: kind, diff, deploy: true });
    });
  }

  /** Makes `next` the active flows: stops what the pass changes, cleans context, starts, announces the rev. */
  private async apply(next: StoredFlows, pass: Pass): Promise<void> {
    this.active = next;
    this.engine.credentials = next.credentials;
    this.safe = false;
    // flows stopped through POST /flows/state stay stopped across deploys (as Node-RED)
    if (this.desired === 'start' && this.startRequested) {
      // what a collection frees is the old nodes a full deploy stops: a big deploy over small flows skips it
      const collection = new DeployCollection(pass.type === 'full' ? this.engine.nodes.size : 0);
      collection.hold(this.engine.nodes.values());
      await this.stop(pass);
      collection.collect();
      await this.engine.contexts.clean(this.configIds());
      if (!pass.muteLog) this.engine.logger.info('Updated flows');
      await this.start(pass);
      collection.release();
    } else if (!pass.muteLog) {
      this.engine.logger.info('Updated flows');
    }
    this.engine.events.emit('runtime-deploy', { revision: next.rev });
  }

  private async reload(): Promise<string> {
    const stored = await this.storage.getFlows();
    this.safe = false;
    const pass: Pass = { type: 'full', deploy: true };
    await this.stop(pass);
    this.active = stored;
    this.validated = false;
    this.engine.credentials = stored.credentials;
    await this.engine.contexts.clean(this.configIds());
    if (this.desired === 'start') await this.start(pass);
    this.engine.events.emit('runtime-deploy', { revision: stored.rev });
    return stored.rev;
  }

  /** Told of every start/stop asked of this instance (a cluster passes it on to the others). */
  onStateChange?: (state: 'start' | 'stop') => void;

  /** POST /flows/state: start or stop every flow (`remote`: asked by another instance of a cluster). */
  setState(state: 'start' | 'stop', opts: { remote?: boolean } = {}): Promise<RunState> {
    if (!opts.remote) this.onStateChange?.(state);
    return this.serial(async () => {
      if (state === 'stop') {
        this.desired = 'stop';
        await this.stop({ type: 'full' });
      } else {
        this.desired = 'start';
        this.safe = false;
        await this.start({ type: 'full' });
      }
      return this.state;
    });
  }

  async shutdown(): Promise<void> {
    await this.serial(() => this.stop({ type: 'full' }));
  }

  /** Credentials of one node (a copy). */
  credentialsOf(id: string): Record<string, unknown> | undefined {
    const c = this.active.credentials[id];
    return c ? { ...c } : undefined;
  }

  /** One warning naming the ids that more than one node of a deployed or loaded config holds. */
  private warnDuplicates(config: FlowConfig): void {
    const ids = duplicateIds(config);
    if (ids.length) this.engine.logger.warn(duplicatesWarning(ids));
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Every id in the active config: context of anything else is cleaned away (as Node-RED). */
  private configIds(): Set<string> {
    const ids = new Set<string>();
    for (const n of this.active.flows) if (n && typeof n.id === 'string') ids.add(n.id);
    // and the nodes copied into each subflow instance (Node-RED: `<instance>-<template node>`)
    if (!this.active.flows.some((n) => n && typeof n.type === 'string' && n.type.startsWith('subflow:'))) return ids;
    const members = new Map<string, string[]>();
    for (const n of this.active.flows) {
      if (n && typeof n.z === 'string' && typeof n.id === 'string') (members.get(n.z) ?? members.set(n.z, []).get(n.z)!).push(n.id);
    }
    for (const n of this.active.flows) {
      const sub = n && typeof n.type === 'string' && /^subflow:(.+)$/.exec(n.type);
      if (sub) for (const id of members.get(sub[1]!) ?? []) ids.add(`${n.id}-${id}`);
    }
    return ids;
  }

  private async start(pass: Pass): Promise<void> {
    const { engine } = this;
    const type = pass.diff?.globalConfigChanged ? 'full' : pass.type;
    const modified = type !== 'full';
    this.startRequested = true;
    let parsed: ReturnType<typeof parseFlows>;
    try {
      // a deploy is checked before it is saved; a hand-edited flows file is checked here
      if (!this.validated) {
        validateFlows(this.active.flows);
        this.warnDuplicates(this.active.flows);
      }
      this.validated = true;
      parsed = parseFlows(this.active.flows, (t) => !!engine.registry.get(t));
    } catch (err) {
      engine.logger.error(`Cannot start the flows: ${err instanceof Error ? err.message : String(err)}`);
      engine.events.emit('runtime-state', { state: 'stop', error: 'start-failed' });
      return;
    }
    if (parsed.missingTypes.length) {
      // a core type loaded on first use whose module registers it after an await (http request's) is not
      // missing, as it is not in Node-RED, which has every core type from the start: its load is waited for
      await Promise.all(parsed.missingTypes.map((t) => engine.registry.typeLoaded(t)));
      parsed.missingTypes = parsed.missingTypes.filter((t) => !engine.registry.get(t));
    }
    this.missing = parsed.missingTypes;
    if (this.missing.length) {
      engine.logger.info('Waiting for missing types to be registered:');
      for (const t of this.missing) engine.logger.info(` - ${t}`);
      engine.events.emit('runtime-state', { state: 'stop', error: 'missing-types', types: this.missing });
      return;
    }
    if (this.dependencies) {
      try {
        await this.dependencies(this.active.flows);
      } catch (err) {
        // what the flows' nodes need could not be installed: they stay stopped (Node-RED's words and event)
        const failures = Array.isArray(err) ? (err as DependencyFailure[]) : [];
        engine.logger.info('Failed to load external modules required by this flow:');
        for (const f of failures) engine.logger.info(` - ${f.module.spec} [${f.error.code || 'unknown_error'}]`);
        engine.events.emit('runtime-state', {
          state: 'stop', error: 'missing-modules',
          modules: failures.map((f) => ({ module: f.module.module, error: f.error.code || String(f.error) })),
        });
        return;
      }
    }
    if (this.safe) {
      engine.logger.info('*****************************************************************');
      engine.logger.info('Flows stopped in safe mode. Deploy to start.');
      engine.logger.info('*****************************************************************');
      engine.events.emit('runtime-state', { state: 'safe', error: 'safe-mode' });
      return;
    }
    if (this.desired === 'stop') {
      engine.logger.info('Stopped flows');
      engine.events.emit('runtime-state', { state: 'stop', deploy: pass.deploy });
      this.startRequested = false;
      return;
    }
    if (!pass.muteLog) engine.logger.info(modified ? `Starting modified ${type}` : 'Starting flows');
    engine.events.emit('flows:starting', { config: this.active, type, diff: pass.diff });
    try {
      await this.flows.start(parsed);
    } catch (err) {
      // node failures are caught per node; this is the backstop that keeps a bad config from taking the
      // runtime (or its next start) down: what was created is stopped again and the flows stay stopped
      engine.logger.error(`Failed to start flows: ${err instanceof Error ? err.message : String(err)}`);
      await this.flows.stop().catch(() => undefined);
      this.running = false;
      engine.events.emit('runtime-state', { state: 'stop', error: 'start-failed' });
      return;
    }
    this.running = true;
    engine.events.emit('flows:started', { config: this.active.flows, type, diff: pass.diff });
    engine.events.emit('runtime-state', { state: 'start', deploy: pass.deploy });
    if (!pass.muteLog) engine.logger.info(modified ? `Started modified ${type}` : 'Started flows');
  }

  private async stop(pass: Pass): Promise<void> {
    if (!this.startRequested) return;
    const { engine } = this;
    const { diff } = pass;
    // Node-RED names the deploy type in the first line even when a global-config change makes it full
    if (!pass.muteLog) engine.logger.info(pass.type !== 'full' ? `Stopping modified ${pass.type}` : 'Stopping flows');
    const type = diff?.globalConfigChanged ? 'full' : pass.type;
    this.startRequested = false;
    let plan: StopPlan | undefined;
    if (diff && type !== 'full') {
      const nodes = new Set([...diff.changed, ...diff.removed]);
      if (type === 'flows') for (const id of [...diff.linked, ...diff.rewired]) nodes.add(id);
      plan = { nodes, flows: new Set([...diff.flowChanged, ...diff.added, ...diff.removed]) };
    }
    engine.events.emit('flows:stopping', { config: this.active, type, diff });
    await this.flows.stop(diff?.removed, plan);
    this.running = this.flows.running;
    if (!pass.muteLog) engine.logger.info(type !== 'full' ? `Stopped modified ${type}` : 'Stopped flows');
    engine.events.emit('flows:stopped', { config: this.active, type, diff });
    engine.events.emit('runtime-state', { state: 'stop', deploy: pass.deploy });
  }

  /** Every credential map id of the active config (for tests / admin). */
  get credentials(): CredentialMap { return this.active.credentials; }
}
