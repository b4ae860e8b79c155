// The editor's routes under the admin root (Node-RED's editor app): the page, node icons, node modules'
// resources, the theme, editor-client's static files, the editor's message catalogues. None with disableEditor.
import type { NextFunction, Request, Response, Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from '../admin/deps.js';
import { NODE_RED_VERSION } from '../registry/red-api.js';
import { createTheme } from './theme.js';
import { createEditorPage } from './page.js';
import { createIcons, iconHandler } from './icons.js';
import { resourceHandler } from './resources.js';
import { createLocales } from './locales.js';
import { editorPublicDir } from './files.js';
import { staticFiles } from './static-files.js';

/** /admin -> /admin/ (the page's relative asset urls need the slash), query kept. */
function ensureSlash(req: Request, res: Response, next: NextFunction): void {
  const [pathname, ...query] = req.originalUrl.split('?');
  if (pathname!.endsWith('/')) return next();
  res.redirect(301, [pathname + '/', ...query].join('?'));
}

export function editorRouter(deps: AdminDeps): Router | undefined {
  if (deps.settings.disableEditor) return undefined;
  const r = express.Router();
  const theme = createTheme(deps.settings.editorTheme);
  let page: (() => string) | undefined;
  r.get('/', ensureSlash, (_req, res) => {
    page ??= createEditorPage(theme.context, NODE_RED_VERSION, deps.instanceId());
    res.type('html').send(page());
  });
  const icons = createIcons(deps);
  r.get('/icons', deps.needsPermission('nodes.read'), (req, res) => {
    deps.logger.audit({ event: 'nodes.icons.get' }, req as never);
    res.json(icons.list());
  });
  r.get('/icons/:module/:icon', iconHandler(icons));
  r.get('/icons/:scope/:module/:icon', iconHandler(icons));
  r.get(/^\/resources\/((?:@[^/]+\/)?[^/]+)\/(.+)$/, resourceHandler(deps));
  r.use('/theme', theme.router);
  r.use(staticFiles(editorPublicDir()));
  r.get(/^\/locales\/(.+)\/?$/, createLocales());
  return r;
}
