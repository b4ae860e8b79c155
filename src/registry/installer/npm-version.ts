// Which version an install would get (`npm info --json`), asked before installing when the palette's deny
// list is in force so that version rules can be checked; a name or version npm does not know answers 404.
import { apiError } from '../../errors.js';
import type { InstallerContext } from './context.js';
import { logFailure } from './context.js';

export async function registryVersion(ctx: InstallerContext, module: string, version: string | undefined): Promise<string | undefined> {
  const { logger } = ctx;
  const spec = version ? `${module}@${version}` : module;
  const result = await ctx.npm.run(['info', '--json', '--', spec], ctx.userDir, { quiet: true });
  const notFound = (message?: string) => {
    logger.warn(`Installation of module ${module} failed: module not found`);
    return apiError('404', message);
  };
  if (!result.timedOut && !result.stdout.trim()) throw notFound('Version not found');
  let info: unknown;
  try {
    if (result.timedOut) throw new Error(`npm info did not finish within ${ctx.timeoutMs} ms`);
    info = JSON.parse(result.stdout);
  } catch (err) {
    logFailure(logger, `Installation of module ${module} failed:`, [result.stdout, result.stderr, String(err)].filter(Boolean).join('\n'));
    throw apiError('unexpected_error', 'Install failed');
  }
  // a range matching several versions lists them all, lowest first: the install would take the last
  const last = (Array.isArray(info) ? info[info.length - 1] : info) as { version?: unknown; error?: { code?: unknown; summary?: unknown } } | undefined;
  if (last?.error) {
    if (last.error.code === 'E404') throw notFound();
    logFailure(logger, `Installation of module ${module} failed:`, String(last.error.summary ?? ''));
    throw apiError('unexpected_error', 'Install failed');
  }
  return typeof last?.version === 'string' ? last.version : undefined;
}
