// The palette installer (COMPAT A3.8 / A3.9): installs and removes node modules in the userDir with npm, one
// at a time, each within a time limit and rolled back entirely when it fails. The admin API turns its
// CodedErrors into Node-RED's answers with sendError.
import fs from 'node:fs/promises';
import { apiError } from '../../errors.js';
import type { InstallerContext } from './context.js';
import { installModule } from './install.js';
import { createNpmRunner } from './npm-run.js';
import { palettePolicy } from './palette-policy.js';
import { checkPrereq } from './prereq.js';
import { createQueue } from './queue.js';
import { recoverSnapshots } from './snapshot.js';
import { uninstallModule } from './uninstall.js';
import { takeSnapshot } from './snapshot.js';
import { installTarball } from './upload.js';
import type { Installer, InstallerOptions } from './types.js';

export type { Installer, InstallerOptions, InstallResult, InstallSpec } from './types.js';
export type { PalettePolicy } from './palette-policy.js';
export { isValidPackageName } from './package-name.js';

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export function createInstaller(opts: InstallerOptions): Installer {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = palettePolicy(opts.settings);
  const ctx: InstallerContext = {
    userDir: opts.userDir,
    logger: opts.logger,
    policy,
    timeoutMs,
    npm: createNpmRunner({ command: opts.npmCommand ?? 'npm', timeoutMs, logger: opts.logger, events: opts.events }),
    moduleInfo: opts.moduleInfo ?? (() => undefined),
    hooks: opts.hooks,
    events: opts.events,
  };
  const queue = createQueue();
  let enabled: boolean | undefined;
  const recovering = queue(async () => {
    const n = await recoverSnapshots(opts.userDir);
    if (n > 0) opts.logger.warn(`Rolled back ${n} interrupted npm ${n === 1 ? 'run' : 'runs'} in ${opts.userDir}`);
    return n;
  });
  recovering.catch((err) => opts.logger.error(`Rolling back an interrupted npm run failed: ${String(err)}`));

  return {
    policy,
    recover: () => recovering,
    checkAllowed: (module, version) => policy.installAllowed(module, version),
    checkPrereq: async () => (enabled = await checkPrereq(ctx, opts.settings)),
    enabled: () => enabled,
    uninstall: (module) => queue(() => uninstallModule(ctx, module)),
    installDependency: (spec, args) => queue(async () => {
      const snapshot = await takeSnapshot(opts.userDir);
      const r = await ctx.npm.run(['install', ...args, '--', spec], opts.userDir);
      if (r.code !== 0 || r.timedOut) {
        await snapshot.restore().catch((err) => opts.logger.error(`Rolling back the install of ${spec} failed: ${String(err)}`));
        throw Object.assign(new Error(r.timedOut ? `npm did not finish within ${timeoutMs} ms` : 'npm install failed'), { stderr: r.stderr });
      }
      await snapshot.discard().catch(() => undefined);
    }),
    async install(spec) {
      if (!policy.allowInstall) throw apiError('install_not_allowed');
      const { module, version, url, tarball } = spec;
      if (tarball !== undefined) {
        // (the old `palette.upload: false` refuses an upload as a bad request, as Node-RED's API does)
        if (policy.uploadRefused || module || version || url) throw apiError('invalid_request');
        const data = typeof tarball === 'string' ? await fs.readFile(tarball) : tarball;
        return queue(() => installTarball(ctx, data));
      }
      if (!module) throw apiError('invalid_request');
      return queue(() => installModule(ctx, { module, version, url }));
    },
  };
}
