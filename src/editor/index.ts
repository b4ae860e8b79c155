// The editor's routes under the admin root (Node-RED's editor app): the page, node icons, the theme,
// editor-client's static files, the editor's message catalogues. None with settings.disableEditor.
import type { NextFunction, Request, Response, Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from '../admin/deps.js';
import { NODE_RED_VERSION } from '../registry/red-api.js';
import { createTheme } from './theme.js';
import { createEditorPage } from './page.js';
import { listIcons, sendIcon } from './icons.js';
import { createLocales } from './locales.js';
import { editorPublicDir } from './files.js';

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
  r.get('/icons', deps.needsPermission('nodes.read'), (_req, res) => { res.json(listIcons()); });
  r.get('/icons/:module/:icon', sendIcon);
  r.get('/icons/:scope/:module/:icon', sendIcon);
  // resources of node modules (none today): Node-RED answers an empty 404
  r.get(/^\/resources\/((?:@[^/]+\/)?[^/]+)\/(.+)$/, (_req, res) => { res.status(404).end(); });
  r.use('/theme', theme.router);
  r.use(express.static(editorPublicDir()));
  r.get(/^\/locales\/(.+)\/?$/, createLocales());
  return r;
}
