// Commits the flows file and the credentials file as one unit: both temps written and fsynced, then a
// journal naming them, then the renames, then the journal is removed. recoverCommit() at start finishes a
// commit whose journal exists (roll forward) and deletes temps that no journal covers (roll back).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../runtime/logger.js';
import { copyIfExists, fsyncDir, pathExists, removeIfExists, tempPathFor, writeAndSync, writeFileAtomic } from './atomic-write.js';
import { readText, tryParseJson } from './json-file.js';

export type CommitName = 'flows' | 'credentials';

export interface CommitFile {
  name: CommitName;
  target: string;
  data: string;
  /** The current target is copied here first. */
  backup?: string;
}

/** The points between a commit's steps; a test hook that throws at one of them stops the commit there, as a crash would. */
export type CommitStep = 'backups-copied' | 'temps-written' | 'journal-written' | 'first-renamed' | 'all-renamed';
export type CommitHook = (step: CommitStep) => void | Promise<void>;

class SimulatedCrash extends Error {
  constructor(readonly original: unknown) {
    super('commit stopped by hook');
  }
}

const distinctDirs = (files: string[]) => [...new Set(files.map((f) => path.dirname(f)))];

export async function commitFiles(journal: string, files: CommitFile[], hook?: CommitHook): Promise<void> {
  const at = async (step: CommitStep) => {
    if (!hook) return;
    try {
      await hook(step);
    } catch (err) {
      throw new SimulatedCrash(err);
    }
  };
  let journalWritten = false;
  try {
    for (const f of files) {
      await fsp.mkdir(path.dirname(f.target), { recursive: true });
      if (f.backup) await copyIfExists(f.target, f.backup);
    }
    await at('backups-copied');
    for (const f of files) await writeAndSync(tempPathFor(f.target), f.data);
    await at('temps-written');
    await writeFileAtomic(journal, JSON.stringify({ version: 1, files: files.map((f) => f.name) }));
    journalWritten = true;
    await at('journal-written');
    for (let i = 0; i < files.length; i++) {
      await fsp.rename(tempPathFor(files[i].target), files[i].target);
      if (i === 0) await at('first-renamed');
    }
    for (const dir of distinctDirs(files.map((f) => f.target))) await fsyncDir(dir);
    await at('all-renamed');
    await removeIfExists(journal);
    await fsyncDir(path.dirname(journal));
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err.original;
    // Before the journal is durable the old state is intact: drop the temps. After it, the next
    // recovery rolls the commit forward, so everything is left in place.
    if (!journalWritten) for (const f of files) await removeIfExists(tempPathFor(f.target)).catch(() => undefined);
    throw err;
  }
}

/** Names listed by a journal file; null when there is none or it cannot be read. */
async function readJournal(journal: string, logger: Logger): Promise<CommitName[] | null> {
  const text = await readText(journal);
  if (text === null) return null;
  const parsed = tryParseJson(text);
  const files = parsed.ok ? (parsed.value as { files?: unknown } | null)?.files : undefined;
  if (!Array.isArray(files)) {
    logger.warn(`Ignoring an unreadable deploy journal: ${journal}`);
    return null;
  }
  return files.filter((n): n is CommitName => n === 'flows' || n === 'credentials');
}

/**
 * Brings the files back to one deploy after a crash. With `readOnly` nothing is touched; the result then maps
 * each target to the committed temp that should be read in its place.
 */
export async function recoverCommit(
  journal: string,
  targets: Record<CommitName, string>,
  opts: { readOnly: boolean; logger: Logger },
): Promise<Map<string, string>> {
  const { logger } = opts;
  const redirects = new Map<string, string>();
  const names = await readJournal(journal, logger);
  if (opts.readOnly) {
    for (const name of names ?? []) {
      const temp = tempPathFor(targets[name]);
      if (await pathExists(temp)) redirects.set(targets[name], temp);
    }
    return redirects;
  }
  if (names) {
    let finished = 0;
    for (const name of names) {
      try {
        await fsp.rename(tempPathFor(targets[name]), targets[name]);
        finished++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    for (const dir of distinctDirs(Object.values(targets))) await fsyncDir(dir);
    if (finished) logger.warn(`Completed an interrupted deploy (${names.join(' and ')} file${names.length > 1 ? 's' : ''})`);
  }
  let leftovers = 0;
  // a leftover that cannot be removed (e.g. a directory in its place) is reported, never a reason not to start
  const removeLeftover = (file: string) => removeIfExists(file).catch((err: unknown) => {
    logger.warn(`Cannot remove ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  });
  for (const target of Object.values(targets)) if (await removeLeftover(tempPathFor(target))) leftovers++;
  if (leftovers) logger.warn('Removed the files of a deploy that was interrupted before it was committed');
  await removeLeftover(tempPathFor(journal));
  if (await removeIfExists(journal)) await fsyncDir(path.dirname(journal));
  return redirects;
}
