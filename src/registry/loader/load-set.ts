// Running one node set's entry file: `module.exports = function (RED) {…}` (CommonJS, required) or an
// ES module's default export (imported), called with the set's RED object; a Promise it returns is waited
// for. What fails becomes the set's `err` text as Node-RED shows it: the error's text, plus
// " (line:N)" when the error was thrown at load from the file itself.
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

/** Loads an entry file: require, or import() for an ES module (`.mjs`, or a `.js` of a "type":"module" package). */
export async function importSetFile(file: string): Promise<unknown> {
  if (!file.endsWith('.mjs')) {
    try {
      return requireSetFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code !== 'ERR_REQUIRE_ESM') throw err;
    }
  }
  return entryFunction(await import(pathToFileURL(file).href));
}

/** The set's `err` text for what its file threw at load. */
export function loadErrorText(err: unknown, file: string): string {
  const text = String(err);
  const stack = err instanceof Error ? err.stack : undefined;
  if (!stack) return text;
  let real = file;
  try { real = fs.realpathSync(file); } catch { /* keep the path as given */ }
  const at = stack.indexOf(real);
  const line = at >= 0 ? /^(\d+)/.exec(stack.slice(at + real.length + 1, at + real.length + 20)) : null;
  return line ? `${text} (line:${line[1]})` : text;
}

/** Calls the module function with RED; resolves with an error text, or undefined when it loaded. */
export async function runSetModule(fn: unknown, RED: RED, file: string): Promise<string | undefined> {
  if (typeof fn !== 'function') return undefined;
  let result: unknown;
  try {
    result = (fn as NodeModule)(RED);
  } catch (err) {
    return loadErrorText(err, file);
  }
  if (result && typeof (result as Promise<void>).then === 'function') {
    try {
      await result;
    } catch (err) {
      return String(err);
    }
  }
  return undefined;
}
