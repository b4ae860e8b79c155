// Where the localfilesystem store keeps each scope (Node-RED's layout, COMPAT C11): <base>/global/global.json,
// <base>/<flowId>/flow.json, <base>/<flowId>/<nodeId>.json; listing those files; 4-space JSON without cycles.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The directory holding every scope: `<dir>/<base>`, `dir` defaulting to the userDir. */
export function storeBaseDir(config: { dir?: unknown; base?: unknown; settings?: { userDir?: string } }): string {
  const base = typeof config.base === 'string' && config.base ? config.base : 'context';
  if (typeof config.dir === 'string' && config.dir) return path.join(config.dir, base);
  if (config.settings?.userDir) return path.join(config.settings.userDir, base);
  return path.join(process.env.HOME || process.env.USERPROFILE || os.homedir(), '.node-red', base);
}

// an id becomes a file or directory name: it must not climb out of the base directory
const unsafeName = (id: string) => id === '' || id === '.' || id === '..' || /[/\\\0]/.test(id);

/** The file (with `.json`) a scope is saved in. Throws for ids that are not safe file names. */
export function scopeFile(baseDir: string, scope: string): string {
  let dir: string;
  let name: string;
  if (!scope.includes(':')) {
    [dir, name] = scope === 'global' ? ['global', 'global'] : [scope, 'flow'];
  } else {
    const ids = scope.split(':');
    [dir, name] = [ids[1]!, ids[0]!];
  }
  if (unsafeName(dir) || unsafeName(name)) throw new Error(`Invalid context scope '${scope}'`);
  return path.join(baseDir, dir, name + '.json');
}

/** The scope a `<dir>/<file>.json` file holds (every file under `global/` is global scope). */
export function scopeOfFile(dir: string, file: string): string {
  if (dir === 'global') return 'global';
  if (file === 'flow.json') return dir;
  return file.slice(0, -'.json'.length) + ':' + dir;
}

/** Every `<dir>/<file>.json` under the base directory (dot-directories skipped). Rejects ENOENT if absent. */
export async function listScopeFiles(baseDir: string): Promise<Array<{ dir: string; file: string }>> {
  const out: Array<{ dir: string; file: string }> = [];
  for (const dir of await fsp.readdir(baseDir)) {
    if (dir.startsWith('.')) continue;
    const stat = await fsp.stat(path.join(baseDir, dir)).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    const files = await fsp.readdir(path.join(baseDir, dir)).catch(() => [] as string[]);
    for (const file of files) if (file.endsWith('.json')) out.push({ dir, file });
  }
  return out;
}

/** A file's text, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * 4-space JSON where a reference back to an enclosing object is left out (null inside arrays), as
 * Node-RED's json-stringify-safe call does; `circular` tells whether that happened.
 */
export function stringifyScope(value: unknown, indent = 4): { json: string; circular: boolean } {
  // without a cycle (nearly always) a plain stringify gives the same text, many times faster than the walk with
  // a replacer below (the redis store writes a value per set: a 1,000-item list took ~0.3 ms that way)
  try {
    const plain = JSON.stringify(value, undefined, indent || undefined);
    return { json: plain ?? '{}', circular: false };
  } catch { /* a cycle, or a value JSON refuses (the walk meets it again) */ }
  let circular = false;
  const stack: unknown[] = [];
  const json = JSON.stringify(value, function (this: unknown, _key: string, v: unknown) {
    if (stack.length === 0) {
      stack.push(v);
      return v;
    }
    const at = stack.indexOf(this);
    if (at >= 0) stack.length = at + 1;
    else stack.push(this);
    if (stack.includes(v)) {
      circular = true;
      return undefined;
    }
    return v;
  }, indent || undefined);
  return { json: json ?? '{}', circular };
}

/** Parses saved scope data into a null-prototype object (its top-level keys taken literally). */
export function parseScope(text: string | undefined): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (!text) return out;
  const data = JSON.parse(text) as unknown;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const k of Object.keys(data)) out[k] = (data as Record<string, unknown>)[k];
  }
  return out;
}
