// Running one node set's entry file as Node-RED does: required and called with the set's RED object in one
// go (`module.exports = function (RED) {…}`, or an ES module's default export: Node 20.19+ requires ES modules;
// an older Node imports them), so sets run in order and a module returning a Promise does not hold up the
// next. What fails becomes the set's `err` as Node-RED keeps it: a load error with its line in the file as
// "<error> (line:N)", else the thrown or rejected value itself (an Error shows as {} in GET /nodes).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { NodeModule, RED } from '../red-types.js';

type Loaded = { default?: unknown; __esModule?: boolean } | Function;

const entryFunction = (r: unknown): unknown => {
  const m = r as { __esModule?: boolean; default?: unknown } | undefined;
  return m && (m.__esModule || (typeof m !== 'function' && typeof m.default === 'function')) ? m.default : m;
};

/** Requires a CommonJS entry file synchronously (core sets load this way when a flow first needs them). */
export function requireSetFile(file: string): unknown {
  return entryFunction(createRequire(file)(file) as Loaded);
}

/** Errors of require() that import() gets past: an ES module on a Node without require(esm), top-level await. */
const NEEDS_IMPORT = new Set(['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE']);

/** The set's `err` for what its file threw at load: with " (line:N)" when the stack shows the file's line. */
export function loadError(err: unknown, file: string): unknown {
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return err;
  let real = file;
  try { real = fs.realpathSync(file); } catch { /* keep the path as given */ }
  const at = stack.indexOf(real);
  const line = at >= 0 ? /^(\d+)/.exec(stack.slice(at + real.length + 1, at + real.length + 20)) : null;
  return line ? `${String(err)} (line:${line[1]})` : err;
}

/** loadError as text (for the core sets' own loads, whose `err` stays a string). */
export const loadErrorText = (err: unknown, file: string): string => String(loadError(err, file));

/** What a set's load ended with: nothing when it loaded, else its `err`. */
export type SetOutcome = { err: unknown } | undefined;

function call(fn: unknown, RED: RED, file: string): SetOutcome | Promise<SetOutcome> {
  if (typeof fn !== 'function') return undefined;
  let result: unknown;
  try {
    result = (fn as NodeModule)(RED);
  } catch (err) {
    return { err: loadError(err, file) };
  }
  if (result && typeof (result as Promise<void>).then === 'function') {
    return (result as Promise<void>).then(() => undefined, (err: unknown) => ({ err }));
  }
  return undefined;
}

/**
 * Requires the file and calls its function now; the Promise settles when a Promise the function returned
 * does (at once otherwise).
 */
export function runSetFile(file: string, RED: RED): Promise<SetOutcome> {
  let fn: unknown;
  try {
    fn = requireSetFile(file);
  } catch (err) {
    if (!NEEDS_IMPORT.has((err as NodeJS.ErrnoException)?.code ?? '')) return Promise.resolve({ err: loadError(err, file) });
    return import(pathToFileURL(file).href).then((m) => call(entryFunction(m), RED, file), (e: unknown) => ({ err: loadError(e, file) }));
  }
  return Promise.resolve(call(fn, RED, file));
}

/** Calls a core set's module function (already required); resolves with an error text, or undefined. */
export async function runSetModule(fn: unknown, RED: RED, file: string): Promise<string | undefined> {
  const outcome = await call(fn, RED, file);
  return outcome ? String(outcome.err) : undefined;
}
