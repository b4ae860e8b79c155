// Who runs scheduled work (inject nodes' once, repeat and crontab): one process alone always does; in a
// cluster only the instance holding the leader lease does, and leadership moves when that instance dies.
export interface Leadership {
  /** Whether this instance runs the scheduled work now. */
  readonly leading: boolean;
  /** Calls `listener` on each change; returns the function that stops the calls. */
  watch(listener: (leading: boolean) => void): () => void;
}

/** A process on its own: always leading. */
export const ALWAYS_LEADING: Leadership = { leading: true, watch: () => () => {} };

/** A leadership that changes when told (the cluster's lease drives it). */
export function createLeadership(): Leadership & { set(leading: boolean): void } {
  let leading = false;
  const listeners = new Set<(leading: boolean) => void>();
  return {
    get leading() { return leading; },
    watch(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    set(next) {
      if (next === leading) return;
      leading = next;
      for (const l of [...listeners]) {
        try { l(next); } catch { /* a listener never stops the others */ }
      }
    },
  };
}
