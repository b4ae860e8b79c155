// What the installer does around npm, driven by fake npm scripts: the time limit (npm and its children
// killed, everything rolled back), one run at a time, failed removals rolled back, hooks, recovery of runs a
// crash interrupted, and the start check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInstaller } from '../../../src/registry/installer/index.js';
import { takeSnapshot } from '../../../src/registry/installer/snapshot.js';
import { createHooks } from '../../../src/registry/hooks.js';
import { toErrorBody } from '../../../src/errors.js';
import type { Settings } from '../../../src/settings/types.js';
import { captureLogger, fakeNpm, FIXTURE_NAME, fingerprint, packFixture, readJson, removeTemps, tempDir } from './helpers.js';

const posix = process.platform !== 'win32';
let tgz: string;
beforeAll(async () => { tgz = await packFixture(); });
afterAll(removeTemps);

/** A userDir with the fixture installed by the real npm (package.json, package-lock.json, node_modules). */
async function populatedUserDir(): Promise<string> {
  const userDir = await tempDir();
  await createInstaller({ userDir, logger: captureLogger().logger, settings: {} }).install({ tarball: tgz });
  return userDir;
}

/** Whether a process still runs (a zombie nobody reaped — in a container without init — counts as gone). */
async function alive(pid: number): Promise<boolean> {
  try { process.kill(pid, 0); } catch { return false; }
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** Shell lines that change things as npm does: a new package, a removed one, rewritten package files. */
const MESS = `
mkdir -p node_modules/fake-added/lib && echo added > node_modules/fake-added/lib/index.js
rm -rf node_modules/${FIXTURE_NAME} && mkdir -p node_modules/${FIXTURE_NAME} && echo replaced > node_modules/${FIXTURE_NAME}/fixture.js
echo '{"rewritten":true}' > node_modules/.package-lock.json
echo '{"rewritten":true}' > package.json
rm -f package-lock.json`;

describe.runIf(posix)('the time limit', () => {
  it('kills npm and what it started when it overruns, and rolls everything back', async () => {
    const userDir = await populatedUserDir();
    const before = await fingerprint(userDir);
    const pidFile = path.join(await tempDir(), 'child.pid');
    const npmCommand = await fakeNpm(`${MESS}\nsleep 60 &\necho $! > '${pidFile}'\nwait`);
    const { logger, text } = captureLogger();
    const installer = createInstaller({ userDir, logger, settings: {}, npmCommand, timeoutMs: 1500 });
    const started = Date.now();
    const err = await installer.install({ module: 'node-red-contrib-slow' }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(toErrorBody(err)).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'Install failed' } });
    expect(text()).toContain('[warn] Installation of module node-red-contrib-slow failed:');
    expect(text()).toContain('npm did not finish within 1500 ms and was stopped');
    const child = Number(await fs.readFile(pidFile, 'utf8'));
    expect(await alive(child)).toBe(false);
    expect(await fingerprint(userDir)).toEqual(before);
  }, 30_000);

  it('uses SIGKILL on an npm that ignores SIGTERM', async () => {
    const userDir = await populatedUserDir();
    const before = await fingerprint(userDir);
    const pidFile = path.join(await tempDir(), 'child.pid');
    const npmCommand = await fakeNpm(`trap '' TERM\n${MESS}\nsleep 60 &\necho $! > '${pidFile}'\nwait; wait; sleep 60`);
    const installer = createInstaller({ userDir, logger: captureLogger().logger, settings: {}, npmCommand, timeoutMs: 1000 });
    await expect(installer.install({ module: 'node-red-contrib-stubborn' })).rejects.toMatchObject({ message: 'Install failed' });
    expect(await alive(Number(await fs.readFile(pidFile, 'utf8')))).toBe(false);
    expect(await fingerprint(userDir)).toEqual(before);
  }, 30_000);
});

