// The route table of `http in` nodes: one lookup per method (a Map for static paths, a compiled list for
// paths with params), matching exactly as an Express 4 route would (path-to-regexp 0.1.x, case-insensitive,
// optional trailing slash, first registered wins), and the small handler-chain runner that serves a hit.
import { createRequire } from 'node:module';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';

interface PathKey { name: string | number; optional: boolean }
type PathToRegexp = (path: string, keys: PathKey[], options: { sensitive?: boolean; strict?: boolean; end?: boolean }) => RegExp;
// the same compiler Express 4 uses for its routes (express depends on path-to-regexp 0.1.x)
const pathToRegexp = createRequire(import.meta.url)('path-to-regexp') as PathToRegexp;

export type RouteHandler = RequestHandler | ErrorRequestHandler;

export interface HttpRoute {
  readonly method: string;
  readonly path: string;
  /** Registration order: between routes matching the same request, the lowest wins (as in Express). */
  readonly seq: number;
  readonly handlers: RouteHandler[];
  /** What the request sees as `req.route`. */
  readonly info: { path: string; methods: Record<string, boolean> };
  /** Map key of a static path; undefined for a compiled one. */
  readonly staticKey?: string;
  readonly regexp?: RegExp;
  readonly keys?: PathKey[];
}

export interface RouteMatch { route: HttpRoute; params: Record<string, unknown> }

// characters path-to-regexp 0.1.x gives a meaning to ('.' is escaped, so it is literal)
const DYNAMIC = /[:*?+()[\]{}|^$\\]/;

/** `/a/b/` and `/a/b` match the same requests: the key drops one trailing slash, and is lower case. */
const staticKeyOf = (path: string): string => (path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();

class MethodTable {
  readonly statics = new Map<string, HttpRoute[]>();
  readonly dynamics: HttpRoute[] = [];
  size = 0;

  add(route: HttpRoute): void {
    if (route.staticKey !== undefined) {
      const list = this.statics.get(route.staticKey);
      if (list) list.push(route);
      else this.statics.set(route.staticKey, [route]);
    } else {
      this.dynamics.push(route);
    }
    this.size++;
  }

  remove(route: HttpRoute): boolean {
    const list = route.staticKey !== undefined ? this.statics.get(route.staticKey) : this.dynamics;
    const i = list ? list.indexOf(route) : -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0 && route.staticKey !== undefined) this.statics.delete(route.staticKey);
    this.size--;
    return true;
  }

  /** The first registered route matching `pathname` (raw, not decoded), or undefined. */
  match(pathname: string): RouteMatch | undefined {
    let best: HttpRoute | undefined;
    if (this.statics.size > 0) {
      const lower = pathname.toLowerCase();
      best = this.statics.get(lower)?.[0];
      if (lower.endsWith('/')) {
        const other = this.statics.get(lower.slice(0, -1))?.[0];
        if (other && (!best || other.seq < best.seq)) best = other;
      }
    }
    const dynamics = this.dynamics;
    for (let i = 0; i < dynamics.length; i++) {
      const route = dynamics[i]!;
      if (best && route.seq > best.seq) break;
      const m = route.regexp!.exec(pathname);
      if (m) return { route, params: paramsOf(route.keys!, m) };
    }
    return best ? { route: best, params: {} } : undefined;
  }
}

/** Express's decode_param: bad escapes become a 400 error. */
function decodeParam(value: string | undefined): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return value;
  try {
    return decodeURIComponent(value);
  } catch (err) {
    if (err instanceof URIError) {
      const e = new URIError(`Failed to decode param '${value}'`) as URIError & { status: number; statusCode: number };
      e.status = e.statusCode = 400;
      throw e;
    }
    throw err;
  }
}

function paramsOf(keys: PathKey[], m: RegExpExecArray): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (let i = 1; i < m.length; i++) {
    const name = String(keys[i - 1]!.name);
    const value = decodeParam(m[i]);
    if (value === undefined && Object.hasOwn(params, name)) continue;
    // names come from the flow's url; still, never let one set a prototype
    if (name === '__proto__') Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
    else params[name] = value;
  }
  return params;
}

/** Runs handlers like an Express route: next() goes on, next(err) skips to error handlers (arity 4). */
export function runHandlers(handlers: RouteHandler[], req: Request, res: Response, done: NextFunction): void {
  let i = 0;
  const next = (err?: unknown): void => {
    if (err === 'route' || err === 'router') { done(); return; }
    while (i < handlers.length) {
      const h = handlers[i++]!;
      const isErrorHandler = h.length === 4;
      if ((err !== undefined && err !== null) !== isErrorHandler) continue;
      try {
        if (isErrorHandler) (h as ErrorRequestHandler)(err, req, res, next);
        else (h as RequestHandler)(req, res, next);
        return;
      } catch (e) {
        err = e;
      }
    }
    done(err as Error | undefined);
  };
  next();
}

export class RouteTable {
  private readonly tables = new Map<string, MethodTable>();
  private seq = 0;

  get size(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.size;
    return n;
  }

  add(method: string, path: string, handlers: RouteHandler[]): HttpRoute {
    if (typeof path !== 'string') throw new TypeError('route path must be a string');
    const m = method.toUpperCase();
    const isStatic = !DYNAMIC.test(path);
    let regexp: RegExp | undefined;
    let keys: PathKey[] | undefined;
    if (!isStatic) {
      keys = [];
      regexp = pathToRegexp(path, keys, { sensitive: false, strict: false, end: true });
    }
    const route: HttpRoute = {
      method: m, path, seq: this.seq++, handlers,
      info: { path, methods: { [m.toLowerCase()]: true } },
      staticKey: isStatic ? staticKeyOf(path) : undefined, regexp, keys,
    };
    let table = this.tables.get(m);
    if (!table) this.tables.set(m, (table = new MethodTable()));
    table.add(route);
    return route;
  }

  remove(route: HttpRoute): boolean {
    return this.tables.get(route.method)?.remove(route) ?? false;
  }

  /** The route serving this request; HEAD is served by GET routes as in Express. */
  match(method: string, pathname: string): RouteMatch | undefined {
    const direct = this.tables.get(method)?.match(pathname);
    if (method !== 'HEAD') return direct;
    const viaGet = this.tables.get('GET')?.match(pathname);
    if (!direct) return viaGet;
    return viaGet && viaGet.route.seq < direct.route.seq ? viaGet : direct;
  }

  /** Methods of every route matching `pathname`, in registration order (Express's automatic OPTIONS answer). */
  allowedMethods(pathname: string): string[] {
    const hits: HttpRoute[] = [];
    for (const table of this.tables.values()) {
      const hit = table.match(pathname);
      if (hit) hits.push(hit.route);
    }
    hits.sort((a, b) => a.seq - b.seq);
    const out: string[] = [];
    for (const r of hits) {
      for (const m of r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]) if (!out.includes(m)) out.push(m);
    }
    return out;
  }
}
