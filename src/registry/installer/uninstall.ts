// One removal, as Node-RED runs it: `npm remove --save` of a module in <userDir>/node_modules between the
// preUninstall and postUninstall hooks, with its log lines; rolled back when npm fails or overruns. The
// tarball an upload kept for it (`file:nodes/…` in package.json) goes too. Taking the module out of the
// registry (and reporting its types) is the caller's part.
import fs from 'node:fs/promises';
import path from 'node:path';
import { apiError } from '../../errors.js';
import type { InstallerContext } from './context.js';
import { errorText, logFailure } from './context.js';
import { isValidPackageName } from './package-name.js';
import { takeSnapshot } from './snapshot.js';
import { userDependencies } from './user-package.js';

export const UNINSTALL_ARGS = ['--no-audit', '--no-update-notifier', '--no-fund', '--save'];

export async function uninstallModule(ctx: InstallerContext, module: string): Promise<void> {
  const { logger, userDir } = ctx;
  if (!isValidPackageName(module)) throw apiError('unexpected_error', 'Invalid module name');
  const failed = () => apiError('unexpected_error', 'Uninstall failed');
  try {
    await fs.stat(path.join(userDir, 'node_modules', module));
  } catch {
    throw failed();
  }
  logger.info(`Uninstalling module: ${module}`);
  const listed = (await userDependencies(userDir))[module];
  const payload = { module, dir: userDir, args: [...UNINSTALL_ARGS] };
  const snapshot = await takeSnapshot(userDir);
  let detail: string | undefined;
  try {
    const go = await ctx.hooks?.trigger('preUninstall', payload);
    if (go !== false) {
      const args = Array.isArray(payload.args) ? payload.args.map(String) : [];
      const r = await ctx.npm.run(['remove', ...args, '--', module], userDir);
      if (r.timedOut) detail = `npm did not finish within ${ctx.timeoutMs} ms and was stopped\n${r.stderr}`;
      else if (r.code !== 0) detail = r.stderr || `npm exited with code ${r.code}`;
    } else {
      logger.trace('skipping npm uninstall');
    }
  } catch (err) {
    detail = errorText(err);
  }
  if (detail !== undefined) {
    await snapshot.restore().catch((restoreErr) => logger.error(`Rolling back the removal of ${module} failed: ${errorText(restoreErr)}`));
    logFailure(logger, `Uninstall of module ${module} failed:`, detail);
    throw failed();
  }
  await snapshot.discard().catch(() => undefined);
  logger.info(`Uninstalled module: ${module}`);
  const kept = listed?.startsWith('file:nodes/') ? listed.slice('file:'.length) : undefined;
  if (kept && !kept.includes('..')) await fs.rm(path.join(userDir, kept), { force: true }).catch(() => undefined);
  try {
    await ctx.hooks?.trigger('postUninstall', payload);
  } catch (err) {
    logFailure(logger, undefined, errorText(err));
  }
}
