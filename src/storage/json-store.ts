// One small JSON object file (.config.*.json, .sessions.json): read with a {} default (an empty or corrupt
// file is restored from its backup when that one is sound, else {} with a warning), written atomically,
// unchanged content not rewritten.
import type { Logger } from '../runtime/logger.js';
import { writeFileAtomic } from './atomic-write.js';
import { isBlank, isPlainObject, readText, tryParseJson } from './json-file.js';

export interface JsonStoreOptions {
  file: string;
  /** Where the previous version is copied before each write (also the source for restoring an empty file). */
  backup?: string;
  /** Indent with 4 spaces (Node-RED's .config.*.json) instead of compact JSON (.sessions.json). */
  pretty: boolean;
  readOnly: boolean;
  logger: Logger;
}

export interface JsonStore {
  get(): Promise<Record<string, unknown>>;
  save(value: Record<string, unknown>): Promise<void>;
}

export function createJsonStore(opts: JsonStoreOptions): JsonStore {
  const { file, backup, logger } = opts;
  const format = (value: unknown) => (opts.pretty ? JSON.stringify(value, null, 4) : JSON.stringify(value));
  /** The canonical text of the current value; undefined until first read. */
  let current: string | undefined;
  /** The text known to be on disk, or null when unknown, missing or unreadable. */
  let onDisk: string | null = null;

  async function readBackup(): Promise<{ text: string; value: Record<string, unknown> } | null> {
    if (!backup) return null;
    const text = await readText(backup);
    if (text === null || isBlank(text)) return null;
    const parsed = tryParseJson(text, true);
    return parsed.ok && isPlainObject(parsed.value) ? { text, value: parsed.value } : null;
  }

  async function load(): Promise<Record<string, unknown>> {
    const text = await readText(file);
    if (text === null) return {};
    if (isBlank(text)) {
      logger.warn(`Existing file is empty: ${file}`);
      const saved = await readBackup();
      if (!saved) return {};
      logger.warn(`Restoring file backup : ${backup}`);
      if (!opts.readOnly) await writeFileAtomic(file, saved.text);
      onDisk = format(saved.value) === saved.text ? saved.text : null;
      return saved.value;
    }
    const parsed = tryParseJson(text, true);
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      // a damaged file (cut off, edited by hand) falls back to the previous version when that one is sound
      const saved = await readBackup();
      logger.warn(`Existing file is not valid JSON, ${saved ? `using its backup ${backup}` : 'starting with {}'}: ${file}${parsed.ok ? '' : ` (${parsed.error})`}`);
      if (!saved) return {};
      if (!opts.readOnly) await writeFileAtomic(file, saved.text);
      onDisk = format(saved.value) === saved.text ? saved.text : null;
      return saved.value;
    }
    onDisk = text;
    return parsed.value;
  }

  return {
    async get() {
      if (current === undefined) {
        const value = await load();
        current = format(value);
        return value;
      }
      return JSON.parse(current) as Record<string, unknown>;
    },
    async save(value) {
      if (!isPlainObject(value)) throw new TypeError(`Cannot save ${file}: expected an object`);
      const text = format(value);
      current = text;
      if (opts.readOnly || text === onDisk) return;
      // Set before the (queued) write so a later save compares against what will be on disk.
      onDisk = text;
      try {
        await writeFileAtomic(file, text, { backup });
      } catch (err) {
        onDisk = null;
        throw err;
      }
    },
  };
}
