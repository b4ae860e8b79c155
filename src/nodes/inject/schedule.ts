// When an inject node fires by itself (COMPAT D1): once after `onceDelay` seconds, then every `repeat`
// seconds or on a `crontab` schedule (cronosjs, the library Node-RED uses). Everything is cancellable.
import { cronosjs } from '../../runtime/util/deps.js';

/** Longest accepted repeat, in seconds (setInterval's limit). */
export const MAX_REPEAT_SECONDS = 2147483;

export interface ScheduleConfig {
  repeat?: unknown;
  crontab?: unknown;
  once?: unknown;
  onceDelay?: unknown;
}

/** What the schedule reports through the node. */
export interface ScheduleHooks {
  fire(): void;
  debug(text: string): void;
  error(err: unknown): void;
}

/** The next time `crontab` fires after `after` (local time zone), or null if never; throws on bad syntax. */
export function nextCronFire(crontab: string, after: Date = new Date()): Date | null {
  return cronosjs().CronosExpression.parse(crontab).nextDate(after);
}

/** How late a crontab time missed while leadership passed on may still be fired (a whole cluster down longer skips it). */
const CRON_CATCH_UP_MS = 60000;

/**
 * Whether a time of `crontab` fell after its last tick (`sinceLastMs` ago) and is past now, no more than a minute
 * ago: the tick a cluster's new leader fires at once. An invalid crontab is never missed.
 */
export function missedCronTime(crontab: string, sinceLastMs: number, now: number = Date.now()): boolean {
  let next: Date | null;
  try {
    next = nextCronFire(crontab, new Date(now - sinceLastMs));
  } catch {
    return false;
  }
  return next !== null && next.getTime() <= now && now - next.getTime() <= CRON_CATCH_UP_MS;
}

/** The repeat interval in ms, when the node repeats (undefined for none, or one too large). */
export function repeatMs(config: ScheduleConfig): number | undefined {
  const repeat = Number(config.repeat);
  return repeat > 0 && repeat <= MAX_REPEAT_SECONDS ? repeat * 1000 : undefined;
}

/** Whether the node fires by itself at all (once, a valid repeat, or a crontab). */
export function hasSchedule(config: ScheduleConfig): boolean {
  return !!config.once || !!config.crontab || repeatMs(config) !== undefined;
}

/** The stop function of a node that schedules nothing (shared). */
export const NO_SCHEDULE = (): void => {};

/**
 * Starts the node's timers and returns the function that stops them. An invalid crontab throws here
 * (the node then fails to start) unless `once` is set, when it is reported through `hooks.error` later.
 * `firstRepeatInMs`: the first repeat fires after that many ms (0: at once) instead of a whole interval, then
 * every interval from there (a cluster's new leader going on with the cluster's periods).
 */
export function startSchedule(config: ScheduleConfig, hooks: ScheduleHooks, opts: { firstRepeatInMs?: number } = {}): () => void {
  let repeat: unknown = config.repeat;
  if ((repeat as number) > MAX_REPEAT_SECONDS) {
    hooks.error('Interval too large');
    repeat = undefined;
  }
  const repeats = !!repeat && !isNaN(repeat as number) && (repeat as number) > 0;
  // nothing to schedule (a button-only inject): no timers, and nothing kept that would hold the config
  if (!config.once && !repeats && !config.crontab) return NO_SCHEDULE;
  let onceTimer: NodeJS.Timeout | undefined;
  let interval: NodeJS.Timeout | undefined;
  let firstRepeat: NodeJS.Timeout | undefined;
  let cronTask: { stop(): unknown } | undefined;
  let stopped = false;

  const startRepeating = () => {
    if (repeats) {
      const ms = (repeat as number) * 1000;
      hooks.debug(`repeat = ${ms}`);
      if (opts.firstRepeatInMs === undefined) {
        interval = setInterval(hooks.fire, ms);
      } else {
        firstRepeat = setTimeout(() => {
          firstRepeat = undefined;
          if (stopped) return;
          interval = setInterval(hooks.fire, ms);
          hooks.fire();
        }, Math.max(0, Math.min(ms, opts.firstRepeatInMs)));
      }
    } else if (config.crontab) {
      hooks.debug(`crontab = ${config.crontab}`);
      cronTask = cronosjs().scheduleTask(config.crontab as string, () => hooks.fire(), undefined);
    }
  };

  if (config.once) {
    const delay = ((config.onceDelay as number) || 0.1) * 1000;
    onceTimer = setTimeout(() => {
      onceTimer = undefined;
      hooks.fire();
      if (stopped) return;
      try {
        startRepeating();
      } catch (err) {
        hooks.error(err);
      }
    }, delay);
  } else {
    startRepeating();
  }

  return () => {
    stopped = true;
    if (onceTimer) clearTimeout(onceTimer);
    if (firstRepeat) clearTimeout(firstRepeat);
    if (interval) clearInterval(interval);
    cronTask?.stop();
  };
}