describe.runIf(posix)('one npm run at a time', () => {
  it('runs concurrent requests one after the other, in order, a failure not stopping the rest', async () => {
    const userDir = await tempDir();
    const runs = path.join(await tempDir(), 'runs.log');
    // the last argument is the module; "b" fails
    const npmCommand = await fakeNpm(`for a; do m=$a; done\necho "start $m" >> '${runs}'\nsleep 0.3\necho "end $m" >> '${runs}'\n[ "$m" != b ]`);
    const installer = createInstaller({ userDir, logger: captureLogger().logger, settings: {}, npmCommand });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((module) => installer.install({ module })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await fs.readFile(runs, 'utf8')).trim().split('\n')).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    const uninstallWaits = installer.uninstall('a');
    const install = installer.install({ module: 'd' });
    await Promise.allSettled([uninstallWaits, install]);
    expect((await fs.readFile(runs, 'utf8')).trim().split('\n').slice(6)).toEqual(['start d', 'end d']);
  }, 30_000);
});

describe.runIf(posix)('failed removals', () => {
  it('answers "Uninstall failed", logs npm\'s output and rolls back', async () => {
    const userDir = await populatedUserDir();
    const before = await fingerprint(userDir);
    const npmCommand = await fakeNpm(`${MESS}\necho "npm error something broke" >&2\nexit 1`);
    const { logger, text } = captureLogger();
    const installer = createInstaller({ userDir, logger, settings: {}, npmCommand });
    await expect(installer.uninstall(FIXTURE_NAME)).rejects.toMatchObject({ code: 'unexpected_error', message: 'Uninstall failed' });
    expect(text()).toContain(`[warn] Uninstall of module ${FIXTURE_NAME} failed:\n[warn] ------------------------------------------\n[warn] npm error something broke`);
    expect(await fingerprint(userDir)).toEqual(before);
  }, 30_000);
});

describe.runIf(posix)('failed uploads', () => {
  it('leave neither the tarball nor a nodes/ folder behind', async () => {
    const userDir = await tempDir();
    await fs.writeFile(path.join(userDir, 'package.json'), '{"name":"mine","version":"1.0.0"}', { mode: 0o600 });
    const before = await fingerprint(userDir);
    const npmCommand = await fakeNpm(`${MESS}\nexit 1`);
    const installer = createInstaller({ userDir, logger: captureLogger().logger, settings: {}, npmCommand });
    await expect(installer.install({ tarball: tgz })).rejects.toMatchObject({ message: 'Install failed' });
    expect(await fingerprint(userDir)).toEqual(before);
    expect(before['package.json']).toMatch(/^file 600 /);
  }, 30_000);
});

describe.runIf(posix)('hooks', () => {
  it('gives preInstall Node-RED\'s payload, whose args npm then gets; false skips npm', async () => {
    const userDir = await tempDir();
    const argsFile = path.join(await tempDir(), 'args');
    const npmCommand = await fakeNpm(`echo "$@" > '${argsFile}'`);
    const hooks = createHooks();
    const seen: any[] = [];
    hooks.add('preInstall', (p: any) => { seen.push({ ...p, args: [...p.args] }); p.args = ['--custom']; });
    const installer = createInstaller({ userDir, logger: captureLogger().logger, settings: {}, npmCommand, hooks });
    await installer.install({ module: 'x', version: '1.2.3' });
    expect(seen).toEqual([{ module: 'x', version: '1.2.3', url: undefined, dir: userDir, isExisting: false, isUpgrade: false,
      args: ['--no-audit', '--no-update-notifier', '--no-fund', '--save', '--save-prefix=~', '--omit=dev', '--engine-strict'] }]);
    expect((await fs.readFile(argsFile, 'utf8')).trim()).toBe('install --custom -- x@1.2.3');

    await fs.rm(argsFile);
    hooks.add('preInstall.skip', (_payload: unknown) => false); // one argument: a sync hook (none would be a callback hook)
    await installer.install({ module: 'y' });
    await expect(fs.stat(argsFile)).rejects.toThrow();
  });

  it('rolls back an install whose postInstall hook fails', async () => {
    const userDir = await populatedUserDir();
    const before = await fingerprint(userDir);
    const hooks = createHooks();
    hooks.add('postInstall', () => { throw new Error('boom'); });
    const installer = createInstaller({ userDir, logger: captureLogger().logger, settings: {}, npmCommand: await fakeNpm(MESS), hooks });
    await expect(installer.install({ module: 'x' })).rejects.toMatchObject({ code: 'unexpected_error', message: 'Install failed: Error: boom' });
    expect(await fingerprint(userDir)).toEqual(before);
  }, 30_000);
});

