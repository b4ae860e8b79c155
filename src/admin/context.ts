// GET/DELETE /context/global[/<key>], /context/flow/:id[/<key>], /context/node/:id[/<key>] (COMPAT A5):
// values encoded as for the debug sidebar, per store or one store (`store=`), `keysOnly` listings.
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { Request, Response } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';
import { encodeObject } from '../runtime/util/encode.js';
import type { ContextHandle } from '../runtime/context.js';
import type { NodeConfig } from '../runtime/types.js';

type Scope = 'global' | 'flow' | 'node';
type Dict = Record<string, unknown>;
const dict = (): Dict => Object.create(null) as Dict;

interface ContextRequest { scope: Scope; id?: string; key?: string; store?: string }

const getAsync = (ctx: ContextHandle, key: string, store: string) =>
  new Promise<{ err?: Error | null; value?: unknown }>((resolve) => {
    ctx.get(key, store, (err, value) => resolve({ err, value }));
  });
const keysAsync = (ctx: ContextHandle, store: string) =>
  new Promise<string[]>((resolve, reject) => {
    ctx.keys(store, (err, keys) => (err ? reject(apiError('unexpected_error')) : resolve((keys as string[]) ?? [])));
  });

/** The handle of a scope; undefined for a node that is not running (Node-RED then answers {}). */
function contextOf(deps: AdminDeps, scope: Scope, id: string | undefined): ContextHandle | undefined {
  const { contexts } = deps;
  if (scope === 'global') return contexts.global;
  if (scope === 'flow') return contexts.flow(id!);
  if (!deps.flows.started) return undefined;
  const config = deps.flows.getFlows().flows as NodeConfig[];
  const node = config.find((n) => n.id === id);
  if (!node) {
    // a node inside a subflow instance (`<instance>-<node>`) is not in the config: ask the runtime
    const running = id !== undefined ? deps.flows.runningNode(id) : undefined;
    return running && running._alias !== undefined ? running.context() : undefined;
  }
  if (node.type === 'tab' || node.type === 'subflow' || node.type === 'group' || node.d) return undefined;
  if (node.z !== undefined) {
    const tab = config.find((n) => n.id === node.z);
    if (!tab || tab.type !== 'tab' || tab.disabled) return undefined;
  }
  const flowCtx = node.z !== undefined ? contexts.flow(node.z) : undefined;
  // a subflow instance's node context is the context of the flow the instance runs
  if (/^subflow:/.test(node.type)) return contexts.flow(node.id, flowCtx);
  return contexts.node(node.id, node.z, flowCtx);
}

/** `?keysOnly` on one key: the keys of the object it holds, with a format for nested arrays/objects. */
function describeKeys(v: unknown): Dict {
  if (Array.isArray(v)) return { format: `array[${v.length}]` };
  if (typeof v !== 'object') return { keys: [] };
  const keys = Object.keys(v as object).map((k) => {
    const child = (v as Dict)[k];
    if (Array.isArray(child)) return { key: k, format: `array[${child.length}]`, length: child.length };
    if (typeof child === 'object') return { key: k, format: 'object' };
    return { key: k };
  });
  return { keys, format: 'object' };
}

async function readValue(deps: AdminDeps, req: ContextRequest, keysOnly: boolean): Promise<unknown> {
  const { contexts, settings } = deps;
  const names = contexts.storeNames();
  const defaultStore = contexts.defaultStore();
  if (req.store !== undefined && !names.includes(req.store)) throw apiError('not_found');
  const ctx = contextOf(deps, req.scope, req.id);
  if (!ctx) return {};
  if (req.key) {
    const store = req.store ?? defaultStore;
    const { value } = await getAsync(ctx, req.key, store);
    if (keysOnly) {
      const out = dict();
      out[store] = describeKeys(value);
      return out;
    }
    const encoded = encodeObject({ msg: value }, { maxLength: 1000 });
    if (store !== defaultStore) encoded.store = store;
    return encoded;
  }
  const seed = settings.functionGlobalContext;
  const hidesSeed = (store: string, key: string, v: unknown) => req.scope === 'global' && store !== defaultStore &&
    seed !== undefined && seed !== null && Object.prototype.hasOwnProperty.call(seed, key) && seed[key] === v;
  const result = dict();
  for (const store of req.store !== undefined ? [req.store] : names) {
    const keys = await keysAsync(ctx, store);
    if (keysOnly) { result[store] = { keys: keys.map((key) => ({ key })) }; continue; }
    const values = dict();
    for (const key of keys) {
      const { err, value } = await getAsync(ctx, key, store);
      if (err) throw apiError('unexpected_error');
      if (!hidesSeed(store, key, value)) values[key] = encodeObject({ msg: value }, { maxLength: 1000 });
    }
    result[store] = values;
  }
  return result;
}

function parseRequest(req: Request): ContextRequest {
  const store = req.query.store;
  return {
    scope: req.params.scope as Scope,
    id: req.params.id,
    key: (req.params as Record<string, string | undefined>)[0],
    // a repeated or empty `store` is no store name: an array never matches one, '' means none given
    store: Array.isArray(store) || (store !== undefined && typeof store !== 'string') ? '\0' : (store || undefined),
  };
}

export function contextRouter(deps: AdminDeps): Router {
  const r = express.Router();
  const { logger } = deps;
  const read = deps.needsPermission('context.read');
  const write = deps.needsPermission('context.write');

  const get = async (req: Request, res: Response) => {
    const opts = parseRequest(req);
    try {
      const result = await readValue(deps, opts, req.query.keysOnly !== undefined);
      logger.audit({ event: 'context.get', ...opts }, req as never);
      res.json(result);
    } catch (err) {
      logger.audit({ event: 'context.get', ...opts, error: (err as { code?: string }).code ?? 'unexpected_error' }, req as never);
      sendError(res, err, logger);
    }
  };
  const remove = async (req: Request, res: Response) => {
    const opts = parseRequest(req);
    try {
      if (opts.store !== undefined && !deps.contexts.storeNames().includes(opts.store)) throw apiError('not_found');
      const ctx = contextOf(deps, opts.scope, opts.id);
      if (ctx) {
        if (!opts.key) throw apiError('not_found');
        const store = opts.store ?? deps.contexts.defaultStore();
        await new Promise<void>((resolve) => ctx.set(opts.key!, undefined, store, () => resolve()));
      }
      logger.audit({ event: 'context.delete', ...opts }, req as never);
      res.status(204).end();
    } catch (err) {
      logger.audit({ event: 'context.delete', ...opts, error: (err as { code?: string }).code ?? 'unexpected_error' }, req as never);
      sendError(res, err, logger);
    }
  };

  r.get('/context/:scope(global)', read, get);
  r.get('/context/:scope(global)/*', read, get);
  r.get('/context/:scope(node|flow)/:id', read, get);
  r.get('/context/:scope(node|flow)/:id/*', read, get);
  r.delete('/context/:scope(global)/*', write, remove);
  r.delete('/context/:scope(node|flow)/:id/*', write, remove);
  return r;
}
