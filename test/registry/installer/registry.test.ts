// Installs from the real npm registry (reachable here and in CI): node-red-node-random saved with
// `--save-prefix=~`, upgraded, removed; the deny list's version rules checked against what npm would install.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInstaller } from '../../../src/registry/installer/index.js';
import { toErrorBody } from '../../../src/errors.js';
import type { Settings } from '../../../src/settings/types.js';
import { captureLogger, fingerprint, readJson, removeTemps, tempDir } from './helpers.js';

afterAll(removeTemps);
const NAME = 'node-red-node-random';
const TIMEOUT = 180_000;

describe('node-red-node-random from the registry', () => {
  it('installs a version saved with ~, upgrades it, and removes it', async () => {
    const userDir = await tempDir();
    let loaded: { version: string; user: boolean } | undefined;
    const { logger, text } = captureLogger();
    const installer = createInstaller({ userDir, logger, settings: {}, moduleInfo: (n) => (n === NAME ? loaded : undefined) });
    const first = await installer.install({ module: NAME, version: '0.4.0' });
    expect(first).toEqual({ name: NAME, version: '0.4.0', dir: path.join(userDir, 'node_modules', NAME), upgraded: false, existing: false });
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies).toEqual({ [NAME]: '~0.4.0' });
    expect((await readJson(path.join(first.dir, 'package.json')))['node-red']).toBeTruthy();
    expect(text()).toContain(`[info] Installing module: ${NAME}, version: 0.4.0`);

    loaded = { version: '0.4.0', user: true };
    const second = await installer.install({ module: NAME, version: '0.4.1' });
    expect(second).toMatchObject({ version: '0.4.1', upgraded: true });
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies).toEqual({ [NAME]: '~0.4.1' });

    await installer.uninstall(NAME);
    expect((await readJson(path.join(userDir, 'package.json'))).dependencies ?? {}).toEqual({});
    await expect(fs.stat(first.dir)).rejects.toThrow();
  }, TIMEOUT);

  it('refuses a version the deny list rules out (asking npm which version that is) and allows another', async () => {
    const userDir = await tempDir();
    const settings: Settings = { externalModules: { palette: { denyList: [`${NAME}@<0.4.0`] } } };
    const installer = createInstaller({ userDir, logger: captureLogger().logger, settings });
    const err = await installer.install({ module: NAME, version: '~0.2.0' }).catch((e) => e);
    expect(toErrorBody(err)).toEqual({ status: 400, body: { code: 'install_not_allowed', message: 'Install not allowed' } });
    expect(await fingerprint(userDir)).toEqual({ '.': '' });
    // a version npm does not have
    const missing = await installer.install({ module: NAME, version: '99.0.0' }).catch((e) => e);
    expect(toErrorBody(missing)).toEqual({ status: 404, body: { code: 404, message: 'Module not found' } });
    expect(await installer.install({ module: NAME, version: '0.4.1' })).toMatchObject({ version: '0.4.1' });
  }, TIMEOUT);
});
