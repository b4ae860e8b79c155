// RED.hooks: named hook functions (`onSend`, `preDeliver.myLabel` …) that modules add and the runtime
// triggers, as Node-RED's hooks behave: only the known hook points, one hook per point and label, removal by
// label (`*.label` removes all of a label's), hooks run in the order added; a hook is sync (one argument:
// returning false halts, a Promise is waited for) or takes a callback (payload, done); the first error or
// `false` stops the chain and is what the trigger reports.
import type { Logger } from '../runtime/logger.js';

export const MESSAGE_HOOKS = ['onSend', 'preRoute', 'preDeliver', 'postDeliver', 'onReceive', 'postReceive', 'onComplete'] as const;
const VALID = new Set<string>([...MESSAGE_HOOKS, 'preInstall', 'postInstall', 'preUninstall', 'postUninstall']);

type HookFn = (payload: unknown, done?: (result?: unknown) => void) => unknown;
interface HookItem { fn: HookFn; removed: boolean }
/** What a trigger's callback gets: undefined (went through), false (halted) or what a hook failed with. */
export type HookResult = undefined | false | unknown;

export interface Hooks {
  add(id: string, fn: Function): void;
  remove(id: string): void;
  has(id: string): boolean;
  /** A Promise that rejects on an error (its `hook` set to the point), resolving false when halted. */
  trigger(id: string, payload: unknown): Promise<unknown>;
  /** Calls `done` with the result (synchronously when every hook is). */
  trigger(id: string, payload: unknown, done: (result: HookResult) => void): void;
  clear(): void;
  /** True while any message-routing hook is registered: the message path then takes the hooked way. */
  readonly routing: boolean;
}

export function createHooks(logger?: Pick<Logger, 'debug'>): Hooks {
  const byPoint = new Map<string, HookItem[]>();
  const byLabel = new Map<string, Map<string, HookItem>>();
  let routing = false;
  const refresh = () => { routing = MESSAGE_HOOKS.some((p) => byPoint.has(p)); };

  const drop = (point: string, item: HookItem) => {
    item.removed = true;
    const list = (byPoint.get(point) ?? []).filter((h) => h !== item);
    if (list.length) byPoint.set(point, list); else byPoint.delete(point);
  };

  /** Runs the hooks of a point one after another (each sees the list as it was when the trigger began). */
  function run(list: HookItem[], payload: unknown, done: (result: HookResult) => void): void {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null && err !== false) { done(err); return; }
      while (i < list.length && list[i]!.removed) i++;
      if (i >= list.length) { done(undefined); return; }
      const { fn } = list[i++]!;
      const resolved = (result?: unknown) => { if (result === undefined) next(); else done(result); };
      try {
        if (fn.length === 1) {
          const r = fn(payload);
          if (r === false) { done(false); return; }
          if (r && typeof (r as Promise<unknown>).then === 'function') { (r as Promise<unknown>).then(resolved, next); return; }
          next();
        } else {
          fn(payload, resolved);
        }
      } catch (e) {
        done(e);
      }
    };
    next();
  }

  return {
    get routing() { return routing; },
    add(id, fn) {
      const [point = '', label] = id.split('.');
      if (!VALID.has(point)) throw new Error(`Invalid hook '${point}'`);
      if (label && byLabel.get(label)?.has(point)) throw new Error(`Hook ${id} already registered`);
      logger?.debug(`Adding hook '${id}'`);
      const item: HookItem = { fn: fn as HookFn, removed: false };
      byPoint.set(point, [...(byPoint.get(point) ?? []), item]);
      if (label) {
        if (!byLabel.has(label)) byLabel.set(label, new Map());
        byLabel.get(label)!.set(point, item);
      }
      refresh();
    },
    remove(id) {
      const [point = '', label] = id.split('.');
      if (!label) throw new Error(`Cannot remove hook without label: ${id}`);
      logger?.debug(`Removing hook '${id}'`);
      const items = byLabel.get(label);
      if (!items) return;
      for (const [p, item] of [...items]) {
        if (point !== '*' && p !== point) continue;
        drop(p, item);
        items.delete(p);
      }
      if (items.size === 0) byLabel.delete(label);
      refresh();
    },
    has(id) {
      const [point = '', label] = id.split('.');
      return label ? !!byLabel.get(label)?.has(point) : byPoint.has(point);
    },
    trigger(id: string, payload: unknown, done?: (result: HookResult) => void): any {
      const list = byPoint.get(id);
      if (done) {
        if (!list) { done(undefined); return; }
        run(list, payload, done);
        return;
      }
      if (!list) return Promise.resolve();
      return new Promise((resolve, reject) => {
        run(list, payload, (r) => {
          if (r === undefined || r === false) { resolve(r); return; }
          const e = toError(r) as Error & { hook?: string };
          e.hook = id;
          reject(e);
        });
      });
    },
    clear() {
      byPoint.clear();
      byLabel.clear();
      refresh();
    },
  };
}

const toError = (r: unknown): Error => (r instanceof Error ? r : new Error(String(r)));
