// Installing an uploaded package tarball as Node-RED does: it is kept as <userDir>/nodes/<name>-<version>.tgz
// (package.json then lists `file:nodes/…`, which later npm runs need), installed from there, and a tarball
// of an earlier upload of the same module is deleted once the new one is installed. A failed install
// removes the new file again (it is part of the rollback).
import fs from 'node:fs/promises';
import path from 'node:path';
import { semver } from '../../runtime/util/deps.js';
import { apiError, CodedError } from '../../errors.js';
import type { InstallerContext } from './context.js';
import { installModule } from './install.js';
import { isValidPackageName } from './package-name.js';
import { tarballModuleInfo } from './tarball-info.js';
import { userDependencies } from './user-package.js';
import type { InstallResult } from './types.js';

/** Where an uploaded module's tarball is kept, userDir-relative: `@scope/name` becomes `scope-name`. */
export function uploadFileName(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(1).replace(/\//g, '-') : name;
  return `nodes/${base}-${version}.tgz`;
}

/** Node-RED answers every coded failure of an upload with status 400, its 404 "Module not found" too. */
export async function installTarball(ctx: InstallerContext, data: Buffer): Promise<InstallResult> {
  try {
    return await uploadAndInstall(ctx, data);
  } catch (err) {
    if (err instanceof CodedError && err.status !== 400) throw new CodedError(err.code, err.message, 400);
    throw err;
  }
}

async function uploadAndInstall(ctx: InstallerContext, data: Buffer): Promise<InstallResult> {
  if (!ctx.policy.allowUpload) throw apiError('unexpected_error', 'Module upload disabled');
  const info = tarballModuleInfo(data);
  // the name and version become a file name: only what npm itself would accept
  if (!isValidPackageName(info.name)) throw apiError('invalid_module_name');
  if (!semver().valid(info.version)) throw apiError('404');
  const rel = uploadFileName(info.name, info.version);

  const listed = (await userDependencies(ctx.userDir))[info.name];
  const previous = listed?.startsWith('file:nodes/') ? `nodes/${listed.slice('file:nodes/'.length)}` : undefined;

  const result = await installModule(ctx, {
    module: info.name,
    version: info.version,
    url: path.resolve(ctx.userDir, rel),
    upload: { rel, data },
  });
  if (previous && previous !== rel && !previous.includes('..')) {
    await fs.rm(path.join(ctx.userDir, previous), { force: true }).catch(() => undefined);
  }
  return result;
}
