// The palette Crimson loads from a userDir, compared with what Node-RED 4.1.15 loads from an identical one
// (COMPAT A3, C1, C2): <userDir>/node_modules packages (local / user), a scoped package, loose files in
// <userDir>/nodes, a "node-red".version mismatch, modules that throw when required or when called, async
// modules (resolving, rejecting), an ES module package and an .mjs entry, a set naming a type another set has.
// Both servers run on copies of the same fixture; each answer is asked of both and must be equal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoth } from './servers.js';
import type { Server } from './servers.js';
import { buildPaletteUserDir } from './fixtures.js';

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startBoth(buildPaletteUserDir, { flowFile: 'flows.json' }));
}, 90000);
afterAll(async () => { await stopAll?.(); });

const fixtureSet = (n: { module: string; id: string }) => n.module !== 'node-red' || /^node-red\/(loose|inner|cjsfile)$/.test(n.id);

/** Asks both the same JSON question; the answers must be the same text (key order included). */
async function bothJson(p: string) {
  const [a, b] = await Promise.all([crimson.json(p), nodeRed.json(p)]);
  expect(a, `GET ${p}`).toEqual(b);
  expect(JSON.stringify(a.body), `GET ${p} (key order)`).toBe(JSON.stringify(b.body));
  return a;
}
async function bothText(p: string, headers?: Record<string, string>) {
  const [a, b] = await Promise.all([crimson.text(p, headers), nodeRed.text(p, headers)]);
  expect({ status: a.status, type: a.type, body: a.body }, `GET ${p}`).toEqual({ status: b.status, type: b.type, body: b.body });
  return a;
}

