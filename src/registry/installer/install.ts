// One install, as Node-RED runs it: target and allow-list checks, upgrade decision, preInstall hook, `npm
// install --save --save-prefix=~ …`, postInstall hook, log lines. Everything npm (or a hook) changed is
// rolled back when any step after the snapshot fails or npm overruns its time limit.
import fs from 'node:fs/promises';
import path from 'node:path';
import { apiError, CodedError } from '../../errors.js';
import type { InstallerContext } from './context.js';
import { errorText, logFailure } from './context.js';
import { installTarget } from './install-target.js';
import { registryVersion } from './npm-version.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
import { ensureUserPackage, installedPackage, userDependencies } from './user-package.js';
import type { InstallResult } from './types.js';

export const INSTALL_ARGS = ['--no-audit', '--no-update-notifier', '--no-fund', '--save', '--save-prefix=~', '--omit=dev', '--engine-strict'];

export interface InstallRequest {
  module: string;
  version?: string;
  url?: string;
  /** A file to write into userDir (relative path) once the snapshot is taken: an uploaded tarball. */
  upload?: { rel: string; data: Buffer };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The error npm's failure answers, with Node-RED's log lines. */
function npmFailure(ctx: InstallerContext, module: string, version: string | undefined, upgrade: boolean, r: { stderr: string; timedOut: boolean }): CodedError {
  const failed = `Installation of module ${module} failed:`;
  if (r.timedOut) {
    logFailure(ctx.logger, failed, `npm did not finish within ${ctx.timeoutMs} ms and was stopped\n${r.stderr}`);
  } else if (new RegExp(` 404 .*${escapeRe(module)}`, 'm').test(r.stderr)) {
    ctx.logger.warn(`${failed} module not found`);
    return apiError('404');
  } else if (upgrade && new RegExp(`version not found: ${escapeRe(`${module}@${version}`)}`, 'm').test(r.stderr)) {
    ctx.logger.warn(`${failed} version not found`);
    return apiError('404');
  } else {
    logFailure(ctx.logger, failed, r.stderr);
  }
  return apiError('unexpected_error', 'Install failed');
}

/** The package npm added: the module named, else the dependency whose entry in package.json changed (URL installs). */
async function installedResult(ctx: InstallerContext, module: string, version: string | undefined, before: Record<string, string>) {
  const after = await userDependencies(ctx.userDir);
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  const name = module && (changed.length === 0 || changed.includes(module)) ? module : (changed[0] ?? module);
  return (await installedPackage(ctx.userDir, name)) ?? { name, version: version ?? '', dir: path.join(ctx.userDir, 'node_modules', name) };
}

export async function installModule(ctx: InstallerContext, req: InstallRequest): Promise<InstallResult> {
  const { logger, policy, userDir } = ctx;
  const { version, url } = req;
  const target = await installTarget(req.module, version, url, logger);
  const { module } = target;

  if (!policy.installAllAllowed) {
    const v = target.fromRegistry ? await registryVersion(ctx, module, version) : version;
    if (!policy.installAllowed(module, v)) throw apiError('install_not_allowed');
  }

  const loaded = ctx.moduleInfo(module);
  const existing = !!loaded && !loaded.user;
  if (existing) logger.debug(`Installing existing module: ${module}`);
  else if (loaded && (!version || loaded.version === version)) throw apiError('module_already_loaded');
  const upgrade = !!loaded;
  if (upgrade && !policy.updateAllowed(module)) throw apiError('update_not_allowed');

  // (Node-RED counts an existing module as an upgrade here, and logs it so)
  logger.info(upgrade
    ? `Upgrading module: ${module} to version: ${version || 'latest'}`
    : `Installing module: ${module}, version: ${version || 'latest'}`);

  const payload = { module, version, url, dir: userDir, isExisting: existing, isUpgrade: upgrade, args: [...INSTALL_ARGS] };
  await ensureUserPackage(userDir);
  const before = await userDependencies(userDir);
  const snapshot: Snapshot = await takeSnapshot(userDir, req.upload ? [req.upload.rel] : []);
  try {
    if (req.upload) {
      const file = path.join(userDir, req.upload.rel);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, req.upload.data);
    }
    const hookFailure = (err: unknown) => {
      logFailure(logger, `Installation of module ${module} failed:`, errorText(err));
      return apiError('unexpected_error', `Install failed: ${errorText(err)}`);
    };
    const go = await Promise.resolve(ctx.hooks?.trigger('preInstall', payload)).catch((err) => { throw hookFailure(err); });
    if (go !== false) {
      const args = Array.isArray(payload.args) ? payload.args.map(String) : [];
      const r = await ctx.npm.run(['install', ...args, '--', target.installName], userDir);
      if (r.code !== 0 || r.timedOut) throw npmFailure(ctx, module, version, upgrade, r);
    } else {
      logger.trace('skipping npm install');
    }
    await Promise.resolve(ctx.hooks?.trigger('postInstall', payload)).catch((err) => { throw hookFailure(err); });
  } catch (err) {
    await snapshot.restore().catch((restoreErr) => logger.error(`Rolling back the install of ${module} failed: ${errorText(restoreErr)}`));
    throw err;
  }
  await snapshot.discard().catch(() => undefined);

  // Node-RED logs the upgrade of a module it had loaded, and asks for a restart (the old version keeps running)
  if (upgrade && !existing) {
    logger.info(`Upgraded module: ${module}. Restart Node-RED to use the new version`);
    ctx.events?.emit('runtime-event', { id: 'restart-required', payload: { type: 'warning', text: 'notification.warnings.restartRequired' }, retain: true });
  } else {
    logger.info(`Installed module: ${module}`);
  }
  const info = await installedResult(ctx, module, version, before);
  return { ...info, upgraded: upgrade && !existing, existing };
}
