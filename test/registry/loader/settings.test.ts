// Settings that change what the loader finds, each compared with Node-RED 4.1.15 on the same userDir and
// settings (COMPAT C1): settings.nodesDir as a package folder, as a folder with node_modules, as a folder of
// loose files (one path or several), nodesIncludes / nodesExcludes (which also filter the core node files),
// externalModules.palette.allowList / denyList with version ranges.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBoth } from './servers.js';
import type { Builder, Server, SettingsFor } from './servers.js';
import { buildFilterUserDir, buildNodesDirUserDir } from './fixtures.js';

/** Starts both, runs `check` with them, stops both. */
async function withBoth(build: Builder, settings: SettingsFor, check: (c: Server, n: Server) => Promise<void>): Promise<void> {
  const both = await startBoth(build, settings);
  try {
    await check(both.crimson, both.nodeRed);
  } finally {
    await both.stop();
  }
}

async function same(c: Server, n: Server, p: string) {
  const [a, b] = await Promise.all([c.json(p), n.json(p)]);
  expect(a, `GET ${p}`).toEqual(b);
  expect(JSON.stringify(a.body), `GET ${p} (key order)`).toBe(JSON.stringify(b.body));
  return a.body;
}

const ids = (list: any[]) => list.map((s) => s.id);
const moduleLines = (s: Server) => s.logs().filter((l) => /^\[debug\] !? ?Module: /.test(l));

describe('settings.nodesDir', () => {
  const dirs = (u: string) => ['pkgdir', 'withnm', 'loose'].map((d) => path.join(u, 'extra', d));

  it('loads a package folder, a folder with node_modules and a folder of loose files', async () => {
    await withBoth(buildNodesDirUserDir, (u) => ({ nodesDir: dirs(u) }), async (c, n) => {
      const list = await same(c, n, 'nodes');
      expect(ids(list)).toEqual(expect.arrayContaining([
        'node-red/wn', 'node-red/lf', 'node-red/deeper', 'node-red-contrib-pkgdir/pd', 'node-red-contrib-innm/innm', 'node-red-contrib-indir/indir', 'node-red-contrib-twice/twice',
      ]));
      // files inside a package folder are not loose files
      expect(ids(list)).not.toContain('node-red/stray');
      // two files of one set name: the later one, in the place of the first
      const loose = list.filter((s: any) => ['twin', 'after', 'lf'].includes(s.name));
      expect(loose.map((s: any) => [s.name, s.types])).toEqual([['twin', ['twin-b']], ['after', ['after-node']], ['lf', ['loosedir-node']]]);
      // found outside <userDir>/node_modules: not local
      expect(list.find((s: any) => s.id === 'node-red-contrib-pkgdir/pd')).toMatchObject({ local: false, user: false });
      for (const m of ['node-red-contrib-pkgdir', 'node-red-contrib-innm', 'node-red-contrib-indir', 'node-red-contrib-twice']) await same(c, n, `nodes/${m}`);
      // the userDir's copy of a package found twice wins, and the other one is reported
      expect((await c.json('nodes/node-red-contrib-twice')).body).toMatchObject({ version: '1.0.0', local: true, path: '<userDir>/node_modules/node-red-contrib-twice' });
      expect(moduleLines(c)).toEqual(moduleLines(n));
      expect(moduleLines(c)).toContain('[debug] ! Module: node-red-contrib-twice 9.9.9 <userDir>/extra/withnm/node_modules/node-red-contrib-twice *ignored due to local copy*');
      // a loose folder's icons belong to node-red; a package folder's to its module
      const icons = await same(c, n, 'icons');
      expect(icons['node-red']).toContain('lf.svg');
      expect(icons['node-red-contrib-pkgdir']).toEqual(['pd.svg']);
      const html = await Promise.all([c.text('nodes', { accept: 'text/html' }), n.text('nodes', { accept: 'text/html' })]);
      expect(html[0]).toEqual(html[1]);
      for (const p of ['library/examples/flows/node-red-contrib-pkgdir', 'icons/node-red/lf.svg', 'icons/node-red-contrib-pkgdir/pd.svg']) {
        const [a, b] = await Promise.all([c.text(p), n.text(p)]);
        expect(a, p).toEqual(b);
      }
    });
  }, 90000);

  it('takes a single path too', async () => {
    await withBoth(buildNodesDirUserDir, (u) => ({ nodesDir: path.join(u, 'extra', 'loose') }), async (c, n) => {
      const list = await same(c, n, 'nodes');
      expect(ids(list)).toEqual(expect.arrayContaining(['node-red/lf', 'node-red/deeper', 'node-red-contrib-indir/indir']));
      expect(ids(list)).not.toContain('node-red-contrib-pkgdir/pd');
      await same(c, n, 'icons');
    });
  }, 90000);
});

