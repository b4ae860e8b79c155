// GET <admin>/resources/<module>/<path>: a file of a node package's resources/ folder (editor-side scripts and
// styles a node's HTML loads), as Node-RED serves it; anything else (no such module, folder or file, a path
// leaving the folder, a folder) answers an empty 404.
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from '../admin/deps.js';
import { stripPaths } from '../errors.js';

export function resourceHandler(deps: Pick<AdminDeps, 'registry'>) {
  /** The file, or undefined when Node-RED would answer 404. */
  const locate = (module: string, resource: string): string | undefined => {
    const m = deps.registry.module(module);
    if (!m?.path) return undefined;
    const base = path.join(m.path, 'resources');
    const file = path.join(base, resource);
    if (path.relative(base, file).startsWith('..')) return undefined;
    return fs.existsSync(file) ? file : undefined;
  };
  return async (req: Request, res: Response): Promise<void> => {
    const params = req.params as Record<string, string>;
    const resource = params[1]!;
    const file = locate(params[0]!, resource);
    if (!file) {
      res.status(404).end();
      return;
    }
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EISDIR') {
        res.status(404).end();
        return;
      }
      res.status(400).json({ code: e.code || 'unexpected_error', message: stripPaths(e.message || 'Error') });
      return;
    }
    res.set('Content-Type', express.static.mime.lookup(resource));
    res.send(data);
  };
}
