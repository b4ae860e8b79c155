// Third-party node packages from the npm registry for the package tests, installed once into a cache folder
// (node_modules/.cache, ignored by git) and reused by every test run after that: a test userDir gets
// symlinks to them in its node_modules and a package.json listing them. Test files running at the same time
// take turns through a lock folder; the cache appears whole (installed beside it, then renamed).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The packages and the versions the tests were written against. */
export const PACKAGES: Record<string, string> = {
  'node-red-node-random': '0.4.1',
  'node-red-contrib-moment': '4.0.0',
  'node-red-node-base64': '1.0.0',
  'node-red-node-smooth': '0.1.2',
  'node-red-contrib-cron-plus': '1.5.7',
  'node-red-node-data-generator': '0.1.1',
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const key = Object.entries(PACKAGES).map(([n, v]) => `${n}@${v}`).join(' ');
// one folder per package list: changing a version installs afresh
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'crimson-test-packages', createHash('sha1').update(key).digest('hex').slice(0, 16));

const exists = (p: string) => fs.access(p).then(() => true, () => false);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function installInto(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'crimson-test-packages', version: '0.0.0', private: true }));
  const specs = Object.entries(PACKAGES).map(([n, v]) => `${n}@${v}`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, ...specs], { timeout: 300000, maxBuffer: 16 * 1024 * 1024 });
}

/** The cache folder (its node_modules holds the packages), installing it first when missing. */
export async function packageCache(): Promise<string> {
  const done = path.join(CACHE, '.complete');
  if (await exists(done)) return CACHE;
  const lock = `${CACHE}.lock`;
  await fs.mkdir(path.dirname(CACHE), { recursive: true });
  const deadline = Date.now() + 360000;
  for (;;) {
    try {
      await fs.mkdir(lock);
      break;
    } catch {
      if (await exists(done)) return CACHE;
      // a lock left by a killed run is taken over after 6 minutes
      const st = await fs.stat(lock).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 360000) await fs.rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(500);
    }
  }
  try {
    if (await exists(done)) return CACHE;
    const tmp = `${CACHE}.tmp-${process.pid}`;
    await fs.rm(tmp, { recursive: true, force: true });
    await installInto(tmp);
    await fs.writeFile(path.join(tmp, '.complete'), key);
    await fs.rm(CACHE, { recursive: true, force: true });
    await fs.rename(tmp, CACHE);
    return CACHE;
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

/** Fills a userDir: node_modules/<pkg> symlinks into the cache and a package.json listing the packages. */
export async function linkPackages(userDir: string, cache: string, names: string[] = Object.keys(PACKAGES)): Promise<void> {
  await fs.mkdir(path.join(userDir, 'node_modules'), { recursive: true });
  for (const n of names) await fs.symlink(path.join(cache, 'node_modules', n), path.join(userDir, 'node_modules', n), 'dir');
  const dependencies = Object.fromEntries(names.map((n) => [n, `~${PACKAGES[n]}`]));
  await fs.writeFile(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', version: '0.0.1', private: true, dependencies }, null, 2));
}
