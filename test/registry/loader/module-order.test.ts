// The order of modules in GET /nodes after a restart, compared with Node-RED 4.1.15: modules keep the order
// .config.nodes.json lists them in (a module installed later stays after the others even when its name
// sorts first), modules the file names but that are gone are dropped, new ones come after; the sets of a
// module keep their load order. The file is rewritten at start with what loaded.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBoth } from './servers.js';
import type { Server } from './servers.js';
import { nodeHtml, nodeJs, writeFiles, writePackage } from './fixtures.js';

const entry = (name: string, sets: string[]) => ({
  name, version: '1.0.0', local: true, user: false,
  nodes: Object.fromEntries(sets.map((s) => [s, { name: s, types: [`t-${s}`], enabled: true, local: true, user: false, module: name }])),
});

async function build(userDir: string): Promise<void> {
  for (const n of ['aaa', 'mmm', 'zzz']) {
    const name = `node-red-contrib-${n}`;
    await writePackage(path.join(userDir, 'node_modules', name), { name, version: '1.0.0', red: { nodes: { [n]: `${n}.js`, [`${n}2`]: `${n}2.js` } } }, {
      [`${n}.js`]: nodeJs(`t-${n}`), [`${n}.html`]: nodeHtml(`t-${n}`),
      [`${n}2.js`]: nodeJs(`t-${n}2`), [`${n}2.html`]: nodeHtml(`t-${n}2`),
    });
  }
  // zzz was installed first, then the core, then a module that is gone, then aaa; mmm is new
  await writeFiles(userDir, {
    '.config.nodes.json': JSON.stringify({
      'node-red-contrib-zzz': entry('node-red-contrib-zzz', ['zzz2', 'zzz']),
      'node-red': { name: 'node-red', version: '4.1.15', local: false, user: false, nodes: {} },
      'node-red-contrib-gone': entry('node-red-contrib-gone', ['gone']),
      'node-red-contrib-aaa': entry('node-red-contrib-aaa', ['aaa', 'aaa2']),
    }, null, 2),
  });
}

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startBoth(build, { flowFile: 'flows.json' }));
}, 90000);
afterAll(async () => { await stopAll?.(); });

it('lists modules in the saved order, new ones after, gone ones dropped', async () => {
  const [a, b] = await Promise.all([crimson.json('nodes'), nodeRed.json('nodes')]);
  expect(a).toEqual(b);
  const ids = (a.body as Array<{ id: string; module: string }>).filter((s) => s.module !== 'node-red').map((s) => s.id);
  expect(ids).toEqual([
    'node-red-contrib-zzz/zzz', 'node-red-contrib-zzz/zzz2',
    'node-red-contrib-aaa/aaa', 'node-red-contrib-aaa/aaa2',
    'node-red-contrib-mmm/mmm', 'node-red-contrib-mmm/mmm2',
  ]);
  expect((a.body as Array<{ module: string }>)[0]!.module).toBe('node-red-contrib-zzz');
});

it('rewrites .config.nodes.json at start with what loaded, in that order', async () => {
  const saved = async (s: Server) => {
    const j = JSON.parse(await fs.readFile(path.join(s.userDir, '.config.nodes.json'), 'utf8'));
    return Object.entries(j).map(([m, e]) => [m, Object.keys((e as { nodes: object }).nodes)]);
  };
  const [a, b] = await Promise.all([saved(crimson), saved(nodeRed)]);
  expect(a).toEqual(b);
  expect(a.map(([m]) => m)).toEqual(['node-red-contrib-zzz', 'node-red', 'node-red-contrib-aaa', 'node-red-contrib-mmm']);
});
