// npm's version read from its package.json (no npm started at start-up), and `npm -v` for anything else.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { npmPackageVersion } from '../../../src/registry/installer/npm-package-version.js';
import { createInstaller } from '../../../src/registry/installer/index.js';
import { captureLogger, removeTemps, tempDir } from './helpers.js';

const posix = process.platform !== 'win32';
afterAll(removeTemps);

/**
 * An npm package laid out as npm installs itself (lib/node_modules/npm with bin/npm-cli.js) and a bin/npm
 * link to its launcher. The launcher, if ever run, leaves a file behind: the tests check it never is.
 */
async function npmInstall(version: string, name = 'npm') {
  const root = await tempDir('crimson-npm-layout-');
  const pkg = path.join(root, 'lib', 'node_modules', 'npm');
  await fs.mkdir(path.join(pkg, 'bin'), { recursive: true });
  await fs.writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name, version }));
  const ran = path.join(root, 'ran');
  await fs.writeFile(path.join(pkg, 'bin', 'npm-cli.js'), `#!/bin/sh\ntouch '${ran}'\necho ${version}\n`, { mode: 0o755 });
  await fs.mkdir(path.join(root, 'bin'));
  await fs.symlink(path.join('..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), path.join(root, 'bin', 'npm'));
  return { bin: path.join(root, 'bin'), npm: path.join(root, 'bin', 'npm'), ran: () => fs.access(ran).then(() => true, () => false) };
}

describe.runIf(posix)('npmPackageVersion', () => {
  it('follows the link to npm-cli.js and reads the version beside it', async () => {
    const layout = await npmInstall('10.9.2');
    expect(npmPackageVersion(layout.npm)).toBe('10.9.2');
    expect(await layout.ran()).toBe(false);
  });

  it('finds a bare command on PATH', async () => {
    const layout = await npmInstall('9.1.0');
    const saved = process.env.PATH;
    process.env.PATH = [layout.bin, saved].join(path.delimiter);
    try {
      expect(npmPackageVersion('npm')).toBe('9.1.0');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('knows nothing of a command that is not npm\'s own launcher', async () => {
    const dir = await tempDir('crimson-npm-wrapper-');
    const wrapper = path.join(dir, 'npm');
    await fs.writeFile(wrapper, '#!/bin/sh\necho 10.0.0\n', { mode: 0o755 });
    expect(npmPackageVersion(wrapper)).toBeUndefined();
    expect(npmPackageVersion(path.join(dir, 'missing'))).toBeUndefined();
    expect(npmPackageVersion((await npmInstall('10.0.0', 'not-npm')).npm)).toBeUndefined();
  });
});

describe.runIf(posix)('the start check', () => {
  const check = async (npmCommand: string) => {
    const { logger, text } = captureLogger();
    const ok = await createInstaller({ userDir: await tempDir(), logger, settings: {}, npmCommand }).checkPrereq();
    return { ok, text: text() };
  };

  it('takes npm\'s version from its package.json without starting npm', async () => {
    const current = await npmInstall('10.9.2');
    expect(await check(current.npm)).toEqual({ ok: true, text: '' });
    expect(await current.ran()).toBe(false);
    const old = await npmInstall('2.15.0');
    expect(await check(old.npm)).toEqual({ ok: false, text: '[info] Palette editor disabled : npm version too old. Requires npm >= 3.x' });
    expect(await old.ran()).toBe(false);
  });
});
