// Finding and loading the settings file: -s FILE, else <userDir>/settings.{js,cjs,mjs,json,ts}, else the
// defaults. CommonJS loads unchanged although Crimson is ESM; every failure names the file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { defaultSettings } from './defaults.js';
import { SettingsError } from './errors.js';
import type { Settings } from './types.js';

export const SETTINGS_FILE_NAMES = ['settings.js', 'settings.cjs', 'settings.mjs', 'settings.json', 'settings.ts'];

export interface LoadedSettings {
  settings: Settings;
  /** Absolute path of the file the settings came from; absent when the defaults were used. */
  file?: string;
}

/** The first settings file present in userDir, if any. */
export function findSettingsFile(userDir: string): string | undefined {
  for (const name of SETTINGS_FILE_NAMES) {
    const file = join(userDir, name);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

export async function loadSettings(opts: { settingsFile?: string; userDir: string }): Promise<LoadedSettings> {
  let file: string | undefined;
  if (opts.settingsFile) {
    file = resolvePath(opts.settingsFile);
    if (!existsSync(file)) throw new SettingsError(`Settings file not found: ${file}`, file);
    if (!statSync(file).isFile()) throw new SettingsError(`Settings file is not a file: ${file}`, file);
  } else {
    file = findSettingsFile(resolvePath(opts.userDir));
  }
  if (!file) return { settings: defaultSettings() };
  let value: unknown;
  try {
    value = await loadFile(file);
  } catch (err) {
    if (err instanceof SettingsError) throw err;
    throw new SettingsError(`Error loading settings file ${file}${where(err, file)}: ${describe(err)}`, file, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new SettingsError(`Error loading settings file ${file}: it must export an object, got ${got}`, file);
  }
  return { settings: value as Settings, file };
}

async function loadFile(file: string): Promise<unknown> {
  switch (extname(file).toLowerCase()) {
    case '.mjs': return importModule(file);
    case '.json': return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    case '.ts': case '.mts': case '.cts': return loadTypeScript(file);
    default: return loadScript(file); // .js, .cjs, or any other name given with -s
  }
}

/** .js / .cjs: require() (fresh each time); an ESM file falls back to import(). */
async function loadScript(file: string): Promise<unknown> {
  const req = createRequire(file);
  delete req.cache[req.resolve(file)];
  try {
    return fromNamespace(req(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return importModule(file);
    // A CommonJS file inside a "type": "module" package: Node ran it as ESM, where `module` is undefined.
    if (err instanceof ReferenceError && /\b(module|exports|require) is not defined in ES module scope/.test(err.message)) {
      return runAsCommonJs(file, readFileSync(file, 'utf8'));
    }
    throw err;
  }
}

let importCount = 0;
async function importModule(file: string): Promise<unknown> {
  // The query makes each load read the file again instead of reusing the module cache.
  const ns: unknown = await import(`${pathToFileURL(file).href}?load=${Date.now()}-${++importCount}`);
  return fromNamespace(ns);
}

/** A module namespace's default export, or its named exports when it has none. */
function fromNamespace(value: unknown): unknown {
  if (Object.prototype.toString.call(value) !== '[object Module]') return value;
  const ns = value as Record<string, unknown>;
  if ('default' in ns) return ns.default;
  return Object.assign({}, ns);
}

/** Runs source text as a CommonJS module whatever package type surrounds it; returns module.exports. */
function runAsCommonJs(file: string, source: string): unknown {
  const body = source.replace(/^\uFEFF/, '').replace(/^#!.*/, '');
  const fn = compileFunction(body, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  const mod = { exports: {} as unknown };
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  const exp = mod.exports as Record<string, unknown> | null;
  if (exp && typeof exp === 'object' && exp.__esModule && 'default' in exp) return exp.default;
  return exp;
}

interface TypeScriptApi {
  transpileModule(input: string, opts: { compilerOptions: Record<string, unknown>; fileName?: string }): { outputText: string };
  ModuleKind: { CommonJS: number };
  ScriptTarget: { ES2022: number };
}

/**
 * .ts: a Node.js that strips types itself (22.6+ with --experimental-strip-types, 23.6+ by default)
 * imports it; otherwise the `typescript` package, when installed, transpiles it to CommonJS.
 */
async function loadTypeScript(file: string): Promise<unknown> {
  const features = process.features as { typescript?: string | false };
  const stripFlag = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => /^--experimental-(strip|transform)-types$/.test(a));
  if (features.typescript || stripFlag) return importModule(file);
  const ts = findTypeScript(file);
  if (!ts) {
    throw new SettingsError(
      `Cannot load settings file ${file}: this Node.js (${process.version}) cannot run TypeScript and the 'typescript' package is not installed. ` +
        'Use Node.js 22.6+ with --experimental-strip-types (23.6+ needs no flag), install typescript, or rename it to settings.mjs and remove the type annotations.',
      file,
    );
  }
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: file,
  });
  return runAsCommonJs(file, outputText);
}

function findTypeScript(file: string): TypeScriptApi | undefined {
  for (const from of [import.meta.url, file]) {
    try {
      return createRequire(from)('typescript') as TypeScriptApi;
    } catch { /* not installed there */ }
  }
  return undefined;
}

/** ` (line N)` when the error's stack points into the settings file. */
function where(err: unknown, file: string): string {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  const url = pathToFileURL(file).href;
  for (const name of [file, url]) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(?:^|\\(|\\s)${escaped}(?:\\?[^:]*)?:(\\d+)`, 'm').exec(stack);
    if (m) return ` (line ${m[1]})`;
  }
  return '';
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
