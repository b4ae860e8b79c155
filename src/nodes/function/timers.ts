// The setTimeout/setInterval a function node's code gets: tracked so close can clear them, callbacks run
// with `this` = the node, and an error (thrown or rejected) in a callback goes to node.error(err, {}).
import util from 'node:util';

interface TimerOwner { error(err: unknown, msg?: Record<string, unknown>): void }

export interface SandboxTimers {
  setTimeout: (fn: unknown, delay?: unknown, ...args: unknown[]) => NodeJS.Timeout;
  clearTimeout: (id: unknown) => void;
  setInterval: (fn: unknown, delay?: unknown, ...args: unknown[]) => NodeJS.Timeout;
  clearInterval: (id: unknown) => void;
  /** Clears every timer still pending (node close). */
  clearAll(): void;
}

export function createSandboxTimers(node: TimerOwner): SandboxTimers {
  const timeouts = new Set<unknown>();
  const intervals = new Set<unknown>();
  const report = (err: unknown): void => node.error(err, {});
  const run = (fn: unknown, args: unknown[]): void => {
    try {
      const r = (fn as Function).apply(node, args);
      if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
        (r as Promise<unknown>).then(undefined, report);
      }
    } catch (err) {
      report(err);
    }
  };

  const timers: SandboxTimers = {
    setTimeout(fn, delay, ...args) {
      const id = setTimeout((...a: unknown[]) => { timeouts.delete(id); run(fn, a); }, delay as number, ...args);
      timeouts.add(id);
      return id;
    },
    clearTimeout(id) {
      clearTimeout(id as NodeJS.Timeout);
      timeouts.delete(id);
    },
    setInterval(fn, delay, ...args) {
      const id = setInterval((...a: unknown[]) => run(fn, a), delay as number, ...args);
      intervals.add(id);
      return id;
    },
    clearInterval(id) {
      clearInterval(id as NodeJS.Timeout);
      intervals.delete(id);
    },
    clearAll() {
      for (const id of timeouts) clearTimeout(id as NodeJS.Timeout);
      for (const id of intervals) clearInterval(id as NodeJS.Timeout);
      timeouts.clear();
      intervals.clear();
    },
  };
  // util.promisify(setTimeout)(ms, value) resolves with value after ms, through the tracked timer
  Object.defineProperty(timers.setTimeout, util.promisify.custom, {
    value: (after: unknown, value: unknown) => new Promise((resolve) => { timers.setTimeout(() => resolve(value), after); }),
  });
  return timers;
}
