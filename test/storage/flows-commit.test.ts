// Crash consistency of the flows + credentials commit (each step, roll forward/back), reads during commits,
// and the corrupt/empty flows file handling of local storage.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalStorage, type LocalStorageOptions } from '../../src/storage/local-storage.js';
import type { CommitStep } from '../../src/storage/flows-commit.js';
import type { CredentialMap } from '../../src/runtime/types.js';
import { encryptCredentials } from '../../src/storage/credential-cipher.js';
import { capturingLogger, tempDir } from './helpers.js';

const A = [{ id: 'a', type: 'inject' }];
const B = [{ id: 'b', type: 'debug' }];
const CA = { a: { password: 'old' } };
const CB = { b: { password: 'new' } };

const open = (dir: string, extra: Partial<LocalStorageOptions> = {}) =>
  createLocalStorage({ userDir: dir, credentialSecret: 'k', logger: capturingLogger(), ...extra });

class Crash extends Error {}

/** Deploys A/CA, then B/CB with a crash at `step`; returns what a restarted storage loads. */
async function crashDuringSecondDeploy(step: CommitStep, credsOfB: CredentialMap = CB) {
  const dir = tempDir();
  const first = open(dir, { commitHook: (s) => { if (armed && s === step) throw new Crash(step); } });
  let armed = false;
  await first.getFlows();
  await first.saveFlows(A, CA);
  armed = true;
  await expect(first.saveFlows(B, credsOfB)).rejects.toBeInstanceOf(Crash);
  const filesAtCrash = readdirSync(dir).sort();
  const restarted = open(dir);
  await restarted.init();
  const loaded = await restarted.getFlows();
  return { dir, loaded, filesAtCrash };
}

