// The debug sidebar's pop-out window and helper script, served from @node-red/nodes as Node-RED's debug
// node serves them: GET /debug/view/view.html and GET /debug/view/<file> (no auth: the editor loads
// debug-utils.js with a <script> tag, which carries no token). Anything not found answers 404.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { RED } from '../../registry/red-types.js';
import { corePackageDir } from '../../registry/core-definitions.js';

const viewDir = () => path.join(corePackageDir(), 'core', 'common', 'lib', 'debug');

export function registerDebugView(RED: RED): void {
  const app = RED.httpAdmin;
  if (!app) return;
  let page: string | undefined;
  app.get('/debug/view/view.html', async (_req: Request, res: Response) => {
    try {
      page ??= (await fs.readFile(path.join(viewDir(), 'view.html'), 'utf8')).replace('<!-- INSERT-THEME-CSS -->', '');
      res.set('Content-Type', 'text/html').send(page);
    } catch {
      res.sendStatus(404);
    }
  });
  app.get('/debug/view/*', (req: Request, res: Response) => {
    const file = (req.params as Record<string, string>)[0] ?? '';
    try {
      res.sendFile(file, { root: viewDir(), dotfiles: 'deny' }, (err) => { if (err && !res.headersSent) res.sendStatus(404); });
    } catch {
      res.sendStatus(404); // an empty path
    }
  });
}
