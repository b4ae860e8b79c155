// GET /library/:library/:type[/<path>] and POST /library/:library/:type/<path> (permissions library.read /
// library.write), as Node-RED 4.1's editor API: libraries `local` (<userDir>/lib) and `examples` (read-only);
// types are `flows` plus those node modules register with RED.library.register (e.g. `functions`).
import path from 'node:path';
import type { Request, Response, Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError, CodedError } from '../errors.js';
import { createLocalLibrary } from '../storage/library.js';
import { getExampleEntry } from '../storage/library-examples.js';
import type { ExampleRoots } from '../storage/library-examples.js';
import { corePackageDir } from '../registry/core-definitions.js';

const GET_ROUTE = /^\/library\/([^/]+)\/([^/]+)(?:$|\/(.*))/;
const POST_ROUTE = /^\/library\/([^/]+)\/([^/]+)\/(.*)/;

interface EntryRequest { library: string; type: string; path: string }

const entryOf = (req: Request): EntryRequest => {
  const p = req.params as unknown as Record<string, string | undefined>;
  return { library: p[0] ?? '', type: p[1] ?? '', path: p[2] ?? '' };
};

/** The examples folders to offer: the core nodes' first, then any module that has one. */
function exampleRoots(deps: AdminDeps): ExampleRoots {
  const roots: ExampleRoots = [];
  try {
    roots.push({ module: 'node-red', dir: path.join(corePackageDir(), 'examples') });
  } catch {
    // @node-red/nodes not installed: no core examples
  }
  for (const m of deps.registry.modules()) if (m.path && m.name !== 'node-red') roots.push({ module: m.name, dir: path.resolve(m.path, 'examples') });
  return roots;
}

export function libraryRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { logger } = deps;
  // a cluster's library is in Redis; one process's in <userDir>/lib
  const local = deps.library ?? createLocalLibrary({ userDir: deps.userDir, pretty: deps.settings.flowFilePretty === true, readOnly: deps.settings.readOnly === true });

  /** Node-RED checks the type before the library; both failures answer 400 with the reason. */
  function checkTarget(e: EntryRequest, writing: boolean): void {
    if (!deps.libraryTypes.has(e.type)) throw apiError('unexpected_error', `Unknown library type: ${e.type}`);
    if (e.library !== 'local' && e.library !== 'examples') throw apiError('unexpected_error', `Unknown library: ${e.library}`);
    if (writing && e.library === 'examples') throw apiError('unexpected_error', `Library ${e.library} is read-only`);
  }

  r.get(GET_ROUTE, deps.needsPermission('library.read'), async (req: Request, res: Response) => {
    const e = entryOf(req);
    try {
      checkTarget(e, false);
    } catch (err) { return sendError(res, err, logger); }
    try {
      const result = e.library === 'local' ? await local.getEntry(e.type, e.path) : await getExampleEntry(exampleRoots(deps), e.path);
      logger.audit({ event: 'library.get', library: e.library, type: e.type, path: e.path }, req as never);
      if (typeof result === 'string') {
        res.writeHead(200, { 'Content-Type': e.type === 'flows' ? 'application/json' : 'text/plain' });
        res.end(result);
      } else {
        res.json(result);
      }
    } catch (err) {
      logger.warn(`Error loading library entry '${e.path}': ${err instanceof Error ? err.message : String(err)}`);
      logger.audit({ event: 'library.get', library: e.library, type: e.type, path: e.path, error: (err as { code?: string }).code ?? 'unexpected_error' }, req as never);
      sendError(res, err, logger);
    }
  });

  r.post(POST_ROUTE, deps.needsPermission('library.write'), async (req: Request, res: Response) => {
    const e = entryOf(req);
    try {
      checkTarget(e, true);
    } catch (err) { return sendError(res, err, logger); }
    try {
      let meta: Record<string, unknown> = {};
      let body: string;
      if (e.type === 'flows') {
        body = JSON.stringify(req.body ?? {});
      } else {
        // every other type posts {…meta, text}: the text is the body, the rest is written as header lines
        meta = { ...((req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>) };
        const text = meta.text;
        delete meta.text;
        body = text === undefined ? '' : String(text);
      }
      await local.saveEntry(e.type, e.path, meta, body);
      logger.audit({ event: 'library.set', type: e.type, path: e.path }, req as never);
      res.status(204).end();
    } catch (err) {
      logger.warn(`Error saving library entry '${e.path}': ${err instanceof Error ? err.message : String(err)}`);
      const forbidden = err instanceof CodedError && err.code === 'forbidden';
      logger.audit({ event: 'library.set', type: e.type, path: e.path, error: forbidden ? 'forbidden' : 'unexpected_error' }, req as never);
      // Node-RED answers every failed save but a forbidden path with a bare 400
      sendError(res, forbidden ? err : apiError('unexpected_error'), logger);
    }
  });
  return r;
}
