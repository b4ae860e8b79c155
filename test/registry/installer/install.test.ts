// Installing and removing the fixture module with the real npm: from a .tgz path, an uploaded Buffer or
// file, a folder; upgrades by upload; removal. Failed installs (unknown name, corrupt tarballs) leave
// package.json, package-lock.json, nodes/ and node_modules/ byte for byte as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInstaller } from '../../../src/registry/installer/index.js';
import { CodedError, toErrorBody } from '../../../src/errors.js';
import { captureLogger, FIXTURE, FIXTURE_NAME, fingerprint, packFixture, readJson, removeTemps, tempDir } from './helpers.js';

let tgz: string;
let tgz101: string;
beforeAll(async () => {
  [tgz, tgz101] = await Promise.all([packFixture(), packFixture('1.0.1')]);
});
afterAll(removeTemps);

const TIMEOUT = 120_000;

function setup(moduleInfo?: (n: string) => { version: string; user?: boolean } | undefined) {
  return tempDir().then((userDir) => {
    const log = captureLogger();
    const events = new EventEmitter();
    const emitted: Array<[string, any]> = [];
    for (const e of ['event-log', 'runtime-event']) events.on(e, (v) => emitted.push([e, v]));
    const installer = createInstaller({ userDir, logger: log.logger, settings: {}, events, moduleInfo });
    return { userDir, installer, emitted, ...log };
  });
}

const moduleDir = (userDir: string) => path.join(userDir, 'node_modules', FIXTURE_NAME);

describe('installing the fixture', () => {
  it('installs from a .tgz path, creating package.json as Node-RED does, and removes it again', async () => {
    const { userDir, installer, text, emitted } = await setup();
    const result = await installer.install({ module: FIXTURE_NAME, url: tgz });
    expect(result).toEqual({ name: FIXTURE_NAME, version: '1.0.0', dir: moduleDir(userDir), upgraded: false, existing: false });
    expect(await fs.readFile(path.join(moduleDir(userDir), 'fixture.html'), 'utf8')).toContain('crimson-fixture');
    const pkg = await readJson(path.join(userDir, 'package.json'));
    expect(pkg).toMatchObject({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true });
    expect(pkg.dependencies[FIXTURE_NAME]).toMatch(/^file:.*node-red-contrib-crimson-fixture-1\.0\.0\.tgz$/);
    expect(text()).toContain(`[info] Installing module: ${FIXTURE_NAME}, version: latest`);
    expect(text()).toContain(`[info] Installed module: ${FIXTURE_NAME}`);
    expect(text()).toMatch(/\[trace\] npm \["install","--no-audit","--no-update-notifier","--no-fund","--save","--save-prefix=~","--omit=dev","--engine-strict","--",/);
    // the editor's event log: the command, npm's output, then rc=0
    const log = emitted.filter(([e]) => e === 'event-log').map(([, v]) => v);
    expect(log[0].payload.data).toMatch(/^npm install /);
    expect(log.at(-1).payload).toMatchObject({ data: 'rc=0', end: true });
    expect(new Set(log.map((l) => l.id)).size).toBe(1);

    await installer.uninstall(FIXTURE_NAME);
    await expect(fs.stat(moduleDir(userDir))).rejects.toThrow();
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies ?? {}).toEqual({});
    expect(text()).toContain(`[info] Uninstalling module: ${FIXTURE_NAME}`);
    expect(text()).toContain(`[info] Uninstalled module: ${FIXTURE_NAME}`);
    expect((await fingerprint(userDir))['.']).toBe('node_modules,package-lock.json,package.json');
  }, TIMEOUT);

  it('installs an uploaded Buffer from <userDir>/nodes/, upgrades it by upload and removes it with its tarball', async () => {
    let loaded: { version: string; user: boolean } | undefined;
    const { userDir, installer, text, emitted } = await setup((n) => (n === FIXTURE_NAME ? loaded : undefined));
    const first = await installer.install({ tarball: await fs.readFile(tgz) });
    expect(first).toMatchObject({ name: FIXTURE_NAME, version: '1.0.0', upgraded: false });
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies).toEqual({ [FIXTURE_NAME]: `file:nodes/${FIXTURE_NAME}-1.0.0.tgz` });
    expect(await fs.readdir(path.join(userDir, 'nodes'))).toEqual([`${FIXTURE_NAME}-1.0.0.tgz`]);
    expect(text()).toContain(`[info] Installing module: ${FIXTURE_NAME}, version: 1.0.0`);

    loaded = { version: '1.0.0', user: true };
    // the same version again is refused; a new one replaces it, its old tarball deleted
    await expect(installer.install({ tarball: await fs.readFile(tgz) })).rejects.toMatchObject({ code: 'module_already_loaded' });
    const second = await installer.install({ tarball: tgz101 });
    expect(second).toMatchObject({ name: FIXTURE_NAME, version: '1.0.1', upgraded: true, existing: false });
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies).toEqual({ [FIXTURE_NAME]: `file:nodes/${FIXTURE_NAME}-1.0.1.tgz` });
    expect(await fs.readdir(path.join(userDir, 'nodes'))).toEqual([`${FIXTURE_NAME}-1.0.1.tgz`]);
    expect(text()).toContain(`[info] Upgrading module: ${FIXTURE_NAME} to version: 1.0.1`);
    expect(text()).toContain(`[info] Upgraded module: ${FIXTURE_NAME}. Restart Node-RED to use the new version`);
    expect(emitted).toContainEqual(['runtime-event', { id: 'restart-required', payload: { type: 'warning', text: 'notification.warnings.restartRequired' }, retain: true }]);

    await installer.uninstall(FIXTURE_NAME);
    expect(await fs.readdir(path.join(userDir, 'nodes'))).toEqual([]);
    await expect(installer.uninstall(FIXTURE_NAME)).rejects.toMatchObject({ code: 'unexpected_error', message: 'Uninstall failed' });
    await expect(installer.uninstall('../evil')).rejects.toMatchObject({ code: 'unexpected_error', message: 'Invalid module name' });
  }, TIMEOUT);

  it('installs a module folder (npm links it) and one present but not user-installed as "existing"', async () => {
    const { userDir, installer } = await setup((n) => (n === FIXTURE_NAME ? { version: '1.0.0', user: false } : undefined));
    const result = await installer.install({ module: FIXTURE });
    expect(result).toMatchObject({ name: FIXTURE_NAME, version: '1.0.0', existing: true, upgraded: false });
    expect((await fs.lstat(moduleDir(userDir))).isSymbolicLink()).toBe(true);
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies[FIXTURE_NAME]).toMatch(/^file:/);
  }, TIMEOUT);
});

