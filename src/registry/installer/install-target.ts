// What `npm install` is given for a request, checked as Node-RED checks it: a URL (http(s)/git, or an
// absolute .tgz path), a registry name with an optional version, or a path to a module folder.
import fs from 'node:fs/promises';
import path from 'node:path';
import { apiError } from '../../errors.js';
import type { Logger } from '../../runtime/logger.js';
import { isValidPackageName } from './package-name.js';

const PACKAGE_URL = /^(https?|git(|\+https?|\+ssh|\+file)):\/\//;
const LOCAL_TGZ = /^([a-zA-Z]:|\/).+tgz$/;
const HAS_SLASH = process.platform === 'win32' ? /[\\/]/ : /\//;

export interface InstallTarget {
  /** The module's name as the request gives it (from its package.json for a folder). */
  module: string;
  /** npm's argument. */
  installName: string;
  /** From the npm registry (its version can be asked of npm). */
  fromRegistry: boolean;
}

/** A folder to install: its package.json must name a Node-RED module; anything wrong answers 404 as in Node-RED. */
async function folderModule(folder: string): Promise<string> {
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(path.resolve(folder), 'package.json'), 'utf8'));
    if (pkg?.['node-red'] && typeof pkg.name === 'string') return pkg.name;
  } catch { /* answered below */ }
  throw apiError('404');
}

export async function installTarget(module: string, version: string | undefined, url: string | undefined, logger: Logger): Promise<InstallTarget> {
  const failed = `Installation of module ${module} failed:`;
  if (url) {
    if (PACKAGE_URL.test(url) || LOCAL_TGZ.test(url)) return { module, installName: url, fromRegistry: false };
    logger.warn(`${failed} invalid url: ${url}`);
    throw apiError('invalid_module_url');
  }
  if (isValidPackageName(module)) return { module, installName: version ? `${module}@${version}` : module, fromRegistry: true };
  if (HAS_SLASH.test(module)) return { module: await folderModule(module), installName: module, fromRegistry: false };
  logger.warn(`${failed} invalid module name: ${module}`);
  throw apiError('invalid_module_name');
}