describe('flows + credentials commit: crash at every step', () => {
  it.each(['backups-copied', 'temps-written'] as CommitStep[])('crash at %s: both files are the old deploy, temps removed', async (step) => {
    const { dir, loaded, filesAtCrash } = await crashDuringSecondDeploy(step);
    expect(loaded.flows).toEqual(A);
    expect(loaded.credentials).toEqual(CA);
    if (step === 'temps-written') expect(filesAtCrash).toContain('flows.json.$$$');
    expect(readdirSync(dir).filter((f) => f.includes('$$$'))).toEqual([]);
  });

  it.each(['journal-written', 'first-renamed', 'all-renamed'] as CommitStep[])('crash at %s: both files are the new deploy', async (step) => {
    const { dir, loaded, filesAtCrash } = await crashDuringSecondDeploy(step);
    expect(filesAtCrash).toContain('.crimson-commit.json');
    expect(loaded.flows).toEqual(B);
    expect(loaded.credentials).toEqual(CB);
    expect(existsSync(path.join(dir, '.crimson-commit.json'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('$$$'))).toEqual([]);
  });

  it('crash at first-renamed has really left the flows of one deploy beside the credentials of the other', async () => {
    const { filesAtCrash } = await crashDuringSecondDeploy('first-renamed');
    expect(filesAtCrash).toContain('flows_cred.json.$$$');
    expect(filesAtCrash).not.toContain('flows.json.$$$');
  });

  it('a deploy that leaves credentials unchanged commits only the flows file', async () => {
    const { loaded } = await crashDuringSecondDeploy('journal-written', CA);
    expect(loaded.flows).toEqual(B);
    expect(loaded.credentials).toEqual(CA);
  });

  it('a process that survives a failed commit finishes it before the next one', async () => {
    const dir = tempDir();
    let crashAt: CommitStep | null = null;
    const storage = open(dir, { commitHook: (s) => { if (s === crashAt) throw new Crash(s); } });
    await storage.getFlows();
    await storage.saveFlows(A, CA);
    crashAt = 'first-renamed';
    await expect(storage.saveFlows(B, CB)).rejects.toBeInstanceOf(Crash);
    crashAt = null;
    await storage.saveFlows(B, CB);
    const loaded = await open(dir).getFlows();
    expect(loaded.flows).toEqual(B);
    expect(loaded.credentials).toEqual(CB);
    expect(JSON.parse(readFileSync(path.join(dir, '.flows.json.backup'), 'utf8'))).toEqual(B);
  });
});

describe('reads during commits', () => {
  it('a getFlows that runs alongside deploys always sees flows and credentials of one deploy', async () => {
    const dir = tempDir();
    const storage = open(dir);
    await storage.getFlows();
    await storage.saveFlows(A, CA);
    const pending: Promise<unknown>[] = [];
    const reads: Promise<{ flows: unknown; credentials: unknown }>[] = [];
    for (let i = 0; i < 6; i++) {
      pending.push(i % 2 ? storage.saveFlows(A, CA) : storage.saveFlows(B, CB));
      reads.push(storage.getFlows());
    }
    await Promise.all(pending);
    for (const r of await Promise.all(reads)) {
      expect([[A, CA], [B, CB]]).toContainEqual([r.flows, r.credentials]);
    }
  });
});

describe('recovery from constructed on-disk states', () => {
  function oldState(dir: string) {
    writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(A));
    writeFileSync(path.join(dir, 'flows_cred.json'), JSON.stringify(encryptCredentials(CA, 'k')));
  }
  function temps(dir: string) {
    writeFileSync(path.join(dir, 'flows.json.$$$'), JSON.stringify(B));
    writeFileSync(path.join(dir, 'flows_cred.json.$$$'), JSON.stringify(encryptCredentials(CB, 'k')));
  }

  it('temps without a journal are leftovers: deleted, old deploy kept', async () => {
    const dir = tempDir();
    oldState(dir);
    temps(dir);
    const loaded = await open(dir).getFlows();
    expect([loaded.flows, loaded.credentials]).toEqual([A, CA]);
    expect(existsSync(path.join(dir, 'flows.json.$$$'))).toBe(false);
  });

  it('an unreadable journal is ignored (it is written atomically, so no rename can have happened)', async () => {
    const dir = tempDir();
    oldState(dir);
    temps(dir);
    writeFileSync(path.join(dir, '.crimson-commit.json'), '{"vers');
    const loaded = await open(dir).getFlows();
    expect([loaded.flows, loaded.credentials]).toEqual([A, CA]);
    expect(existsSync(path.join(dir, '.crimson-commit.json'))).toBe(false);
  });

  it('a journal naming unknown files renames nothing else', async () => {
    const dir = tempDir();
    oldState(dir);
    writeFileSync(path.join(dir, 'settings.js.$$$'), 'x');
    writeFileSync(path.join(dir, '.crimson-commit.json'), JSON.stringify({ version: 1, files: ['../settings.js', 'flows'] }));
    const loaded = await open(dir).getFlows();
    expect(loaded.flows).toEqual(A);
    expect(existsSync(path.join(dir, 'settings.js.$$$'))).toBe(true);
  });

  it('readOnly reads a committed deploy from its temps without touching the disk', async () => {
    const dir = tempDir();
    oldState(dir);
    temps(dir);
    writeFileSync(path.join(dir, '.crimson-commit.json'), JSON.stringify({ version: 1, files: ['flows', 'credentials'] }));
    const before = readdirSync(dir).sort();
    const loaded = await open(dir, { readOnly: true }).getFlows();
    expect([loaded.flows, loaded.credentials]).toEqual([B, CB]);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('corrupt and empty flows files', () => {
  it('corrupt file: error logged, backup used, file kept aside before the next save, good backup not overwritten', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows.json'), '[{"id":');
    writeFileSync(path.join(dir, '.flows.json.backup'), JSON.stringify(A));
    const logger = capturingLogger();
    const storage = open(dir, { logger });
    expect((await storage.getFlows()).flows).toEqual(A);
    expect(logger.lines.some((l) => l.includes('[error]') && l.includes('not valid JSON'))).toBe(true);
    expect(readFileSync(path.join(dir, 'flows.json'), 'utf8')).toBe('[{"id":');
    await storage.saveFlows(B, {});
    const aside = readdirSync(dir).filter((f) => f.startsWith('flows.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]), 'utf8')).toBe('[{"id":');
    expect(JSON.parse(readFileSync(path.join(dir, '.flows.json.backup'), 'utf8'))).toEqual(A);
    expect(JSON.parse(readFileSync(path.join(dir, 'flows.json'), 'utf8'))).toEqual(B);
    await storage.saveFlows(A, {});
    expect(readdirSync(dir).filter((f) => f.startsWith('flows.json.corrupt-'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(dir, '.flows.json.backup'), 'utf8'))).toEqual(B);
  });

  it('corrupt file without a usable backup, or a non-array: []', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows.json'), '{"id":"x"}');
    expect((await open(dir).getFlows()).flows).toEqual([]);
  });

  it('empty file: restored from a backup with content; [] when the backup is empty too', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'flows.json'), '');
    writeFileSync(path.join(dir, '.flows.json.backup'), JSON.stringify(A));
    expect((await open(dir).getFlows()).flows).toEqual(A);
    expect(JSON.parse(readFileSync(path.join(dir, 'flows.json'), 'utf8'))).toEqual(A);

    const dir2 = tempDir();
    writeFileSync(path.join(dir2, 'flows.json'), '');
    writeFileSync(path.join(dir2, '.flows.json.backup'), '');
    expect((await open(dir2).getFlows()).flows).toEqual([]);
  });
});
