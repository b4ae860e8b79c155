// Combines the settings file, the command line and the environment into the settings Crimson runs
// with, in Node-RED's order: file, -D, validation, -v/--safe/env switches, roots, port, flows file, userDir.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import type { CliArgs } from '../cli/args.js';
import { applyDefines } from './define.js';
import { FALLBACKS } from './defaults.js';
import { SettingsError } from './errors.js';
import type { LoadedSettings } from './load.js';
import type { Settings } from './types.js';
import { validateSettings } from './validate.js';

export interface ResolveInput {
  args: CliArgs;
  loaded: LoadedSettings;
  env: NodeJS.ProcessEnv;
  /** Defaults to process.cwd(). */
  cwd?: string;
}

export interface ResolvedSettings {
  settings: Settings;
  /** Absolute user directory (not created here). */
  userDir: string;
  safeMode: boolean;
  settingsFile?: string;
}

/** `~` / `~/x` expanded against the home directory. */
export function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) return join(homeDir(env), p.slice(1));
  return p;
}

function homeDir(env: NodeJS.ProcessEnv): string {
  const home = env.HOME || env.USERPROFILE || env.HOMEPATH || homedir();
  if (!home) throw new SettingsError('Could not find a home directory: set $HOME or use the --userDir option');
  return home;
}

/** The user directory before the settings file is read: -u DIR, else ~/.crimson. */
export function initialUserDir(args: Pick<CliArgs, 'userDir'>, env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  if (args.userDir) return resolvePath(cwd, expandHome(args.userDir, env));
  return join(homeDir(env), '.crimson');
}

/** A root path with a leading and a trailing '/'. */
export function formatRoot(root: string): string {
  let r = root;
  if (!r.startsWith('/')) r = '/' + r;
  if (!r.endsWith('/')) r += '/';
  return r;
}

/** Where a relative flows file lives: `./x` and names present in cwd are cwd's, others the userDir's. */
export function resolveFlowFilePath(flowFile: string, userDir: string, cwd: string): string {
  if (isAbsolute(flowFile)) return flowFile;
  if (flowFile.startsWith('./') || flowFile.startsWith('.\\')) return join(cwd, flowFile);
  const inCwd = join(cwd, flowFile);
  return existsSync(inCwd) ? inCwd : join(userDir, flowFile);
}

/** `true` for any value but (case-insensitive) "false"; unset is false. */
const envFlag = (v: string | undefined): boolean => v !== undefined && v !== '' && !/^false$/i.test(v);

function parsePort(value: string | number, what: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SettingsError(`Invalid ${what} '${value}': expected a port number 0-65535`);
  return n;
}

const asObject = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};

export function resolveSettings(input: ResolveInput): ResolvedSettings {
  const { args, loaded, env } = input;
  const cwd = input.cwd ?? process.cwd();
  // A shallow copy: -D copies the nested objects it changes, so the file's exports stay untouched.
  const s: Settings = { ...loaded.settings };
  applyDefines(s, args.define, cwd);
  validateSettings(s);

  if (loaded.file) s.settingsFile = loaded.file;
  if (args.verbose) s.verbose = true;
  const safeMode = args.safe || envFlag(env.NODE_RED_ENABLE_SAFE_MODE) || s.safeMode === true;
  if (safeMode) s.safeMode = true;

  if (env.NODE_RED_ENABLE_PROJECTS) {
    const theme = asObject(s.editorTheme);
    theme.projects = { ...asObject(theme.projects), enabled: envFlag(env.NODE_RED_ENABLE_PROJECTS) };
    s.editorTheme = theme;
  }
  if (env.NODE_RED_ENABLE_TOURS) s.editorTheme = { ...asObject(s.editorTheme), tours: envFlag(env.NODE_RED_ENABLE_TOURS) };
  if (args.noTelemetry || env.NODE_RED_DISABLE_TELEMETRY) s.telemetry = { ...asObject(s.telemetry), enabled: false };

  if (s.httpRoot === false) {
    s.httpAdminRoot = false;
    s.httpNodeRoot = false;
  } else {
    s.disableEditor = s.disableEditor || false;
  }
  const httpRoot = typeof s.httpRoot === 'string' ? s.httpRoot : '';
  if (s.httpAdminRoot !== false) s.httpAdminRoot = formatRoot(s.httpAdminRoot || httpRoot || FALLBACKS.httpAdminRoot);
  else s.disableEditor = true;
  if (s.httpNodeRoot !== false) s.httpNodeRoot = formatRoot(s.httpNodeRoot || httpRoot || FALLBACKS.httpNodeRoot);

  if (args.port !== undefined) s.uiPort = args.port;
  else if (s.uiPort !== undefined && s.uiPort !== null) s.uiPort = parsePort(s.uiPort, "setting 'uiPort'");
  else if (env.PORT) s.uiPort = parsePort(env.PORT, 'PORT environment variable');
  else s.uiPort = FALLBACKS.uiPort;

  const userDir = args.userDir
    ? initialUserDir(args, env, cwd)
    : typeof s.userDir === 'string' && s.userDir
      ? resolvePath(cwd, expandHome(s.userDir, env))
      : initialUserDir(args, env, cwd);
  s.userDir = userDir;
  if (args.flowFile) s.flowFile = resolveFlowFilePath(expandHome(args.flowFile, env), userDir, cwd);

  return { settings: s, userDir, safeMode, settingsFile: loaded.file };
}
