// POST /nodes (install a module from the npm registry, a url, or an uploaded .tgz in the `tarball` field) and
// DELETE /nodes/:module (uninstall), as Node-RED's admin API answers them (COMPAT A3.8, A3.9). The routes exist
// only when externalModules.palette.allowInstall is not false; uploads only when allowUpload is not false.
import type { Request, RequestHandler, Response, Router } from 'express';
import { express, multer } from '../runtime/util/deps.js';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { moduleView } from './nodes.js';
import { apiError } from '../errors.js';

export function nodesInstallRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { logger } = deps;
  const policy = (deps.settings.externalModules as { palette?: { allowInstall?: unknown; allowUpload?: unknown } } | undefined)?.palette;
  if (policy?.allowInstall === false) return r;
  // (the runtime hands its palette over once its node loader exists, after the admin app is made)
  const palette = () => {
    if (!deps.palette) throw apiError('settings_unavailable');
    return deps.palette;
  };
  const write = deps.needsPermission('nodes.write');
  // multer is loaded by the first upload, not at start
  let tarball: RequestHandler | undefined;
  const upload: RequestHandler[] = policy?.allowUpload === false ? [] : [(req, res, next) => {
    tarball ??= multer()({ storage: multer().memoryStorage() }).single('tarball');
    tarball(req, res, next);
  }];
  // (quirk) Node-RED ignores an uploaded file when editorTheme.palette.upload is false
  const uploadsIgnored = (deps.settings.editorTheme as { palette?: { upload?: unknown } } | undefined)?.palette?.upload === false;

  r.post('/nodes', write, ...upload, async (req: Request, res: Response) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const file = uploadsIgnored ? undefined : req.file;
    const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
    const spec = { module: str(body.module), version: str(body.version), url: str(body.url), tarball: file?.buffer };
    try {
      const { module, pendingVersion } = await palette().install(spec);
      logger.audit({ event: 'nodes.install', ...(file ? { tarball: file.originalname } : { module: spec.module, version: spec.version, url: spec.url }) }, req as never);
      const view = moduleView(module);
      if (pendingVersion) view.pending_version = pendingVersion;
      res.json(view);
    } catch (err) {
      logger.audit({ event: 'nodes.install', module: spec.module, version: spec.version, url: spec.url, error: (err as { code?: unknown }).code ?? 'unexpected_error' }, req as never);
      sendError(res, err, logger);
    }
  });

  r.delete(/^\/nodes\/((?:@[^/]+\/)?[^/]+)$/, write, async (req: Request, res: Response) => {
    const module = req.params[0]!;
    try {
      await palette().uninstall(module);
      logger.audit({ event: 'nodes.remove', module }, req as never);
      res.status(204).end();
    } catch (err) {
      logger.audit({ event: 'nodes.remove', module, error: (err as { code?: unknown }).code ?? 'unexpected_error' }, req as never);
      sendError(res, err, logger);
    }
  });
  return r;
}
