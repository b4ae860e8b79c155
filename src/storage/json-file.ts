// Reading the userDir's JSON files: missing files, a leading BOM, and parse results that never throw.
import { promises as fsp } from 'node:fs';
import { nestsDeeperThan } from '../runtime/util/safe-json.js';

/** The file's text, or null when it does not exist. */
export async function readText(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A JSON.parse reviver that drops `__proto__` keys, for files whose keys end up as map keys. */
export const dropProtoKeys = (key: string, value: unknown): unknown => (key === '__proto__' ? undefined : value);

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Deepest nesting a userDir file may have (a flows array holding nodes of MAX_NODE_DEPTH): anything deeper
 * parses, but then cannot be saved again or walked, so it is treated like text that is not JSON.
 */
export const MAX_FILE_DEPTH = 1001;

/** Parses JSON text (BOM stripped); `safeKeys` drops `__proto__` keys. Never throws. */
export function tryParseJson(text: string, safeKeys = false): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(stripBom(text), safeKeys ? dropProtoKeys : undefined);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  if (nestsDeeperThan(value, MAX_FILE_DEPTH)) return { ok: false, error: `nested deeper than ${MAX_FILE_DEPTH} levels` };
  return { ok: true, value };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** True for a file with nothing but whitespace (after a BOM). */
export function isBlank(text: string): boolean {
  return stripBom(text).trim() === '';
}