describe('GET /nodes', () => {
  it('lists the same sets, in the same order, with the same fields', async () => {
    const { status, body } = await bothJson('nodes');
    expect(status).toBe(200);
    const mine = (body as any[]).filter(fixtureSet);
    const byId = Object.fromEntries(mine.map((n) => [n.id, n]));
    // loose files: module node-red, NN- prefix dropped, .cjs too; no .html (nohtml.js) or lib/ folder: not loaded
    expect(byId['node-red/loose']).toEqual({ id: 'node-red/loose', name: 'loose', types: ['loose-node'], enabled: true, local: false, user: false, module: 'node-red', version: '4.1.15' });
    expect(byId['node-red/inner']?.types).toEqual(['inner-node']);
    expect(byId['node-red/cjsfile']?.types).toEqual(['cjs-node']);
    expect(mine.map((n) => n.id)).not.toContain('node-red/nohtml');
    expect(mine.map((n) => n.id)).not.toContain('node-red/ignored');
    // packages: local, and `user` is false on every set (the module says whether the user installed it)
    expect(byId['node-red-contrib-alpha/alpha']).toMatchObject({ local: true, user: false, version: '1.0.0', types: ['alpha'] });
    expect(byId['@crimson-test/node-red-scoped/scoped']).toMatchObject({ module: '@crimson-test/node-red-scoped', types: ['scoped-node'] });
    // not node packages, or needing a later Node-RED: absent
    for (const m of ['plain-lib', 'no-package-json', 'node-red-contrib-oldver']) expect(mine.some((n) => n.module === m)).toBe(false);
    expect(byId['node-red-contrib-newver/newer']).toBeDefined();
  });

  it('keeps a failed set with its err as Node-RED keeps it', async () => {
    const byId = Object.fromEntries(((await bothJson('nodes')).body as any[]).map((n) => [n.id, n]));
    // thrown while required / while called: the error text and its line in the file
    expect(byId['node-red-contrib-throws/toplevel'].err).toBe('Error: broken at require 1 (line:3)');
    expect(byId['node-red-contrib-throws/inbody'].err).toBe('ReferenceError: notDefinedAnywhere is not defined (line:3)');
    // a rejected Promise: the Error object itself, which JSON shows as {}
    expect(byId['node-red-contrib-async/rejects'].err).toEqual({});
    expect(byId['node-red-contrib-async/later'].err).toBeUndefined();
    // a type another set has: the whole set fails, its types still listed
    expect(byId['node-red-contrib-dup/dup']).toMatchObject({
      types: ['dup-own', 'loose-node'],
      err: { code: 'type_already_registered', details: { type: 'loose-node', moduleA: 'node-red', moduleB: 'node-red-contrib-dup' } },
    });
    // ES modules load: a "type":"module" package's default export, an .mjs entry
    expect(byId['node-red-contrib-esm/esm']).toMatchObject({ types: ['esm-node'] });
    expect(byId['node-red-contrib-esm/esm'].err).toBeUndefined();
    expect(byId['node-red-contrib-mjs/mjs']).toMatchObject({ types: ['mjs-node'] });
    expect(byId['node-red-contrib-mjs/mjs'].err).toBeUndefined();
  });

  it('answers each module and set as Node-RED does', async () => {
    for (const m of ['node-red-contrib-alpha', '@crimson-test/node-red-scoped', 'node-red-contrib-dep', 'node-red-contrib-throws', 'node-red-contrib-async', 'node-red-contrib-dup', 'node-red-contrib-mjs', 'node-red']) {
      const { status, body } = await bothJson(`nodes/${m}`);
      expect(status).toBe(200);
      if (m !== 'node-red') expect(body).toMatchObject({ name: m, local: true, path: `<userDir>/node_modules/${m}` });
    }
    // user: listed in <userDir>/package.json
    expect((await crimson.json('nodes/node-red-contrib-alpha')).body.user).toBe(true);
    expect((await crimson.json('nodes/@crimson-test/node-red-scoped')).body.user).toBe(true);
    expect((await crimson.json('nodes/node-red-contrib-dep')).body.user).toBe(false);
    for (const p of ['nodes/node-red-contrib-oldver', 'nodes/plain-lib', 'nodes/node-red-contrib-alpha/nope']) expect((await bothJson(p)).status).toBe(404);
    for (const id of ['node-red-contrib-alpha/alpha', '@crimson-test/node-red-scoped/scoped', 'node-red/loose', 'node-red-contrib-throws/inbody', 'node-red-contrib-dup/dup']) {
      await bothJson(`nodes/${id}`);
      await bothText(`nodes/${id}`, { accept: 'text/html' });
      await bothText(`nodes/${id}`, { accept: 'text/html', 'accept-language': 'de' });
    }
  });

  it('serves the same editor HTML: every enabled, error-free set, help in the asked language', async () => {
    const en = await bothText('nodes', { accept: 'text/html' });
    for (const id of ['node-red/loose', 'node-red/inner', 'node-red/cjsfile', '@crimson-test/node-red-scoped/scoped', 'node-red-contrib-alpha/alpha', 'node-red-contrib-async/later', 'node-red-contrib-esm/esm', 'node-red-contrib-mjs/mjs']) {
      expect(en.body).toContain(`<!-- --- [red-module:${id}] --- -->`);
    }
    for (const id of ['node-red-contrib-throws/toplevel', 'node-red-contrib-async/rejects', 'node-red-contrib-dup/dup']) expect(en.body).not.toContain(`[red-module:${id}]`);
    expect(en.body).toContain('Inline help of alpha.');
    const de = await bothText('nodes', { accept: 'text/html', 'accept-language': 'de-DE,de;q=0.9' });
    expect(de.body).toContain('Hilfe zu alpha.');
  });
});

