// Node set states (enabled / disabled, PUT /nodes/...) across a cluster: `<name>:set-states` holds each set's
// state; a change on one instance is written with the node list and published, and the others switch the same
// sets, with the editor notifications and log lines a change made there would give.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../runtime/logger.js';
import type { Registry } from '../registry/registry.js';
import { reportStateChange } from '../registry/palette.js';
import type { SharedHash } from './shared-hash.js';

export interface SetStates {
  /** Writes this instance's set states (after a local change or to seed a new cluster). */
  save(): Promise<void>;
  /** Takes the cluster's states (another instance changed them, or at start); true when a set changed here. */
  apply(): Promise<boolean>;
}

export function createSetStates(opts: { table: SharedHash<boolean>; registry: Registry; events: EventEmitter; logger: Logger }): SetStates {
  const { registry } = opts;
  const states = () => {
    const out: Record<string, boolean> = {};
    for (const m of registry.modules()) for (const s of m.sets) out[s.id] = s.enabled;
    return out;
  };
  return {
    save: () => opts.table.save(states()),
    async apply() {
      const shared = await opts.table.read();
      let changed = false;
      for (const m of registry.modules()) {
        for (const s of m.sets) {
          const wanted = shared[s.id];
          if (typeof wanted !== 'boolean' || wanted === s.enabled) continue;
          registry.setEnabled(s, wanted);
          reportStateChange(opts.events, opts.logger, s, wanted);
          changed = true;
        }
      }
      return changed;
    },
  };
}
