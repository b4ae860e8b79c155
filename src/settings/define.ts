// -D overrides: parsing `key=value` / `@file.json`, and setting a property path (a.b, a[0], a["b.c"])
// on a settings object without mutating the objects the settings file exported.
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { SettingsError } from './errors.js';

export type Define = { kind: 'set'; path: string; value: unknown; source: string } | { kind: 'file'; file: string; source: string };

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses one -D argument. JSON-parses the value when it is valid JSON, else keeps the string. */
export function parseDefine(text: string): Define {
  if (text.startsWith('@')) {
    const file = text.slice(1);
    if (!file) throw new SettingsError(`Invalid -D option '${text}': expected key=value or @file.json`);
    return { kind: 'file', file, source: text };
  }
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) {
    throw new SettingsError(`Invalid -D option '${text}': expected key=value or @file.json`);
  }
  const path = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  parsePropertyPath(path); // reject a bad path now, before anything starts
  let value: unknown = raw;
  try { value = JSON.parse(raw); } catch { /* not JSON: keep the string */ }
  return { kind: 'set', path, value, source: text };
}

/** Splits `a.b[0]["c.d"]` into ['a', 'b', 0, 'c.d']. */
export function parsePropertyPath(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  let i = 0;
  const fail = (why: string): never => { throw new SettingsError(`Invalid property path '${path}': ${why}`); };
  while (i < path.length) {
    if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) fail('missing ]');
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) parts.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner) && inner.length >= 2) parts.push(inner.slice(1, -1));
      else fail(`bad index [${inner}]`);
      i = close + 1;
      if (i < path.length && path[i] === '.') {
        i++;
        if (i >= path.length || path[i] === '.' || path[i] === '[') fail('empty segment');
      }
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j === i) fail('empty segment');
      parts.push(path.slice(i, j));
      i = j;
      if (path[i] === '.') {
        i++;
        if (i >= path.length) fail('empty segment');
      }
    }
  }
  if (parts.length === 0) fail('empty path');
  for (const p of parts) if (typeof p === 'string' && FORBIDDEN.has(p)) fail(`'${p}' is not allowed`);
  return parts;
}

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** A copy of a container, so the one the settings file exported stays untouched. */
function copyOf(v: unknown): Record<string | number, unknown> | unknown[] {
  if (Array.isArray(v)) return [...v];
  if (isPlain(v)) return Object.assign(Object.create(Object.getPrototypeOf(v)), v);
  return v as Record<string, unknown>; // a class instance: set on it in place
}

/** Sets `path` in `target` (top level already a private copy), creating missing objects / arrays. */
export function setProperty(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = parsePropertyPath(path);
  let obj: Record<string | number, unknown> | unknown[] = target;
  for (let k = 0; k < parts.length - 1; k++) {
    const key = parts[k]!;
    const current = (obj as Record<string | number, unknown>)[key];
    let next: Record<string | number, unknown> | unknown[];
    if (current === undefined || current === null) next = typeof parts[k + 1] === 'number' ? [] : {};
    else if (typeof current === 'object') next = copyOf(current);
    else {
      throw new SettingsError(`Cannot set '${path}': '${parts.slice(0, k + 1).join('.')}' is a ${typeof current}, not an object`);
    }
    (obj as Record<string | number, unknown>)[key] = next;
    obj = next;
  }
  (obj as Record<string | number, unknown>)[parts[parts.length - 1]!] = value;
}

/** Applies -D overrides in order to `target`. `@file` paths are relative to `cwd`. */
export function applyDefines(target: Record<string, unknown>, defines: Define[], cwd: string): void {
  for (const d of defines) {
    if (d.kind === 'set') {
      setProperty(target, d.path, d.value);
      continue;
    }
    const file = resolvePath(cwd, d.file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
      throw new SettingsError(`Error processing -D option '${d.source}': ${why}`, file, { cause: err });
    }
    if (!isPlain(parsed)) throw new SettingsError(`Error processing -D option '${d.source}': ${file} must hold a JSON object`, file);
    for (const key of Object.keys(parsed)) setProperty(target, key, parsed[key]);
  }
}
