// The crimson command: parse the command line, load and resolve settings, start the runtime, and
// stop it cleanly on SIGINT/SIGTERM/SIGHUP. Start-up problems print one clear line and exit 1.
import { isFunctionNodeRejection } from '../nodes/function/rejections.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { arch, endianness, release, type } from 'node:os';
import { createLogger, type Logger } from '../runtime/logger.js';
import { SettingsError } from '../settings/errors.js';
import { loadSettings } from '../settings/load.js';
import { initialUserDir, resolveSettings } from '../settings/resolve.js';
import type { Settings } from '../settings/types.js';
import { CliError, parseCliArgs } from './args.js';
import { usage } from './usage.js';

export interface RuntimeHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
}
export type CreateRuntime = (
  settings: Settings,
  opts: { userDir: string; logger: Logger; safeMode?: boolean; settingsFile?: string; version?: string },
) => RuntimeHandle;

/** What main touches outside itself; tests replace parts of it. */
export interface MainEnvironment {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out(line: string): void;
  err(line: string): void;
  exit(code: number): void;
  /** Registers a process event handler (signals, uncaughtException). */
  on(event: string, handler: (arg?: unknown, arg2?: unknown) => void): void;
  setTitle(title: string): void;
  /** Where console log lines go; undefined = stdout. */
  logWrite?: (line: string) => void;
  createRuntime?: CreateRuntime;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR2'];

/** The version in Crimson's package.json: the nearest one above this file (dist/cli.js is a bundle, dist/cli/main.js not). */
export function crimsonVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'crimson') return pkg.version;
    } catch { /* not there: try one level up */ }
  }
  return '0.0.0';
}

function processEnvironment(): MainEnvironment {
  return {
    env: process.env,
    cwd: process.cwd(),
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    exit: (code) => process.exit(code),
    on: (event, handler) => { process.on(event, handler); },
    setTitle: (title) => { process.title = title; },
  };
}

const stackOf = (err: unknown): string | undefined => (err instanceof Error ? err.stack : undefined);

export async function main(argv: string[], overrides: Partial<MainEnvironment> = {}): Promise<void> {
  const io: MainEnvironment = { ...processEnvironment(), ...overrides };
  let verbose = argv.includes('-v') || argv.includes('--verbose');
  try {
    const args = parseCliArgs(argv);
    verbose = args.verbose;
    if (args.help) {
      io.out(usage(crimsonVersion()));
      return io.exit(0);
    }
    if (args.version) {
      io.out(`Crimson v${crimsonVersion()}`);
      io.out(`Node.js ${process.version}`);
      io.out(`${type()} ${release()} ${arch()} ${endianness()}`);
      return io.exit(0);
    }
    const searchDir = initialUserDir(args, io.env, io.cwd);
    const loaded = await loadSettings({ settingsFile: args.settingsFile, userDir: searchDir });
    const resolved = resolveSettings({ args, loaded, env: io.env, cwd: io.cwd });
    try {
      mkdirSync(resolved.userDir, { recursive: true });
    } catch (err) {
      throw new SettingsError(`Cannot create user directory ${resolved.userDir}: ${(err as Error).message}`, undefined, { cause: err });
    }
    io.setTitle(args.title || 'crimson');
    const logger = createLogger({ logging: resolved.settings.logging, verbose: !!resolved.settings.verbose, write: io.logWrite });
    const runtimeOpts = { userDir: resolved.userDir, logger, safeMode: resolved.safeMode, settingsFile: resolved.settingsFile, version: crimsonVersion() };
    await run(resolved.settings, runtimeOpts, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(err.message);
      io.err("Run 'crimson --help' to see the options.");
    } else if (err instanceof SettingsError) {
      io.err(err.message);
      const stack = stackOf(err.cause);
      if (verbose && stack) io.err(stack);
    } else {
      io.err(`Failed to start: ${err instanceof Error ? err.message : String(err)}`);
      if (verbose && stackOf(err)) io.err(stackOf(err)!);
    }
    return io.exit(1);
  }
}

async function run(settings: Settings, opts: Parameters<CreateRuntime>[1], io: MainEnvironment): Promise<void> {
  const create: CreateRuntime = io.createRuntime ?? (await import('../runtime/runtime.js')).createRuntime;
  const { logger } = opts;
  const runtime = create(settings, opts);
  try {
    await runtime.start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') logger.error(`Unable to listen on port ${String(settings.uiPort)}: it is already in use`);
    else logger.error(`Failed to start: ${err instanceof Error ? err.message : String(err)}`);
    if (logger.verbose && stackOf(err)) logger.error(stackOf(err));
    await runtime.stop().catch(() => undefined);
    return io.exit(1);
  }

  let stopping = false;
  const stop = () => {
    if (stopping) return io.exit(1); // a second signal: stop waiting
    stopping = true;
    runtime.stop().then(
      () => io.exit(0),
      (err: unknown) => {
        logger.error(`Error while stopping: ${err instanceof Error ? err.message : String(err)}`);
        io.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) io.on(signal, stop);
  // a node's stray exception or rejection is logged; it never takes the daemon down
  io.on('uncaughtException', (err) => {
    logger.error('Uncaught exception:');
    logger.error(stackOf(err) ?? err);
  });
  io.on('unhandledRejection', (reason, promise) => {
    if (isFunctionNodeRejection(promise)) return; // already reported on its function node
    logger.error('Unhandled promise rejection:');
    logger.error(stackOf(reason) ?? reason);
  });
}