describe('nodesIncludes / nodesExcludes', () => {
  it('excludes files and package folders by name, core node files included', async () => {
    const nodesExcludes = ['51-drop.js', 'node-red-contrib-two', 'node-red-four', '21-httpin.js', '10-function.js'];
    await withBoth(buildFilterUserDir, { nodesExcludes }, async (c, n) => {
      const list = ids(await same(c, n, 'nodes'));
      expect(list).toEqual(expect.arrayContaining(['node-red/keep', 'node-red-contrib-one/one', 'node-red-node-three/three', 'other-five/five', 'node-red/inject']));
      for (const gone of ['node-red/drop', 'node-red-contrib-two/two', '@filter/node-red-four/four', 'node-red/httpin', 'node-red/function']) expect(list).not.toContain(gone);
      expect(moduleLines(c)).toEqual(moduleLines(n));
    });
  }, 90000);

  it('includes only the files and package folders named', async () => {
    const nodesIncludes = ['50-keep.js', 'node-red-contrib-one', 'node-red-four', '20-inject.js', '21-debug.js'];
    await withBoth(buildFilterUserDir, { nodesIncludes }, async (c, n) => {
      const list = ids(await same(c, n, 'nodes'));
      expect(list).toEqual(['node-red/inject', 'node-red/debug', 'node-red/keep', '@filter/node-red-four/four', 'node-red-contrib-one/one']);
      const html = await Promise.all([c.text('nodes', { accept: 'text/html' }), n.text('nodes', { accept: 'text/html' })]);
      expect(html[0]).toEqual(html[1]);
    });
  }, 90000);
});

describe('externalModules.palette allowList / denyList', () => {
  it('an allow list alone denies everything else', async () => {
    const palette = { allowList: ['node-red-contrib-*', '@filter/node-red-four@4'] };
    await withBoth(buildFilterUserDir, { externalModules: { palette } }, async (c, n) => {
      const list = ids(await same(c, n, 'nodes')).filter((id) => !id.startsWith('node-red/'));
      expect(list).toEqual(['@filter/node-red-four/four', 'node-red-contrib-one/one', 'node-red-contrib-two/two']);
      expect(moduleLines(c)).toEqual(moduleLines(n));
    });
  }, 90000);

  it('with both lists, a denied version range wins over a wider allow rule; what neither names loads', async () => {
    const palette = { allowList: ['node-red-contrib-*', '@filter/*'], denyList: ['node-red-contrib-two@>=2.0.0'] };
    await withBoth(buildFilterUserDir, { externalModules: { palette } }, async (c, n) => {
      const list = ids(await same(c, n, 'nodes')).filter((id) => !id.startsWith('node-red/'));
      // (quirk) a module no rule of either list matches is allowed
      expect(list).toEqual(['@filter/node-red-four/four', 'node-red-contrib-one/one', 'node-red-node-three/three', 'other-five/five']);
      expect(moduleLines(c)).toEqual(moduleLines(n));
      expect(moduleLines(c)).toEqual(expect.arrayContaining(['[debug] ! Module: node-red-contrib-two 2.5.0 *ignored due to denyList*']));
    });
  }, 90000);

  it('a deny list alone denies what it names (versions: only a matching version)', async () => {
    const palette = { denyList: ['node-red-node-*', 'node-red-contrib-one@<1.0.0', 'node-red-contrib-two@^2'] };
    await withBoth(buildFilterUserDir, { externalModules: { palette } }, async (c, n) => {
      const list = ids(await same(c, n, 'nodes')).filter((id) => !id.startsWith('node-red/'));
      expect(list).toEqual(['@filter/node-red-four/four', 'node-red-contrib-one/one', 'other-five/five']);
      expect(moduleLines(c)).toEqual(moduleLines(n));
    });
  }, 90000);
});
