// The runtime logger: Node-RED's levels, its console line format, pluggable handlers (settings.logging).
import { inspect, types } from 'node:util';
import type { LoggingHandlerSettings } from '../settings/types.js';

export const LEVELS = { off: 1, fatal: 10, error: 20, warn: 30, info: 40, debug: 50, trace: 60, audit: 98, metric: 99 } as const;
export type LevelName = Exclude<keyof typeof LEVELS, 'off'>;
const NAMES: Record<number, string> = Object.fromEntries(Object.entries(LEVELS).map(([k, v]) => [v, k]));

export interface LogEntry {
  level: number;
  msg: unknown;
  type?: string;
  name?: string;
  id?: string;
  z?: string;
  path?: string;
  timestamp?: number;
  [key: string]: unknown;
}

export type LogHandler = (entry: LogEntry) => void;

export interface Logger {
  log(entry: LogEntry): void;
  fatal(msg: unknown): void;
  error(msg: unknown): void;
  warn(msg: unknown): void;
  info(msg: unknown): void;
  debug(msg: unknown): void;
  trace(msg: unknown): void;
  audit(entry: Record<string, unknown>, req?: { user?: { username?: string }; ip?: string; path?: string; method?: string }): void;
  metric(): boolean;
  addHandler(handler: LogHandler): void;
  removeHandler(handler: LogHandler): void;
  /** True when entries of that level would reach at least one handler. */
  enabled(level: number): boolean;
  readonly verbose: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? '0' : '') + n;

/** One console line in Node-RED's format: `2 Dec 05:44:04 - [info] [type:name] text`. */
export function formatLine(entry: LogEntry, verbose: boolean): string {
  const d = new Date(entry.timestamp ?? Date.now());
  const time = `${d.getDate()} ${MONTHS[d.getMonth()]} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const level = NAMES[entry.level] ?? String(entry.level);
  // Node-RED writes metric and audit entries whole, as JSON
  if (entry.level === LEVELS.metric || entry.level === LEVELS.audit) return `${time} - [${level}] ${JSON.stringify(entry)}`;
  const who = entry.type ? `[${entry.type}:${entry.name || entry.id}] ` : '';
  let text: string;
  const m = entry.msg;
  if (m instanceof Error || types.isNativeError(m)) text = verbose && (m as Error).stack ? (m as Error).stack! : String(m);
  else if (typeof m === 'string') text = m;
  else text = inspect(m, { colors: false, depth: 5, breakLength: Infinity });
  return `${time} - [${level}] ${who}${text}`;
}

function levelOf(name: string | undefined, fallback: number): number {
  if (!name) return fallback;
  const v = (LEVELS as Record<string, number>)[name];
  return v ?? fallback;
}

/** The console handler, honouring level / audit / metrics flags. */
function consoleHandler(cfg: LoggingHandlerSettings, verbose: boolean, write: (line: string) => void): { handler: LogHandler; max: number } {
  const max = levelOf(cfg.level, LEVELS.info);
  const handler: LogHandler = (entry) => {
    if (entry.level === LEVELS.metric) { if (!cfg.metrics) return; }
    else if (entry.level === LEVELS.audit) { if (!cfg.audit) return; }
    else if (entry.level > max) return;
    write(formatLine(entry, verbose));
  };
  return { handler, max: Math.max(max, cfg.audit ? LEVELS.audit : 0, cfg.metrics ? LEVELS.metric : 0) };
}

export interface LoggerOptions {
  logging?: Record<string, LoggingHandlerSettings | undefined>;
  verbose?: boolean;
  /** Where console lines go (tests capture them). */
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const verbose = !!opts.verbose;
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const handlers: LogHandler[] = [];
  let maxLevel = 0;
  const logging = opts.logging ?? { console: { level: 'info' } };
  for (const [name, cfg] of Object.entries(logging)) {
    if (!cfg) continue;
    if (name === 'console' && typeof cfg.handler !== 'function') {
      const c = consoleHandler(cfg, verbose, write);
      handlers.push(c.handler);
      maxLevel = Math.max(maxLevel, c.max);
    } else if (typeof cfg.handler === 'function') {
      const fn = cfg.handler(cfg);
      const max = levelOf(cfg.level, LEVELS.info);
      handlers.push((e) => {
        if (e.level === LEVELS.metric ? cfg.metrics : e.level === LEVELS.audit ? cfg.audit : e.level <= max) fn(e);
      });
      maxLevel = Math.max(maxLevel, max, cfg.audit ? LEVELS.audit : 0, cfg.metrics ? LEVELS.metric : 0);
    }
  }
  if (verbose) maxLevel = Math.max(maxLevel, LEVELS.info);

  const log = (entry: LogEntry) => {
    if (entry.level > maxLevel && extra.length === 0) return;
    entry.timestamp ??= Date.now();
    for (const h of handlers) {
      try { h(entry); } catch { /* a broken handler never takes logging down */ }
    }
    for (const h of extra) {
      try { h(entry); } catch { /* ignore */ }
    }
  };
  const extra: LogHandler[] = [];
  const at = (level: number) => (msg: unknown) => log({ level, msg });
  return {
    log,
    fatal: at(LEVELS.fatal),
    error: at(LEVELS.error),
    warn: at(LEVELS.warn),
    info: at(LEVELS.info),
    debug: at(LEVELS.debug),
    trace: at(LEVELS.trace),
    audit(entry, req) {
      // Node-RED's audit entry: what the caller gave, its level, then who asked (no `msg`)
      const e = { ...entry, level: LEVELS.audit } as LogEntry;
      if (req) {
        e.user = req.user?.username;
        e.path = req.path;
        e.ip = req.ip;
      }
      log(e);
    },
    metric: () => maxLevel >= LEVELS.metric && handlers.length > 0,
    addHandler: (h) => { extra.push(h); },
    removeHandler: (h) => { const i = extra.indexOf(h); if (i >= 0) extra.splice(i, 1); },
    enabled: (level) => level <= maxLevel || extra.length > 0,
    verbose,
  };
}
