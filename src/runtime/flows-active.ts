// The running flows of one runtime: the global flow (config nodes outside any tab) and one Flow per
// enabled tab. start() creates whatever is not running yet — everything after a full stop, only the
// stopped nodes and new flows after a modified deploy — then re-resolves every wire to the running
// nodes. stop() stops all of it, or the nodes of a stop list and the flows that restart whole.
import { Flow } from './flow.js';
import { subflowSpawner } from './subflow.js';
import type { Engine } from './engine.js';
import type { ParsedFlows } from './flow-parse.js';

export interface StopPlan {
  /** Nodes to stop in flows that keep running. */
  nodes: ReadonlySet<string>;
  /** Flows (tab ids) that stop whole and are dropped: removed, added, disabled, or their env changed. */
  flows: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

export class ActiveFlows {
  private readonly byId = new Map<string, Flow>();

  constructor(private readonly engine: Engine) {}

  get running(): boolean { return this.byId.size > 0; }

  /** Starts what the config needs that is not running. Throws (after stopping what it created) on failure. */
  async start(parsed: ParsedFlows): Promise<void> {
    let global = this.byId.get('global');
    if (!global) {
      global = new Flow(this.engine, undefined, undefined);
      this.byId.set('global', global);
    }
    await global.initGlobal(parsed.globalConfigs);
    await this.createOrLog(global.createGlobal(parsed.globalConfigs));
    const spawn = subflowSpawner(parsed.subflows);
    for (const [id, tab] of parsed.tabs) {
      if (tab.tab.disabled) continue;
      let flow = this.byId.get(id);
      if (flow) flow.update(tab, spawn);
      else {
        flow = new Flow(this.engine, tab, global, { spawn });
        this.byId.set(id, flow);
      }
      await flow.init();
      await this.createOrLog(flow.create());
    }
    for (const f of this.byId.values()) f.reindex();
    for (const f of this.byId.values()) f.resolveWires();
  }

  /**
   * As Node-RED: a flow that cannot be created (a circular config node dependency) is logged and left as far
   * as it got; the other flows start.
   */
  private async createOrLog(creating: Promise<void>): Promise<void> {
    try {
      await creating;
    } catch (err) {
      this.engine.logger.error(String(err));
    }
  }

  /**
   * Stops every flow (no plan), or per the plan. Tab flows stop before the global flow, whose config
   * nodes they use. `removed` names the nodes that are gone from the new config.
   */
  async stop(removed: ReadonlySet<string> = NONE, plan?: StopPlan): Promise<void> {
    const tabs = [...this.byId.values()].filter((f) => f.id !== 'global');
    const global = this.byId.get('global');
    const jobs: Array<Promise<void>> = [];
    for (const f of [...tabs, ...(global ? [global] : [])]) {
      const whole = !plan || plan.flows.has(f.id);
      jobs.push(f.stop(removed, whole ? undefined : plan.nodes));
      if (whole) this.byId.delete(f.id);
    }
    await Promise.all(jobs);
  }

  /** Every id the running flows know (flows and their nodes). */
  ids(): Set<string> {
    const ids = new Set<string>();
    for (const f of this.byId.values()) { ids.add(f.id); for (const id of f.nodes.keys()) ids.add(id); }
    return ids;
  }
}
