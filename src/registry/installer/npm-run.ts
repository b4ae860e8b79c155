// Running npm: one child process in its own process group, its output streamed to the log (trace) and to
// the runtime's `event-log` (the editor's event log), stopped with everything it started when it overruns
// its time limit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Logger } from '../../runtime/logger.js';

export interface NpmResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the time limit stopped it. */
  timedOut: boolean;
}

export interface NpmRunner {
  /** The npm command it runs (`npm`, or settings' path to one). */
  readonly command: string;
  /** `quiet`: nothing on the event log (checks, not installs); `timeoutMs` overrides the runner's limit. */
  run(args: string[], cwd: string, opts?: { quiet?: boolean; timeoutMs?: number }): Promise<NpmResult>;
}

/** How long a stopped npm gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3000;

/** The npm that comes with Node on Windows, where `npm` itself is a .cmd script spawn cannot run. */
export const windowsNpmCli = (): string => path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js');

/** The program and leading arguments that run `npm` here. */
function npmInvocation(command: string): { file: string; pre: string[] } {
  if (process.platform === 'win32' && command === 'npm') {
    const cli = windowsNpmCli();
    if (existsSync(cli)) return { file: process.execPath, pre: [cli] };
  }
  return { file: command, pre: [] };
}

/** Kills the whole process group of `pid` (or the tree on Windows); quiet when it is already gone. */
function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    else process.kill(-pid, signal);
  } catch { /* already gone */ }
}

/** npm runs in progress: stopped when this process exits (their own process group would outlive it otherwise). */
const running = new Set<number>();
let exitHookAdded = false;
function track(pid: number | undefined): void {
  if (!pid) return;
  running.add(pid);
  if (!exitHookAdded) {
    exitHookAdded = true;
    process.once('exit', () => { for (const p of running) killTree(p, 'SIGKILL'); });
  }
}

export function createNpmRunner(opts: { command: string; timeoutMs: number; logger: Logger; events?: EventEmitter }): NpmRunner {
  const { logger, events } = opts;
  return {
    command: opts.command,
    run(args, cwd, { quiet = false, timeoutMs = opts.timeoutMs } = {}) {
      const { file, pre } = npmInvocation(opts.command);
      const id = randomBytes(8).toString('hex');
      const eventLog = (payload: Record<string, unknown>) => {
        if (!quiet) events?.emit('event-log', { id, payload: { ts: Date.now(), ...payload } });
      };
      logger.trace(`${opts.command} ${JSON.stringify(args)} (in ${cwd})`);
      eventLog({ data: `${opts.command} ${args.join(' ')}` });
      return new Promise<NpmResult>((resolve) => {
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        let settled = false;
        const child = spawn(file, [...pre, ...args], {
          cwd,
          // its own process group, so that a timeout stops npm and whatever it started (install scripts)
          detached: process.platform !== 'win32',
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        });
        track(child.pid);
        // whole lines to the log; the event log gets the text as it comes
        const partial = { out: '', err: '' };
        const traceLines = (type: 'out' | 'err', text: string, flush: boolean) => {
          const lines = (partial[type] + text).split('\n');
          partial[type] = flush ? '' : lines.pop()!;
          for (const line of lines) if (line) logger.trace(`npm ${type}: ${line}`);
        };
        const output = (type: 'out' | 'err') => (text: string) => {
          if (type === 'out') stdout += text; else stderr += text;
          traceLines(type, text, false);
          eventLog({ data: text, type });
        };
        child.stdout!.setEncoding('utf8').on('data', output('out'));
        child.stderr!.setEncoding('utf8').on('data', output('err'));
        const finish = (code: number | null) => {
          if (settled) return;
          settled = true;
          if (child.pid) running.delete(child.pid);
          clearTimeout(timer);
          if (hardKill) clearTimeout(hardKill);
          traceLines('out', '', true);
          traceLines('err', '', true);
          // anything of the group that outlived npm (a script that ignored SIGTERM) goes too
          if (timedOut && child.pid) killTree(child.pid, 'SIGKILL');
          eventLog({ data: `rc=${code}`, end: true });
          resolve({ code, stdout, stderr, timedOut });
        };
        let hardKill: NodeJS.Timeout | undefined;
        const timer = setTimeout(() => {
          timedOut = true;
          if (!child.pid) return;
          killTree(child.pid, 'SIGTERM');
          hardKill = setTimeout(() => killTree(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
        }, timeoutMs);
        child.on('error', (err) => {
          stderr += String(err);
          eventLog({ data: String(err), type: 'err' });
          finish(null);
        });
        child.on('close', (code) => finish(code));
        // a process npm left behind holding its output open must not hold up the result
        child.on('exit', (code) => {
          if (!timedOut) setTimeout(() => { child.stdout!.destroy(); child.stderr!.destroy(); finish(code); }, 1000).unref();
        });
      });
    },
  };
}
