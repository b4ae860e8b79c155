// Shared by the third-party package tests: both servers (Crimson, Node-RED 4.1.15) on a userDir whose
// node_modules links to the cached npm packages, and small ways to ask both the same thing.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { startBoth } from '../loader/servers.js';
import type { Server } from '../loader/servers.js';
import { linkPackages, packageCache } from './cache.js';

export type { Server };

/** Both servers on a userDir linking every package (and running `flows` when given). */
export async function startOnPackages(flows?: unknown[]): Promise<{ crimson: Server; nodeRed: Server; stop(): Promise<void> }> {
  const cache = await packageCache();
  const both = await startBoth(async (u) => {
    await linkPackages(u, cache);
    if (flows) await fs.writeFile(path.join(u, 'flows.json'), JSON.stringify(flows));
  }, { flowFile: 'flows.json' });
  return both;
}

/** The same request to both; resolves with both answers (status, content type, body text). */
export async function askBoth(c: Server, n: Server, p: string, init?: RequestInit) {
  const one = async (s: Server) => {
    const res = await fetch(s.url + p.replace(/^\//, ''), init);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  return Promise.all([one(c), one(n)]);
}

/** POSTs a JSON body to both. */
export const postBoth = (c: Server, n: Server, p: string, body: unknown) =>
  askBoth(c, n, p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The same JSON answer from both, key order included. */
export async function sameJson(c: Server, n: Server, p: string) {
  const [a, b] = await Promise.all([c.json(p), n.json(p)]);
  expect(a, `GET ${p}`).toEqual(b);
  expect(JSON.stringify(a.body), `GET ${p} (key order)`).toBe(JSON.stringify(b.body));
  return a.body;
}

/** Log lines after `from` that match. */
export const linesOf = (s: Server, re: RegExp, from = 0) => s.logs().slice(from).filter((l) => re.test(l));
