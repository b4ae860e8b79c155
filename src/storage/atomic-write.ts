// Durable file writes: one queue per path (writes to a path never interleave), optional backup copy,
// then `<path>.$$$` temp + fsync + rename over the target + fsync of the directory.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

const queues = new Map<string, Promise<void>>();

/** The temp file a write to `target` goes through. */
export function tempPathFor(target: string): string {
  return `${target}.$$$`;
}

/** Runs `task` once every task queued earlier on the same path has settled; returns its result. */
export function onPathQueue<T>(target: string, task: () => Promise<T>): Promise<T> {
  const key = path.resolve(target);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Writes `data` to `file` (created or truncated) and fsyncs it before returning. */
export async function writeAndSync(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fsp.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (renames, unlinks) to disk. Platforms that cannot do this are skipped. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}

/** Copies `src` to `dest` if `src` exists. Returns whether a copy was made. */
export async function copyIfExists(src: string, dest: string): Promise<boolean> {
  try {
    await fsp.copyFile(src, dest);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Removes a file; a missing file is not an error. Returns whether a file was removed. */
export async function removeIfExists(file: string): Promise<boolean> {
  try {
    await fsp.unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return false;
  }
}

export async function pathExists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces `target` with `data` so that a crash leaves either the old or the new content, never a mix.
 * With `backup`, the current file (if any) is first copied there. Not queued: callers that hold the
 * path's queue (see onPathQueue) use this; everyone else uses writeFileAtomic.
 */
export async function replaceFile(target: string, data: string | Uint8Array, opts: { backup?: string } = {}): Promise<void> {
  const dir = path.dirname(target);
  await fsp.mkdir(dir, { recursive: true });
  if (opts.backup) await copyIfExists(target, opts.backup);
  const temp = tempPathFor(target);
  try {
    await writeAndSync(temp, data);
    await fsp.rename(temp, target);
  } catch (err) {
    await removeIfExists(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** replaceFile, queued behind every other write to the same path. */
export function writeFileAtomic(target: string, data: string | Uint8Array, opts: { backup?: string } = {}): Promise<void> {
  return onPathQueue(target, () => replaceFile(target, data, opts));
}