describe('runs a crash interrupted', () => {
  it('are rolled back before anything else when an installer is created; half-taken snapshots are dropped', async () => {
    const userDir = await populatedUserDir();
    const before = await fingerprint(userDir);
    await takeSnapshot(userDir); // the process "dies" during npm: nobody restores it
    await fs.rm(path.join(userDir, 'node_modules', FIXTURE_NAME), { recursive: true });
    await fs.writeFile(path.join(userDir, 'package.json'), 'half written');
    await fs.mkdir(path.join(userDir, 'node_modules', 'new-one'));
    await fs.mkdir(path.join(userDir, '.crimson-install-backup-zzzzzz', 'tree'), { recursive: true }); // died while snapshotting
    const { logger, text } = captureLogger();
    const installer = createInstaller({ userDir, logger, settings: {} });
    expect(await installer.recover()).toBe(1);
    expect(text()).toContain(`[warn] Rolled back 1 interrupted npm run in ${userDir}`);
    expect(await fingerprint(userDir)).toEqual(before);
  }, 30_000);

  it('restores a userDir that had no node_modules by removing the one npm made', async () => {
    const userDir = await tempDir();
    await fs.writeFile(path.join(userDir, 'package.json'), '{}');
    const before = await fingerprint(userDir);
    const snap = await takeSnapshot(userDir);
    await fs.mkdir(path.join(userDir, 'node_modules', 'x'), { recursive: true });
    await fs.writeFile(path.join(userDir, 'package-lock.json'), '{}');
    await snap.restore();
    expect(await fingerprint(userDir)).toEqual(before);
  });
});

describe('the start check', () => {
  const check = async (settings: Settings, npmCommand?: string) => {
    const { logger, text } = captureLogger();
    const ok = await createInstaller({ userDir: await tempDir(), logger, settings, npmCommand }).checkPrereq();
    return { ok, text: text() };
  };
  it('enables the installer when npm is there', async () => {
    expect((await check({})).ok).toBe(true);
  }, 30_000);
  it('logs why it is disabled', async () => {
    expect(await check({ externalModules: { palette: { allowInstall: false } } })).toEqual({ ok: false, text: '[info] Palette editor disabled : user settings' });
    expect(await check({}, '/nonexistent/npm')).toEqual({ ok: false, text: expect.stringContaining('[info] Palette editor disabled : npm command not found') });
    if (posix) expect((await check({}, await fakeNpm('echo 2.15.0'))).text).toContain('[info] Palette editor disabled : npm version too old. Requires npm >= 3.x');
    const themed = await check({ editorTheme: { palette: { editable: false, upload: false } } });
    expect(themed.ok).toBe(false);
    expect(themed.text).toContain('[warn] Use of editorTheme.palette.editable is DEPRECATED. Use externalModules.palette.allowInstall instead');
    expect(themed.text).toContain('[warn] Use of editorTheme.palette.upload is DEPRECATED. Use externalModules.palette.allowUpload instead');
  }, 30_000);
});

it('writes package.json with Node-RED\'s default content when the userDir has none', async () => {
  const userDir = await tempDir();
  const installer = createInstaller({ userDir, logger: captureLogger().logger, settings: {}, npmCommand: posix ? await fakeNpm('exit 0') : undefined });
  if (!posix) return;
  await installer.install({ module: 'x' });
  expect(await fs.readFile(path.join(userDir, 'package.json'), 'utf8')).toBe(JSON.stringify({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true }, null, 4));
  expect(await readJson(path.join(userDir, 'package.json'))).toEqual({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true });
});
