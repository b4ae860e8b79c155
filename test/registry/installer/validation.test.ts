// Requests the installer refuses before npm installs anything, with Node-RED's codes, messages, statuses
// and log lines (COMPAT A3.8): nothing in the userDir changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { createInstaller } from '../../../src/registry/installer/index.js';
import { CodedError, toErrorBody } from '../../../src/errors.js';
import type { Settings } from '../../../src/settings/types.js';
import { captureLogger, FIXTURE, fakeNpm, fingerprint, packFixture, removeTemps, tempDir } from './helpers.js';

/** The answer an admin route gives for what the promise rejects with. */
async function answer(p: Promise<unknown>) {
  const err = await p.then(() => { throw new Error('resolved'); }, (e: unknown) => e);
  expect(err).toBeInstanceOf(CodedError);
  return toErrorBody(err);
}

let userDir: string;
let npmCalls: string;
let npmCommand: string;
let tgz: string;
beforeAll(async () => {
  userDir = await tempDir();
  npmCalls = path.join(userDir, '..', `${path.basename(userDir)}-calls`);
  // a fake npm that only records it was called: none of these requests may get as far as npm
  npmCommand = await fakeNpm(`echo "$@" >> '${npmCalls}'\nexit 1`);
  tgz = await packFixture();
});
afterAll(async () => {
  await fs.rm(npmCalls, { force: true });
  await removeTemps();
});

const make = (settings: Settings = {}, moduleInfo?: (n: string) => { version: string; user?: boolean } | undefined) => {
  const log = captureLogger();
  return { ...log, installer: createInstaller({ userDir, logger: log.logger, settings, npmCommand, moduleInfo }) };
};

describe('refused requests', () => {
  it('answers invalid_module_name for a name npm would not take, and logs it', async () => {
    const { installer, text } = make();
    expect(await answer(installer.install({ module: 'bad name!' }))).toEqual({ status: 400, body: { code: 'invalid_module_name', message: 'Invalid module name' } });
    expect(text()).toContain('[warn] Installation of module bad name! failed: invalid module name: bad name!');
  });

  it('answers invalid_module_url for a url that is neither http(s)/git nor an absolute .tgz path', async () => {
    const { installer, text } = make();
    for (const url of ['ftp://x/y.tgz', 'relative/x.tgz', '/abs/not-a-tarball.zip']) {
      expect(await answer(installer.install({ module: 'x', url }))).toEqual({ status: 400, body: { code: 'invalid_module_url', message: 'Invalid url' } });
    }
    expect(text()).toContain('[warn] Installation of module x failed: invalid url: ftp://x/y.tgz');
  });

  it('answers 404 (a number) for a folder that is not a Node-RED module', async () => {
    const { installer } = make();
    const plain = await tempDir();
    await fs.writeFile(path.join(plain, 'package.json'), '{"name":"plain","version":"1.0.0"}');
    expect(await answer(installer.install({ module: plain }))).toEqual({ status: 404, body: { code: 404, message: 'Module not found' } });
    expect(await answer(installer.install({ module: path.join(plain, 'missing') }))).toEqual({ status: 404, body: { code: 404, message: 'Module not found' } });
  });

  it('answers invalid_request without a module, or for a tarball mixed with module/version/url', async () => {
    const { installer } = make();
    const invalid = { status: 400, body: { code: 'invalid_request', message: 'Invalid request' } };
    expect(await answer(installer.install({}))).toEqual(invalid);
    expect(await answer(installer.install({ url: 'https://example.com/x.tgz' }))).toEqual(invalid);
    expect(await answer(installer.install({ tarball: Buffer.from('x'), module: 'x' }))).toEqual(invalid);
    expect(await answer(installer.install({ tarball: Buffer.from('x'), version: '1.0.0' }))).toEqual(invalid);
    expect(await answer(make({ externalModules: { palette: { upload: false } } }).installer.install({ tarball: Buffer.from('x') }))).toEqual(invalid);
  });

  it('answers module_already_loaded for a module the user installed, at no or the same version', async () => {
    const { installer } = make({}, (n) => (n === 'mine' ? { version: '1.2.3', user: true } : undefined));
    const loaded = { status: 400, body: { code: 'module_already_loaded', message: 'Module already loaded' } };
    expect(await answer(installer.install({ module: 'mine' }))).toEqual(loaded);
    expect(await answer(installer.install({ module: 'mine', version: '1.2.3' }))).toEqual(loaded);
  });

  it('answers install_not_allowed when the lists or allowInstall say no', async () => {
    const denied = { status: 400, body: { code: 'install_not_allowed', message: 'Install not allowed' } };
    expect(await answer(make({ externalModules: { palette: { allowInstall: false } } }).installer.install({ module: 'x' }))).toEqual(denied);
    // a folder module is checked without asking npm for a version
    expect(await answer(make({ externalModules: { palette: { denyList: ['node-red-contrib-crimson-*'] } } }).installer.install({ module: FIXTURE }))).toEqual(denied);
  });

  it('answers update_not_allowed for a new version of a loaded module when updates are off', async () => {
    const { installer } = make({ externalModules: { palette: { allowUpdate: false } } }, () => ({ version: '1.0.0', user: true }));
    expect(await answer(installer.install({ module: 'x', version: '2.0.0' }))).toEqual({ status: 400, body: { code: 'update_not_allowed', message: 'Update not allowed' } });
  });

  it('refuses uploads when allowUpload is false', async () => {
    const { installer } = make({ externalModules: { palette: { allowUpload: false } } });
    expect(await answer(installer.install({ tarball: await fs.readFile(tgz) }))).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'Module upload disabled' } });
  });

  it('answers an unreadable upload as Node-RED does (TAR_BAD_ARCHIVE), and one without a Node-RED module with 404 at status 400', async () => {
    const { installer } = make();
    for (const bytes of [Buffer.from('not a tarball'), Buffer.alloc(0), zlib.gzipSync(Buffer.alloc(1000, 7))]) {
      expect(await answer(installer.install({ tarball: bytes }))).toEqual({ status: 400, body: { code: 'TAR_BAD_ARCHIVE', message: 'TAR_BAD_ARCHIVE: Unrecognized archive format' } });
    }
    // a valid tarball of a package without a "node-red" section: the fixture, repacked without it
    const src = await tempDir();
    await fs.cp(FIXTURE, src, { recursive: true });
    await fs.writeFile(path.join(src, 'package.json'), '{"name":"plain-package","version":"1.0.0"}');
    const { execFileSync } = await import('node:child_process');
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', src], { cwd: src }).toString().trim();
    expect(await answer(installer.install({ tarball: await fs.readFile(path.join(src, name)) }))).toEqual({ status: 400, body: { code: 404, message: 'Module not found' } });
  });

  it('never ran npm and left the userDir as it found it', async () => {
    await expect(fs.readFile(npmCalls, 'utf8')).rejects.toThrow();
    expect(await fingerprint(userDir)).toEqual({ '.': '' });
  });
});
