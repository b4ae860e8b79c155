// Test helper: the Crimson servers tests have started (start-crimson.ts, the auth fixture), by base URL, with
// the settings their OpenAPI document is made for. The fetch wrapper of test/setup/validate-admin-answers.ts
// validates only answers from these: Node-RED servers that tests run side by side are never registered.
import type { Settings } from '../../src/settings/types.js';

export interface CrimsonServer {
  /** Base URL of the admin root, ending in '/'. */
  base: string;
  settings: Settings;
  /** Only request paths (relative to the base, starting with '/') this matches are validated. */
  only?: RegExp;
}

const KEY = Symbol.for('crimson.test.servers');
const servers = ((globalThis as Record<symbol, unknown>)[KEY] ??= new Set<CrimsonServer>()) as Set<CrimsonServer>;

/** Registers a server; the returned function unregisters it (call it when the server stops, before its port is free). */
export function registerCrimson(server: CrimsonServer): () => void {
  servers.add(server);
  return () => { servers.delete(server); };
}

/** The registered server a URL is under, with the path relative to its admin root ('/flows'); undefined otherwise. */
export function crimsonServerFor(url: string): { server: CrimsonServer; path: string } | undefined {
  let u: URL;
  try { u = new URL(url); } catch { return undefined; }
  const bare = u.origin + u.pathname;
  for (const server of servers) {
    const root = server.base.slice(0, -1);
    if (bare !== root && !bare.startsWith(server.base)) continue;
    return { server, path: bare === root ? '/' : bare.slice(root.length) };
  }
  return undefined;
}