describe('catalogues, icons, resources, examples', () => {
  it('serves the sets\' message catalogues', async () => {
    for (const lng of ['en-US', 'de', 'de-AT', 'fr']) {
      const { body } = await bothJson(`nodes/messages?lng=${lng}`);
      expect(Object.keys(body)).toContain('node-red-contrib-alpha/alpha');
    }
    expect((await bothJson('nodes/messages?lng=de')).body['node-red-contrib-alpha/alpha'].alpha.label.greeting).toBe('Hallo __who__!');
    for (const p of ['nodes/node-red-contrib-alpha/alpha/messages?lng=en-US', 'nodes/node-red-contrib-alpha/alpha/messages?lng=de',
      'nodes/node-red-contrib-dep/dep/messages?lng=en-US', 'nodes/node-red/loose/messages?lng=en-US']) await bothJson(p);
    for (const lng of ['en-US', 'de', 'de-CH', 'fr', 'xx']) await bothJson(`locales/node-red-contrib-alpha/alpha?lng=${lng}`);
    await bothJson('locales/node-red-contrib-dep/dep?lng=en-US');
  });

  it('lists and serves the same icons', async () => {
    const { body } = await bothJson('icons');
    expect(body['node-red-contrib-alpha']).toEqual(['alpha.svg', 'other.png']);
    // <userDir>/lib/icons and the loose files' icons/ folders belong to node-red
    expect(body['node-red']).toEqual(expect.arrayContaining(['user-icon.png', 'inner.svg']));
    for (const p of ['icons/node-red-contrib-alpha/alpha.svg', 'icons/node-red-contrib-alpha/other.png', 'icons/@crimson-test/node-red-scoped/scoped.svg',
      'icons/node-red/inner.svg', 'icons/node-red/user-icon.png', 'icons/node-red-contrib-alpha/inject.svg', 'icons/node-red-contrib-alpha/none.svg', 'icons/no-such-module/none.png']) {
      const [a, b] = await Promise.all([crimson.get(p), nodeRed.get(p)]);
      expect({ status: a.status, type: a.headers.get('content-type'), body: Buffer.from(await a.arrayBuffer()).toString('base64') }, p)
        .toEqual({ status: b.status, type: b.headers.get('content-type'), body: Buffer.from(await b.arrayBuffer()).toString('base64') });
    }
  });

  it('serves the modules\' resources/ folders', async () => {
    for (const p of ['resources/node-red-contrib-alpha/alpha-lib.js', 'resources/node-red-contrib-alpha/sub/data.txt', 'resources/@crimson-test/node-red-scoped/s.css',
      'resources/node-red-contrib-alpha/none.js', 'resources/node-red-contrib-dep/x.js', 'resources/node-red-contrib-alpha/..%2fpackage.json']) {
      const [a, b] = await Promise.all([crimson.text(p), nodeRed.text(p)]);
      expect({ status: a.status, body: a.body }, p).toEqual({ status: b.status, body: b.body });
      if (a.status === 200) expect(a.type, p).toBe(b.type);
    }
  });

  it('offers the modules\' example flows in the examples library', async () => {
    const [a, b] = await Promise.all([crimson.json('library/examples/flows/'), nodeRed.json('library/examples/flows/')]);
    // (difference) Node-RED lists modules as its asynchronous scans of their folders finish: the packages'
    // small folders before its own; Crimson lists node-red first. The same modules are offered.
    expect([...a.body].sort()).toEqual([...b.body].sort());
    expect(a.body).toEqual(expect.arrayContaining(['node-red', 'node-red-contrib-alpha', '@crimson-test/node-red-scoped']));
    for (const p of ['node-red-contrib-alpha', 'node-red-contrib-alpha/group', '@crimson-test/node-red-scoped', 'node-red-contrib-dep', 'node-red-contrib-alpha/nope']) {
      await bothJson(`library/examples/flows/${p}`);
    }
    for (const p of ['node-red-contrib-alpha/basic', 'node-red-contrib-alpha/group/deeper', '@crimson-test/node-red-scoped/Scoped%20demo', 'node-red-contrib-alpha/readme']) {
      await bothText(`library/examples/flows/${p}`);
    }
  });
});

describe('the start-up log', () => {
  const pick = (s: Server, re: RegExp) => s.logs().filter((l) => re.test(l));

  it('says which modules it found and skips a version mismatch with Node-RED\'s warning', () => {
    const moduleLines = /^\[debug\] !? ?Module: /;
    expect(pick(crimson, moduleLines)).toEqual(pick(nodeRed, moduleLines));
    const mismatch = /cannot be loaded on this version/;
    expect(pick(crimson, mismatch)).toEqual(['[warn] [node-red-contrib-oldver] Node module cannot be loaded on this version. Requires: >=9.0.0 ']);
    expect(pick(nodeRed, mismatch)).toEqual(pick(crimson, mismatch));
  });

  it('lists the failed sets in the same warning block', () => {
    const block = (s: Server) => {
      const lines = s.logs();
      const from = lines.indexOf('[warn] ------------------------------------------------------');
      const to = lines.indexOf('[warn] ------------------------------------------------------', from + 1);
      return lines.slice(from, to + 1);
    };
    expect(block(crimson)).toEqual([
      '[warn] ------------------------------------------------------',
      '[warn] [node-red-contrib-async/rejects] Error: async failure',
      "[warn] [node-red-contrib-dup/dup] 'loose-node' already registered by module node-red",
      '[warn] [node-red-contrib-throws/toplevel] Error: broken at require 1 (line:3)',
      '[warn] [node-red-contrib-throws/inbody] ReferenceError: notDefinedAnywhere is not defined (line:3)',
      '[warn] ------------------------------------------------------',
    ]);
    expect(block(crimson)).toEqual(block(nodeRed));
  });

  it('logs what a module says at load through RED._, from its own catalogue', () => {
    const line = /alpha catalogue/;
    expect(pick(crimson, line)).toEqual(['[info] alpha catalogue v1.0.0 ready']);
    expect(pick(crimson, line)).toEqual(pick(nodeRed, line));
  });
});
