// Shared by the installer tests: temp userDirs, the packed fixture module, a fingerprint of everything npm
// may change in a userDir, a capturing logger and fake npm scripts.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from '../../../src/runtime/logger.js';

const run = promisify(execFile);
export const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'node-red-contrib-crimson-fixture');
export const FIXTURE_NAME = 'node-red-contrib-crimson-fixture';

const temps: string[] = [];
export async function tempDir(prefix = 'crimson-installer-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export async function removeTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
}

/** `npm pack` of the fixture (at `version`, default its own 1.0.0) into a temp dir; resolves with the .tgz path. */
export async function packFixture(version?: string): Promise<string> {
  let src = FIXTURE;
  if (version) {
    src = path.join(await tempDir('crimson-fixture-src-'), FIXTURE_NAME);
    await fs.cp(FIXTURE, src, { recursive: true });
    const pkg = JSON.parse(await fs.readFile(path.join(src, 'package.json'), 'utf8'));
    await fs.writeFile(path.join(src, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
  }
  const dest = await tempDir('crimson-pack-');
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dest], { cwd: src });
  return path.join(dest, stdout.trim().split('\n').pop()!);
}

/** Every file npm may touch in the userDir (package files, nodes/, node_modules/ tree) with type, mode and content hash. */
export async function fingerprint(userDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    const abs = path.join(userDir, rel);
    const st = await fs.lstat(abs).catch(() => undefined);
    if (!st) return;
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[rel] = `link ${await fs.readlink(abs)}`;
    else if (st.isDirectory()) {
      out[rel] = `dir ${mode}`;
      for (const name of (await fs.readdir(abs)).sort()) await walk(path.join(rel, name));
    } else out[rel] = `file ${mode} ${createHash('sha1').update(await fs.readFile(abs)).digest('hex')}`;
  };
  for (const rel of ['package.json', 'package-lock.json', 'nodes', 'node_modules']) await walk(rel);
  // the userDir itself: nothing left over (backups, temp files)
  out['.'] = (await fs.readdir(userDir)).sort().join(',');
  return out;
}

export function captureLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ logging: { console: { level: 'trace' } }, write: (l) => lines.push(l.replace(/^.*? - /, '')) });
  return { logger, lines, text: () => lines.join('\n') };
}

/** A fake npm: a shell script with `body`, executable, in a temp dir. */
export async function fakeNpm(body: string): Promise<string> {
  const file = path.join(await tempDir('crimson-fake-npm-'), 'npm');
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

export const readJson = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8'));
