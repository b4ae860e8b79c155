// Who runs scheduled work (inject nodes' once, repeat and crontab): one process alone always does; in a
// cluster only the instance holding the leader lease does, and leadership moves when that instance dies.
// In a cluster it also carries when each piece of scheduled work last fired, so that a new leader goes on
// with the cluster's schedule (the next period) instead of starting a new one.

/** When scheduled work last fired anywhere in the cluster (kept in Redis, on Redis's clock). */
export interface FiredMarks {
  /** Milliseconds since `key` last fired on any instance; undefined when none did within the time it was kept. */
  since(key: string): Promise<number | undefined>;
  /** Records that `key` fires now, kept `keepMs`. Never throws: a mark that could not be written is only lost. */
  fired(key: string, keepMs: number): void;
}

export interface Leadership {
  /** Whether this instance runs the scheduled work now. */
  readonly leading: boolean;
  /** Calls `listener` on each change; returns the function that stops the calls. */
  watch(listener: (leading: boolean) => void): () => void;
  /** In a cluster: when scheduled work last fired (a process alone has no other instance to go on from). */
  readonly marks?: FiredMarks;
}

/** A process on its own: always leading. */
export const ALWAYS_LEADING: Leadership = { leading: true, watch: () => () => {} };

/** A leadership that changes when told (the cluster's lease drives it). */
export function createLeadership(marks?: FiredMarks): Leadership & { set(leading: boolean): void } {
  let leading = false;
  const listeners = new Set<(leading: boolean) => void>();
  return {
    get leading() { return leading; },
    marks,
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
