// writeFileAtomic: backups, no torn files under concurrent writes, per-path ordering, cleanup on failure.
import { promises as fsp, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPathQueue, tempPathFor, writeFileAtomic } from '../../src/storage/atomic-write.js';
import { tempDir } from './helpers.js';

describe('writeFileAtomic', () => {
  it('creates the file (and its directory) and leaves no temp behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sub', 'a.json');
    await writeFileAtomic(file, '{"a":1}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(existsSync(tempPathFor(file))).toBe(false);
    expect(tempPathFor(file)).toBe(`${file}.$$$`);
  });

  it('copies the current file to the backup before replacing it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    const backup = path.join(dir, '.a.json.backup');
    await writeFileAtomic(file, 'one', { backup });
    expect(existsSync(backup)).toBe(false);
    await writeFileAtomic(file, 'two', { backup });
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readFileSync(backup, 'utf8')).toBe('one');
  });

  it('serialises writes to one path: the last write wins and no file is ever torn', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.json');
    const contents = Array.from({ length: 12 }, (_, i) => JSON.stringify({ i, pad: String(i).repeat(200_000) }));
    let seen = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const text = await fsp.readFile(file, 'utf8').catch(() => null);
        if (text !== null) {
          expect(contents).toContain(text);
          seen++;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all(contents.map((c) => writeFileAtomic(file, c)));
    reading = false;
    await reader;
    expect(readFileSync(file, 'utf8')).toBe(contents[contents.length - 1]);
    expect(seen).toBeGreaterThan(0);
  });

  it('runs queued tasks on one path in order, even after one fails', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'q');
    const order: number[] = [];
    const slow = onPathQueue(file, async () => { await new Promise((r) => setTimeout(r, 30)); order.push(1); });
    const failing = onPathQueue(file, async () => { order.push(2); throw new Error('boom'); });
    const last = onPathQueue(file, async () => { order.push(3); return 'done'; });
    await slow;
    await expect(failing).rejects.toThrow('boom');
    await expect(last).resolves.toBe('done');
    expect(order).toEqual([1, 2, 3]);
  });

  it('rejects and removes its temp when the target cannot be replaced', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'is-a-dir');
    await fsp.mkdir(path.join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(existsSync(tempPathFor(target))).toBe(false);
  });
});
