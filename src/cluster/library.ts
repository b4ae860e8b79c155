// The local library of a cluster, in Redis: `<name>:library:<type>` is a hash with a field per entry path
// (`folder/name.json`), holding the entry's text as the localfilesystem library writes its file (header lines,
// then the body). Folders are the paths' prefixes. Reads and writes go to Redis, so every instance's editor
// sees a saved entry at once. Same answers as the file library: bodies without headers, listings of
// sub-folders then files with their meta, `..` refused with 403 `forbidden`.
import path from 'node:path';
import { apiError, CodedError } from '../errors.js';
import { formatHeaders, fromSingleLine, parseBody } from '../storage/library-format.js';
import { isClimbing, type LibraryListing, type LocalLibrary } from '../storage/library.js';
import type { RedisConnection } from '../runtime/context/redis-connection.js';

const HEADER = /^\/\/ (\w+): (.*)$/;

/** The meta of an entry's text: its leading header lines. */
function metaOf(text: string): Record<string, string> {
  const meta: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const m = HEADER.exec(lines[i]!);
    if (!m) break;
    if (m[1] !== '__proto__') meta[m[1]!] = fromSingleLine(m[2]!);
  }
  return meta;
}

/** `rel` as a field name: no leading or doubled slashes, no `.` segments (as path.join would make it). */
function normal(rel: string): string {
  const n = path.posix.normalize('/' + rel.replace(/\\/g, '/')).replace(/^\/+/, '');
  return n === '.' ? '' : n;
}

export function createClusterLibrary(opts: { name: string; connection: () => RedisConnection | undefined; pretty?: boolean; readOnly?: boolean }): LocalLibrary {
  const client = () => {
    const c = opts.connection();
    if (!c) throw new Error('cluster: not connected');
    return c.client;
  };
  const key = (type: string) => `${opts.name}:library:${type}`;

  /** The sub-folders and files directly in `folder`, or undefined when nothing is there. */
  function contents(fields: string[], folder: string): { dirs: string[]; files: string[] } | undefined {
    const prefix = folder === '' ? '' : folder.replace(/\/?$/, '/');
    const dirs = new Set<string>();
    const files: string[] = [];
    for (const f of fields) {
      if (!f.startsWith(prefix)) continue;
      const rest = f.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) dirs.add(rest.slice(0, slash));
      else if (rest) files.push(rest);
    }
    if (dirs.size === 0 && files.length === 0) return undefined;
    // hidden names are not listed, as in the file library
    const shown = (n: string) => !n.startsWith('.');
    return { dirs: [...dirs].filter(shown).sort(), files: files.filter(shown).sort() };
  }

  async function getEntry(type: string, rel: string): Promise<string | LibraryListing> {
    if (isClimbing(rel)) throw apiError('forbidden');
    const field = normal(rel);
    const c = client();
    if (field !== '' && !rel.endsWith('/')) {
      const text = await c.hGet(key(type), field);
      if (typeof text === 'string') return parseBody(text);
    }
    const found = contents(await c.hKeys(key(type)), field);
    if (found) {
      const folder = field === '' ? '' : `${field.replace(/\/$/, '')}/`;
      const files: Array<Record<string, string>> = [];
      for (const fn of found.files) files.push({ ...metaOf((await c.hGet(key(type), folder + fn)) ?? ''), fn });
      return [...found.dirs, ...files];
    }
    if (rel === '' || rel.endsWith('/')) return [];
    if (type === 'flows' && !rel.endsWith('.json')) {
      const text = await c.hGet(key(type), `${field}.json`);
      if (typeof text === 'string') return parseBody(text);
      // the file library's answer for a flow that is not there (its file system error, the path left out)
      throw new CodedError('ENOENT', "ENOENT: no such file or directory, lstat '<path>'", 400);
    }
    throw apiError('unexpected_error', `Library Entry not found ${rel}`);
  }

  async function saveEntry(type: string, rel: string, meta: Record<string, unknown>, body: string): Promise<void> {
    if (opts.readOnly) return;
    if (isClimbing(rel)) throw apiError('forbidden');
    const name = type === 'flows' && !rel.endsWith('.json') ? `${rel}.json` : rel;
    const field = normal(name);
    if (field === '' || /[\\/]$/.test(name)) throw apiError('unexpected_error');
    const headers = formatHeaders(meta);
    const text = type === 'flows' && opts.pretty ? JSON.stringify(JSON.parse(body), null, 4) : body;
    await client().hSet(key(type), field, headers + text);
  }

  return { getEntry, saveEntry };
}
