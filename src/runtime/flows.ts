// The flows manager: holds the active config, runs deploys one at a time (validate -> save -> stop -> start),
// starts/stops all flows, waits for missing node types, keeps the run state (start/stop/safe).
import type { Engine } from './engine.js';
import type { CredentialMap, FlowConfig, FlowStorage, StoredFlows } from './types.js';
import { Flow } from './flow.js';
import { parseFlows } from './flow-parse.js';
import { validateCredentialsMap, validateFlows } from './flows-validate.js';
import { mergeCredentials } from './credentials-merge.js';
import { apiError } from '../errors.js';

export const EMPTY_REV = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';
export type DeployType = 'full' | 'nodes' | 'flows' | 'reload' | string;
export type RunState = 'start' | 'stop' | 'safe';

export interface DeployOptions {
  type?: DeployType;
  /** When given, must equal the current rev (v2 optimistic locking). */
  rev?: unknown;
  /** v2 credentials map: replaces the credentials of those node ids wholesale. */
  credentials?: Record<string, unknown>;
}

export class FlowsManager {
  private active: StoredFlows = { flows: [], credentials: {}, rev: EMPTY_REV };
  private flows: Flow[] = [];
  private running = false;
  private desired: 'start' | 'stop' = 'start';
  private safe = false;
  private missing: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly engine: Engine, private readonly storage: FlowStorage) {
    engine.registry.onTypeRegistered((type) => {
      if (this.missing.includes(type) && this.desired === 'start' && !this.safe) void this.serial(() => this.startFlows());
    });
  }

  /** Reads the stored flows and the run state they start in (before the server listens). */
  async read(opts: { safe?: boolean; state?: 'start' | 'stop' } = {}): Promise<void> {
    this.active = await this.storage.getFlows();
    this.engine.credentials = this.active.credentials;
    this.safe = !!opts.safe;
    this.desired = opts.state ?? 'start';
  }

  /** Starts the flows read by read(), unless in safe mode or stopped by runtimeState. */
  async startLoaded(): Promise<void> {
    if (this.safe) this.engine.logger.warn('Flows stopped in safe mode. Deploy to start.');
    else if (this.desired === 'start') await this.serial(() => this.startFlows());
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

  /** Runs one deploy (serialised with every other). Returns the new rev. */
  setFlows(config: unknown, opts: DeployOptions = {}): Promise<string> {
    return this.serial(async () => {
      if (opts.type === 'reload') return this.reload();
      if (opts.rev !== undefined && opts.rev !== this.active.rev) throw apiError('version_mismatch');
      validateFlows(config);
      validateCredentialsMap(opts.credentials);
      const { registry } = this.engine;
      const typeInfo = (t: string) => ({ registered: !!registry.get(t), def: registry.credentialDef(t) });
      const merged = mergeCredentials(config, this.active.credentials, typeInfo, opts.credentials);
      const rev = await this.storage.saveFlows(merged.flows, merged.credentials);
      await this.stopFlows(true);
      this.active = { flows: merged.flows, credentials: merged.credentials, rev };
      this.engine.credentials = merged.credentials;
      this.safe = false;
      // flows stopped through POST /flows/state stay stopped across deploys (as Node-RED)
      if (this.desired === 'start') await this.startFlows();
      this.engine.events.emit('runtime-deploy', { revision: rev });
      return rev;
    });
  }

  private async reload(): Promise<string> {
    const stored = await this.storage.getFlows();
    await this.stopFlows(false);
    this.active = stored;
    this.engine.credentials = stored.credentials;
    this.safe = false;
    if (this.desired === 'start') await this.startFlows();
    this.engine.events.emit('runtime-deploy', { revision: stored.rev });
    return stored.rev;
  }

  /** POST /flows/state: start or stop every flow. */
  setState(state: 'start' | 'stop'): Promise<RunState> {
    return this.serial(async () => {
      if (state === 'stop') {
        this.desired = 'stop';
        await this.stopFlows(false);
      } else {
        this.desired = 'start';
        this.safe = false;
        if (!this.running) await this.startFlows();
      }
      this.engine.events.emit('runtime-state', { state: this.state });
      return this.state;
    });
  }

  async shutdown(): Promise<void> {
    await this.serial(() => this.stopFlows(false));
  }

  /** Credentials of one node (a copy). */
  credentialsOf(id: string): Record<string, unknown> | undefined {
    const c = this.active.credentials[id];
    return c ? { ...c } : undefined;
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async startFlows(): Promise<void> {
    if (this.running) return;
    const { engine } = this;
    let parsed: ReturnType<typeof parseFlows>;
    try {
      const config: FlowConfig = JSON.parse(JSON.stringify(this.active.flows));
      validateFlows(config); // a deploy is checked before it is saved; a hand-edited flows file is checked here
      parsed = parseFlows(config, (t) => !!engine.registry.get(t));
    } catch (err) {
      engine.logger.error(`Cannot start the flows: ${err instanceof Error ? err.message : String(err)}`);
      engine.events.emit('runtime-state', { state: 'stop', error: 'start-failed' });
      return;
    }
    this.missing = parsed.missingTypes;
    if (this.missing.length) {
      engine.logger.info('Waiting for missing types to be registered:');
      for (const t of this.missing) engine.logger.info(` - ${t}`);
      engine.events.emit('runtime-state', { state: 'stop', error: 'missing-types', types: this.missing });
      return;
    }
    engine.logger.info('Starting flows');
    const global = new Flow(engine, undefined, undefined);
    const flows = [global];
    try {
      global.createGlobal(parsed.globalConfigs);
      for (const tab of parsed.tabs.values()) {
        if (tab.tab.disabled) continue;
        const f = new Flow(engine, tab, global);
        flows.push(f);
        await f.init();
        f.create();
      }
      for (const f of flows) f.resolveWires();
    } catch (err) {
      // node failures are caught per node; this is the backstop that keeps a bad config from taking the
      // runtime (or its next start) down: what was created is stopped again and the flows stay stopped
      engine.logger.error(`Failed to start flows: ${err instanceof Error ? err.message : String(err)}`);
      await Promise.all(flows.map((f) => f.stop(true).catch(() => undefined)));
      engine.events.emit('runtime-state', { state: 'stop', error: 'start-failed' });
      return;
    }
    this.flows = flows;
    this.running = true;
    const active = new Set<string>(['global']);
    for (const f of flows) { active.add(f.id); for (const id of f.nodes.keys()) active.add(id); }
    engine.contexts.clean(active);
    engine.logger.info('Started flows');
    engine.events.emit('flows:started', { config: this.active.flows });
    engine.events.emit('runtime-state', { state: 'start' });
  }

  private async stopFlows(removed: boolean): Promise<void> {
    if (!this.running) return;
    this.engine.logger.info('Stopping flows');
    const flows = this.flows;
    this.flows = [];
    this.running = false;
    // normal flows first, then the global config nodes they use
    await Promise.all(flows.slice(1).map((f) => f.stop(removed)));
    if (flows[0]) await flows[0].stop(removed);
    this.engine.logger.info('Stopped flows');
    this.engine.events.emit('flows:stopped');
  }

  /** Every credential map id of the active config (for tests / admin). */
  get credentials(): CredentialMap { return this.active.credentials; }
}