describe('failed installs change nothing', () => {
  let userDir: string;
  let before: Record<string, string>;
  let installer: ReturnType<typeof createInstaller>;
  let text: () => string;
  beforeAll(async () => {
    ({ userDir, installer, text } = await setup());
    await installer.install({ tarball: tgz });
    before = await fingerprint(userDir);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['package-lock.json', 'node_modules/.package-lock.json', `node_modules/${FIXTURE_NAME}/fixture.js`]));
  }, TIMEOUT);

  it('answers 404 for a name the registry does not know', async () => {
    const name = 'node-red-contrib-crimson-does-not-exist-4d1f';
    const err = await installer.install({ module: name }).catch((e) => e);
    expect(err).toBeInstanceOf(CodedError);
    expect(toErrorBody(err)).toEqual({ status: 404, body: { code: 404, message: 'Module not found' } });
    expect(text()).toContain(`[warn] Installation of module ${name} failed: module not found`);
    expect(await fingerprint(userDir)).toEqual(before);
  }, TIMEOUT);

  it('answers "Install failed" for a corrupt .tgz path, with npm\'s output in the log', async () => {
    const bad = path.join(await tempDir(), 'corrupt.tgz');
    await fs.writeFile(bad, 'this is not a tarball');
    const err = await installer.install({ module: 'corrupt', url: bad }).catch((e) => e);
    expect(toErrorBody(err)).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'Install failed' } });
    expect(text()).toMatch(/\[warn\] Installation of module corrupt failed:\n\[warn\] -{42}\n\[warn\] [^\n]*npm[^]*\n\[warn\] -{42}/);
    expect(await fingerprint(userDir)).toEqual(before);
  }, TIMEOUT);

  it('answers "Install failed" for an upload cut short (readable package.json, broken archive) and keeps no tarball of it', async () => {
    const whole = await fs.readFile(tgz101);
    const err = await installer.install({ tarball: whole.subarray(0, whole.length - 8) }).catch((e) => e);
    expect(toErrorBody(err)).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'Install failed' } });
    expect(await fingerprint(userDir)).toEqual(before);
  }, TIMEOUT);
});
