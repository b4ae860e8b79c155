// editor-client's static files (express.static over its public folder), fronted by the list of what is
// there, read once: a request for anything else passes on without a file system call, and the front door
// (runtime/front-door.ts) knows the folder does not answer it. Paths it cannot judge at a glance (encoded
// or relative segments) are left to express.static.
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { express } from '../runtime/util/deps.js';
import type { SelectiveHandler } from '../runtime/front-door.js';

/** Every file and folder under `dir` as a URL path ('/red/red.min.js', '/red'). */
function listTree(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (abs: string, rel: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(abs, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const r = `${rel}/${e.name}`;
      out.add(r);
      if (e.isDirectory()) walk(path.join(abs, e.name), r);
    }
  };
  walk(dir, '');
  return out;
}

const UNCLEAR = /%|\/\.|\\|\/\//;

export function staticFiles(dir: string): SelectiveHandler {
  const serve = express.static(dir);
  let known: Set<string> | undefined;
  const mayHandle = (method: string, pathname: string): boolean => {
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (UNCLEAR.test(pathname)) return true;
    known ??= listTree(dir);
    const p = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    return known.has(p);
  };
  const handler = (req: Request, res: Response, next: NextFunction) => {
    if (!mayHandle(req.method, req.path)) { next(); return; }
    serve(req, res, next);
  };
  return Object.assign(handler, { mayHandle });
}
