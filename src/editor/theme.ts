// The editor page's theme (Node-RED's theme context): title, favicon, tab icon, header, login, page css
// and scripts, the red/main/monaco assets, from settings.editorTheme. Files a theme names are served
// under <admin>/theme/<kind>/<file name>; GET <admin>/theme answers the context as JSON.
import path from 'node:path';
import fs from 'node:fs';
import type { Request, Response, Router } from 'express';
import { express } from '../runtime/util/deps.js';

type Obj = Record<string, any>;

export interface ThemeContext {
  page: { title: string; favicon: string; tabicon: { icon: string; colour: string }; css?: string[]; scripts?: string[] };
  header: { title: string; image: string | null; url?: unknown };
  asset: { red: string; main: string; vendorMonaco: string };
  login?: Obj;
  themes?: string[];
}

export interface Theme {
  context: ThemeContext;
  /** Serves the theme's files and GET / (the context). */
  router: Router;
}

/** The url (relative to the admin root) a theme file is served at, `theme<base><file name>`; null when no such file. */
export function themeFileUrl(base: string, file: unknown): string | null {
  if (typeof file !== 'string' || file === '') return null;
  try {
    if (!fs.statSync(file).isFile()) return null;
  } catch {
    return null;
  }
  return 'theme' + base + path.basename(file);
}

export function createTheme(editorTheme: Obj | undefined): Theme {
  const theme: Obj = editorTheme && typeof editorTheme === 'object' ? editorTheme : {};
  const router = express.Router();
  const context: ThemeContext = {
    page: { title: 'Node-RED', favicon: 'favicon.ico', tabicon: { icon: 'red/images/node-red-icon-black.svg', colour: '#8f0000' } },
    header: { title: 'Node-RED', image: 'red/images/node-red.svg' },
    asset: {
      red: process.env.NODE_ENV === 'development' ? 'red/red.js' : 'red/red.min.js',
      main: process.env.NODE_ENV === 'development' ? 'red/main.js' : 'red/main.min.js',
      vendorMonaco: theme.codeEditor?.lib === 'ace' ? '' : 'vendor/monaco/monaco-bootstrap.js',
    },
  };

  /** Serves an existing file at <base><file name>; its url relative to the admin root, or null. */
  const serve = (base: string, file: unknown): string | null => {
    const url = themeFileUrl(base, file);
    if (url === null) return null;
    const absolute = path.resolve(file as string);
    router.get(url.slice('theme'.length), (_req: Request, res: Response) => res.sendFile(absolute));
    return url;
  };
  const serveAll = (value: unknown, base: string): string[] => {
    const list = value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value];
    return list.map((f) => serve(base, f)).filter((u): u is string => u !== null);
  };

  const page = theme.page;
  if (page && typeof page === 'object') {
    context.page.css = serveAll(page.css, '/css/');
    context.page.scripts = serveAll(page.scripts, '/scripts/');
    const favicon = serve('/favicon/', page.favicon);
    if (favicon) context.page.favicon = favicon;
    if (page.tabicon) {
      const icon = serve('/tabicon/', page.tabicon.icon || page.tabicon);
      if (icon) context.page.tabicon.icon = icon;
      if (page.tabicon.colour) context.page.tabicon.colour = page.tabicon.colour;
    }
    context.page.title = page.title || context.page.title;
  }
  const header = theme.header;
  if (header && typeof header === 'object') {
    context.header.title = header.title || context.header.title;
    if (Object.hasOwn(header, 'url')) context.header.url = header.url;
    if (Object.hasOwn(header, 'image')) {
      if (header.image) {
        const image = serve('/header/', header.image);
        if (image) context.header.image = image;
      } else {
        context.header.image = null;
      }
    }
  }
  if (theme.deployButton?.type == 'simple') serve('/deploy/', theme.deployButton.icon);
  const login = theme.login;
  if (login && typeof login === 'object') {
    const out: Obj = {};
    const image = login.image ? serve('/login/', login.image) : null;
    if (image) out.image = image;
    if (login.message) out.message = login.message;
    if (login.button) out.button = login.button;
    if (Object.keys(out).length > 0) context.login = out;
  }
  router.get('/', (_req: Request, res: Response) => { res.json({ ...context, themes: [] }); });
  return { context, router };
}
