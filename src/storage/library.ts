// The local library: entries under <userDir>/lib/<type>/…, read and written as Node-RED's localfilesystem
// storage does (folders list as names, files as {fn, …meta}; flows saved as .json). A path can never
// leave <userDir>/lib/<type>: `..` anywhere is refused with Node-RED's 403 `forbidden`.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { apiError, CodedError, stripPaths } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { formatHeaders, parseBody, readMeta } from './library-format.js';

/** A folder listing: sub-folder names first, then files as {fn, …meta}. */
export type LibraryListing = Array<string | Record<string, string>>;

export interface LocalLibraryOptions {
  userDir: string;
  /** Flows saved with 4-space indentation (the `flowFilePretty` setting). */
  pretty?: boolean;
  /** Nothing is written; a save succeeds without effect, as in Node-RED. */
  readOnly?: boolean;
}

export interface LocalLibrary {
  getEntry(type: string, rel: string): Promise<string | LibraryListing>;
  saveEntry(type: string, rel: string, meta: Record<string, unknown>, body: string): Promise<void>;
}

/** Node-RED's check for a path that climbs (`../`, `..\`), plus a bare `..` segment (which it lets through). */
export function isClimbing(rel: string): boolean {
  return rel.includes('../') || rel.includes('..\\') || rel.split(/[\\/]/).includes('..');
}

/** The file or folder `rel` names inside `root`; throws `forbidden` for any path that could leave it. */
function inside(root: string, rel: string): string {
  if (isClimbing(rel)) throw apiError('forbidden');
  // join, not resolve: an absolute `rel` stays under root, as in Node-RED
  const target = path.join(root, rel);
  if (target !== root && !target.startsWith(root + path.sep)) throw apiError('forbidden');
  return target;
}

/** A file-system failure as the client sees it: its code and message, without any path. */
function fsError(err: unknown): CodedError {
  const e = err as NodeJS.ErrnoException;
  return new CodedError(typeof e?.code === 'string' ? e.code : 'unexpected_error', stripPaths(e?.message || 'Error'), 400);
}

async function listFolder(dir: string): Promise<LibraryListing> {
  const names = (await fsp.readdir(dir)).sort();
  const dirs: string[] = [];
  const files: Array<Record<string, string>> = [];
  for (const fn of names) {
    if (fn.startsWith('.')) continue;
    const full = path.join(dir, fn);
    // stat follows symbolic links, so a linked folder lists as a folder (as Node-RED's realpath does)
    const st = await fsp.stat(full).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) dirs.push(fn);
    else files.push({ ...(await readMeta(full).catch(() => ({}))), fn });
  }
  return [...dirs, ...files];
}

export function createLocalLibrary(opts: LocalLibraryOptions): LocalLibrary {
  const libDir = path.resolve(opts.userDir, 'lib');

  async function getEntry(type: string, rel: string): Promise<string | LibraryListing> {
    const root = path.join(libDir, type);
    const target = inside(root, rel);
    try {
      let st = await fsp.lstat(target);
      if (st.isSymbolicLink()) st = await fsp.stat(target);
      if (st.isFile()) return parseBody(await fsp.readFile(target, 'utf8'));
      return await listFolder(target);
    } catch (err) {
      // a folder that does not exist (yet) lists empty
      if (rel === '' || rel.endsWith('/')) return [];
      if (type === 'flows' && !rel.endsWith('.json')) {
        try {
          return await getEntry(type, `${rel}.json`);
        } catch {
          throw fsError(err);
        }
      }
      throw apiError('unexpected_error', `Library Entry not found ${rel}`);
    }
  }

  async function saveEntry(type: string, rel: string, meta: Record<string, unknown>, body: string): Promise<void> {
    if (opts.readOnly) return;
    const name = type === 'flows' && !rel.endsWith('.json') ? `${rel}.json` : rel;
    const root = path.join(libDir, type);
    const target = inside(root, name);
    // the type folder itself, or a name ending in a slash, is no file
    if (target === root || /[\\/]$/.test(name)) throw apiError('unexpected_error');
    const headers = formatHeaders(meta);
    const text = type === 'flows' && opts.pretty ? JSON.stringify(JSON.parse(body), null, 4) : body;
    await writeFileAtomic(target, headers + text);
  }

  return { getEntry, saveEntry };
}
