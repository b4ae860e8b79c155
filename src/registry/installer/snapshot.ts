// The rollback of a failed npm run: before npm starts, the files it may rewrite (package.json, the lock
// files, an uploaded tarball) are copied and node_modules is cloned with hard links into a backup folder in
// the userDir; on failure both are put back, on success the backup is dropped. The backup is complete on disk
// (manifest written last), so a crash during npm is undone at the next start (`recoverSnapshots`).
//
// Hard links make the clone cheap (one link per file, no data copied) and stay correct because npm never
// rewrites an installed file in place: it extracts new and changed packages into new files and moves
// retired ones aside. The files it does rewrite in place (the hidden lockfile node_modules/.package-lock.json)
// and every package.json are copied instead.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const PREFIX = '.crimson-install-backup-';
const MANIFEST = 'manifest.json';
const CLEARED = 'cleared';
/** Files copied rather than linked: written in place by npm (or small enough that copying costs nothing). */
const COPIED = new Set(['.package-lock.json', 'package.json', '.yarn-integrity']);
/** The userDir files an npm install or remove may rewrite. */
export const NPM_FILES = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock'];

interface Manifest {
  /** userDir-relative files and, for those that existed, the name of their copy under files/ and their mode. */
  files: Array<{ rel: string; copy?: string; mode?: number }>;
  /** Whether <userDir>/node_modules existed (its clone is tree/). */
  modules: boolean;
  /** Folders of those files that did not exist (removed again when empty). */
  newDirs: string[];
}

export interface Snapshot {
  /** Puts everything back as it was when the snapshot was taken, then drops it. */
  restore(): Promise<void>;
  /** Drops the backup (after a successful run). */
  discard(): Promise<void>;
}

const exists = async (p: string) => fs.lstat(p).then(() => true, () => false);

/** Clones a directory tree: directories recreated, files hard-linked (copied where linking is unsafe or impossible), links copied. */
async function cloneTree(from: string, to: string): Promise<void> {
  const [st, entries] = await Promise.all([fs.stat(from), fs.readdir(from, { withFileTypes: true })]);
  await fs.mkdir(to);
  // the entries of a folder side by side (the work is syscalls: libuv's pool runs them in parallel)
  await Promise.all(entries.map(async (entry) => {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) await cloneTree(src, dst);
    else if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(src), dst);
    else if (entry.isFile()) {
      if (COPIED.has(entry.name)) await fs.copyFile(src, dst);
      else await fs.link(src, dst).catch(() => fs.copyFile(src, dst));
    }
  }));
  await fs.chmod(to, st.mode & 0o7777);
}

/** Writes a file so that a crash leaves either the old or the new content. */
async function replaceFile(file: string, data: Buffer, mode: number | undefined): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, data);
  if (mode !== undefined) await fs.chmod(tmp, mode);
  await fs.rename(tmp, file);
}

/** Takes a snapshot of what npm may change in `userDir` (plus `extraFiles`, userDir-relative). */
export async function takeSnapshot(userDir: string, extraFiles: string[] = []): Promise<Snapshot> {
  const dir = path.join(userDir, PREFIX + randomBytes(6).toString('hex'));
  await fs.mkdir(path.join(dir, 'files'), { recursive: true });
  try {
    const manifest: Manifest = { files: [], modules: false, newDirs: [] };
    for (const rel of extraFiles) {
      const parent = path.dirname(rel);
      if (parent !== '.' && !(await exists(path.join(userDir, parent)))) manifest.newDirs.push(parent);
    }
    for (const [i, rel] of [...new Set([...NPM_FILES, ...extraFiles])].entries()) {
      const file = path.join(userDir, rel);
      const data = await fs.readFile(file).catch((err) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (data === undefined) manifest.files.push({ rel });
      else {
        manifest.files.push({ rel, copy: String(i), mode: (await fs.stat(file)).mode & 0o7777 });
        await fs.writeFile(path.join(dir, 'files', String(i)), data);
      }
    }
    const modules = path.join(userDir, 'node_modules');
    if (await exists(modules)) {
      manifest.modules = true;
      await cloneTree(modules, path.join(dir, 'tree'));
    }
    await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest));
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    restore: () => restoreBackup(userDir, dir),
    discard: () => dropBackup(dir),
  };
}

/** Removes a backup, its manifest first: a crash part way leaves an incomplete backup, which recovery ignores. */
async function dropBackup(dir: string): Promise<void> {
  await fs.rm(path.join(dir, MANIFEST), { force: true });
  await fs.rm(dir, { recursive: true, force: true });
}

/**
 * Restores a backup folder. Safe to run again after a crash part way: the live node_modules entries are
 * first moved into trash/ (then the `cleared` mark is written), then the clone's entries are moved in.
 */
async function restoreBackup(userDir: string, dir: string): Promise<void> {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  for (const { rel, copy, mode } of manifest.files) {
    const file = path.join(userDir, rel);
    if (copy !== undefined) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await replaceFile(file, await fs.readFile(path.join(dir, 'files', copy)), mode);
    } else await fs.rm(file, { force: true });
  }
  for (const rel of manifest.newDirs) await fs.rmdir(path.join(userDir, rel)).catch(() => undefined);
  const modules = path.join(userDir, 'node_modules');
  if (!manifest.modules) {
    await fs.rm(modules, { recursive: true, force: true });
  } else {
    const tree = path.join(dir, 'tree');
    const trash = path.join(dir, 'trash');
    if (!(await exists(path.join(dir, CLEARED)))) {
      await fs.mkdir(modules, { recursive: true });
      await fs.mkdir(trash, { recursive: true });
      for (const name of await fs.readdir(modules)) await fs.rename(path.join(modules, name), path.join(trash, name));
      await fs.writeFile(path.join(dir, CLEARED), '');
    }
    for (const name of await fs.readdir(tree)) await fs.rename(path.join(tree, name), path.join(modules, name));
    await fs.chmod(modules, (await fs.stat(tree)).mode & 0o7777);
  }
  await dropBackup(dir);
}

/**
 * Deals with backups left by a run that never finished (the process died): complete ones are restored,
 * incomplete ones (died while taking the snapshot, before npm ran) dropped. Resolves with how many were restored.
 */
export async function recoverSnapshots(userDir: string): Promise<number> {
  let restored = 0;
  const names = await fs.readdir(userDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(PREFIX)).sort()) {
    const dir = path.join(userDir, name);
    if (await exists(path.join(dir, MANIFEST))) {
      await restoreBackup(userDir, dir);
      restored++;
    } else await fs.rm(dir, { recursive: true, force: true });
  }
  return restored;
}
