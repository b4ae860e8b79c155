// Dashboard 2.0 (@flowfuse/node-red-dashboard, pinned) for the tests: installed once per test run into
// node_modules/.cache/crimson-dashboard (outside the tracked tree; kept while its version is the pinned one),
// and a userDir builder that lays it out as an install by the palette manager would: a package.json listing it
// and a node_modules entry (a symlink to the cache's node_modules). Node-RED 4.1.15 loads that layout too.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const DASHBOARD = '@flowfuse/node-red-dashboard';
export const DASHBOARD_VERSION = '1.31.0';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DASHBOARD_CACHE = path.join(ROOT, 'node_modules', '.cache', 'crimson-dashboard');
const MARKER = path.join(DASHBOARD_CACHE, `installed-${DASHBOARD_VERSION}`);
const LOCK = path.join(DASHBOARD_CACHE, '.installing');

const exists = (p: string) => fs.access(p).then(() => true, () => false);

/** Whether the process that took the install lock is gone (its lock is then stale). */
async function lockIsStale(): Promise<boolean> {
  const pid = Number(await fs.readFile(path.join(LOCK, 'pid'), 'utf8').catch(() => ''));
  if (!pid) return (await fs.stat(LOCK).then((s) => Date.now() - s.mtimeMs, () => 0)) > 10000;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Installs the pinned Dashboard into the cache unless it is there; concurrent test files wait for the one that
 * installs. Resolves with the cache's node_modules.
 */
export async function ensureDashboard(): Promise<string> {
  const modules = path.join(DASHBOARD_CACHE, 'node_modules');
  await fs.mkdir(DASHBOARD_CACHE, { recursive: true });
  const deadline = Date.now() + 5 * 60 * 1000;
  while (!(await exists(MARKER))) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the Dashboard install');
    try {
      await fs.mkdir(LOCK);
    } catch {
      if (await lockIsStale()) await fs.rm(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      await fs.writeFile(path.join(LOCK, 'pid'), String(process.pid));
      if (await exists(MARKER)) break;
      await fs.writeFile(path.join(DASHBOARD_CACHE, 'package.json'), JSON.stringify({ name: 'crimson-dashboard-cache', private: true }));
      await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', `${DASHBOARD}@${DASHBOARD_VERSION}`], {
        cwd: DASHBOARD_CACHE, timeout: 4 * 60 * 1000, maxBuffer: 16 * 1024 * 1024,
      });
      const installed = JSON.parse(await fs.readFile(path.join(modules, DASHBOARD, 'package.json'), 'utf8')) as { version: string };
      if (installed.version !== DASHBOARD_VERSION) throw new Error(`npm installed ${DASHBOARD} ${installed.version}`);
      await fs.writeFile(MARKER, new Date().toISOString());
    } finally {
      await fs.rm(LOCK, { recursive: true, force: true });
    }
  }
  return modules;
}

/** Lays Dashboard out in a userDir: the cache linked in as its node_modules, a package.json listing it. */
export async function dashboardUserDir(userDir: string): Promise<void> {
  const modules = await ensureDashboard();
  await fs.symlink(modules, path.join(userDir, 'node_modules'), 'dir');
  await fs.writeFile(path.join(userDir, 'package.json'), JSON.stringify({
    name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true,
    dependencies: { [DASHBOARD]: DASHBOARD_VERSION },
  }, null, 4));
}
