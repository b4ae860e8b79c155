// Node-RED's start check of the palette installer: off by the settings (with the deprecated editorTheme
// switches warned about), or off because npm is missing or older than 3; each case logged as Node-RED logs it.
// npm's version comes from its package.json when the command is npm's own launcher, else from `npm -v`.
import type { Settings } from '../../settings/types.js';
import type { InstallerContext } from './context.js';
import { npmPackageVersion } from './npm-package-version.js';

const NPM_CHECK_MS = 30_000;

export async function checkPrereq(ctx: InstallerContext, settings: Settings): Promise<boolean> {
  const { logger } = ctx;
  const palette = settings.editorTheme?.palette as Record<string, unknown> | undefined;
  for (const [old, now] of [['editable', 'allowInstall'], ['upload', 'allowUpload']]) {
    if (palette && typeof palette === 'object' && Object.hasOwn(palette, old!)) {
      logger.warn(`Use of editorTheme.palette.${old} is DEPRECATED. Use externalModules.palette.${now} instead`);
    }
  }
  if (!ctx.policy.allowInstall) {
    logger.info('Palette editor disabled : user settings');
    return false;
  }
  let version = npmPackageVersion(ctx.npm.command);
  if (version === undefined) {
    const r = await ctx.npm.run(['-v'], ctx.userDir, { quiet: true, timeoutMs: NPM_CHECK_MS });
    if (r.code !== 0 || r.timedOut) {
      logger.info('Palette editor disabled : npm command not found');
      return false;
    }
    version = r.stdout;
  }
  if (parseInt(version.split('.')[0] ?? '', 10) < 3) {
    logger.info('Palette editor disabled : npm version too old. Requires npm >= 3.x');
    return false;
  }
  return true;
}
