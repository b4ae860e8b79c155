// Six node packages from the npm registry (see cache.ts), linked into a userDir's node_modules and listed in
// its package.json, loaded by Crimson and by Node-RED 4.1.15: the same sets in GET /nodes and per module
// (symlinked packages are accepted by both: local, user, the link's path), the same editor HTML for them,
// message catalogues, icons, and the admin routes a package adds (node-red-contrib-moment's).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askBoth, sameJson, startOnPackages } from './helpers.js';
import type { Server } from './helpers.js';
import { PACKAGES } from './cache.js';

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startOnPackages());
}, 420000);
afterAll(async () => { await stopAll?.(); });

const SETS: Record<string, Record<string, string[]>> = {
  'node-red-node-random': { random: ['random'] },
  'node-red-contrib-moment': { moment: ['moment'], humanizer: ['humanizer'] },
  'node-red-node-base64': { base64: ['base64'] },
  'node-red-node-smooth': { smooth: ['smooth'] },
  'node-red-contrib-cron-plus': { cronplus: ['cronplus'] },
  'node-red-node-data-generator': { 'data-generator': ['data-generator'] },
};

describe.each(Object.keys(PACKAGES))('%s', (name) => {
  it('loads, with the same module and set answers as Node-RED', async () => {
    const mod = await sameJson(crimson, nodeRed, `nodes/${name}`);
    expect(mod).toMatchObject({ name, version: PACKAGES[name], local: true, user: true, path: `<userDir>/node_modules/${name}` });
    expect(Object.fromEntries(mod.nodes.map((s: any) => [s.name, s.types]))).toEqual(SETS[name]);
    for (const s of mod.nodes) {
      expect(s.err, s.id).toBeUndefined();
      expect(s.enabled).toBe(true);
      await sameJson(crimson, nodeRed, `nodes/${s.id}`);
      const [a, b] = await askBoth(crimson, nodeRed, `nodes/${s.id}`, { headers: { accept: 'text/html' } });
      expect(a).toEqual(b);
      await sameJson(crimson, nodeRed, `nodes/${s.id}/messages?lng=en-US`);
      await sameJson(crimson, nodeRed, `locales/${s.id}?lng=en-US`);
    }
  });

  it('is in GET /nodes and in the editor HTML as Node-RED has it', async () => {
    const [a, b] = await Promise.all([crimson.json('nodes'), nodeRed.json('nodes')]);
    const mine = (list: any[]) => list.filter((s) => s.module === name);
    expect(mine(a.body).length).toBeGreaterThan(0);
    expect(mine(a.body)).toEqual(mine(b.body));
    const section = (html: string, id: string) => {
      const start = html.indexOf(`<!-- --- [red-module:${id}] --- -->`);
      const next = html.indexOf('<!-- --- [red-module:', start + 10);
      return start < 0 ? undefined : html.slice(start, next < 0 ? undefined : next);
    };
    for (const lang of ['en-US', 'de', 'ja']) {
      const [ha, hb] = await askBoth(crimson, nodeRed, 'nodes', { headers: { accept: 'text/html', 'accept-language': lang } });
      for (const s of mine(a.body)) {
        expect(section(ha.body, s.id), `${s.id} ${lang}`).toBeDefined();
        expect(section(ha.body, s.id), `${s.id} ${lang}`).toBe(section(hb.body, s.id));
      }
    }
  });
});

describe('the packages together', () => {
  it('the same GET /nodes list, message catalogues and icons', async () => {
    await sameJson(crimson, nodeRed, 'nodes');
    for (const lng of ['en-US', 'de', 'ja']) await sameJson(crimson, nodeRed, `nodes/messages?lng=${lng}`);
    const icons = await sameJson(crimson, nodeRed, 'icons');
    expect(icons['node-red-node-base64']).toEqual(['parser-base64.png']);
    const [a, b] = await askBoth(crimson, nodeRed, 'icons/node-red-node-base64/parser-base64.png');
    expect(a).toEqual(b);
    expect(a.status).toBe(200);
  });

  it('the modules\' example flows', async () => {
    const [a, b] = await Promise.all([crimson.json('library/examples/flows/'), nodeRed.json('library/examples/flows/')]);
    expect([...a.body].sort()).toEqual([...b.body].sort());
    for (const m of a.body.filter((x: string) => x !== 'node-red')) await sameJson(crimson, nodeRed, `library/examples/flows/${m}`);
  });

  it('the admin routes a package adds (RED.httpAdmin with RED.auth.needsPermission)', async () => {
    const [a, b] = await askBoth(crimson, nodeRed, 'contribapi/moment');
    expect(a).toEqual(b);
    expect(JSON.parse(a.body)).toEqual({ tz: expect.any(String), locale: expect.any(String) });
    const [za, zb] = await askBoth(crimson, nodeRed, 'contribapi/momentzones');
    expect(za).toEqual(zb);
    expect(JSON.parse(za.body)).toContain('Europe/London');
  });

  it('packages find RED.settings.userDir (cron-plus keeps its schedules in <userDir>/cronplusdata)', async () => {
    for (const s of [crimson, nodeRed]) expect(fs.existsSync(`${s.userDir}/cronplusdata`), s.kind).toBe(true);
  });

  it('the start-up log says the same of them, with no load errors', () => {
    const about = (s: Server) => s.logs().filter((l) => Object.keys(PACKAGES).some((p) => l.includes(p)) || /^\[warn\] -----/.test(l));
    expect(about(crimson)).toEqual(about(nodeRed));
    expect(about(crimson).some((l) => l.startsWith('[warn]'))).toBe(false);
  });
});
