// GET/DELETE /context/... through a real runtime (COMPAT A5), compared with Node-RED 4.1.15's literal answers
// (context-answers.json); file-store context surviving a restart, its files, clean-up after deploy, permissions.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';
import oracle from './context-answers.json' with { type: 'json' };

const setup = [
  "context.set('a', 42); context.set('n','nodeval'); flow.set('fv','flowval'); flow.set('deep',{deep:{x:1}}); global.set('g',{deep:{x:1}}); global.set('buf', Buffer.from('hi'));",
  "context.set('a', 1, 'file'); flow.set('f',[1,2,3],'file'); global.set('gf','x','file'); global.set('obj',{arr:[1,2,3],o:{a:1},s:'str',nul:null},'file');",
  "context.set('nc', 5, 'nocache');",
].join('\n');
const tab = { id: 't1', type: 'tab', label: 'Flow 1' };
const fn = (initialize: string) => ({ id: 'f1', type: 'function', z: 't1', name: '', func: 'return msg;', outputs: 1, initialize, finalize: '', libs: [], x: 100, y: 100, wires: [[]] });
const settings: Settings = {
  functionGlobalContext: { seed1: 'S', num: 5 },
  contextStorage: {
    default: { module: 'memory' },
    file: { module: 'localfilesystem', config: { flushInterval: 1 } },
    nocache: { module: 'localfilesystem', config: { cache: false, base: 'ctx2' } },
  },
};

let c: Started | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await c?.stop();
  c = undefined;
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});
const tempDir = async () => { const d = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-ctxapi-')); dirs.push(d); return d; };
const getJson = async (p: string, init?: RequestInit) => (await fetch(c!.url + p, init)).json();

/** Waits until the function node's setup (the last write is asynchronous) is visible. */
async function setupDone(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const v = await getJson('context/node/f1/nc?store=nocache');
    if (v.msg === '5') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('function node setup did not run');
}

describe('context admin API', () => {
  it('answers every request exactly as Node-RED 4.1.15 does', async () => {
    c = await startCrimson({ settings, flows: [tab, fn(setup)] });
    await setupDone();
    for (const a of oracle.answers) {
      const res = await fetch(c.url + a.path, { method: a.method });
      const text = await res.text();
      const where = `${a.method} ${a.path}`;
      expect(res.status, where).toBe(a.status);
      if (a.body === 'HTML') expect(text, where).toContain(`Cannot ${a.method} /${a.path}`);
      else expect(text, where).toBe(a.body);
    }
  });

  it('without contextStorage lists the "memory" store and keeps functionGlobalContext keys in it', async () => {
    c = await startCrimson({ settings: { functionGlobalContext: { s: 1 } }, flows: [tab, fn("flow.set('x', 'v'); global.set('g', true)")] });
    await new Promise((r) => setTimeout(r, 100));
    expect(await getJson('context/global')).toEqual({ memory: { s: { msg: '1', format: 'number' }, g: { msg: 'true', format: 'boolean' } } });
    expect(await getJson('context/flow/t1/x')).toEqual({ msg: 'v', format: 'string[1]' });
    expect(await getJson('context/global?store=default')).toEqual({ code: 'not_found', message: 'Error' });
    expect((await getJson('settings')).context).toEqual({ default: 'memory', stores: ['memory'] });
  });

  it('file-store context survives a restart in the files Node-RED writes; memory context does not', async () => {
    const userDir = await tempDir();
    c = await startCrimson({ settings, flows: [tab, fn(setup)], userDir });
    await setupDone();
    await c.stop();
    const base = path.join(userDir, 'context');
    expect(await fs.readFile(path.join(base, 't1', 'f1.json'), 'utf8')).toBe('{\n    "a": 1\n}');
    expect(await fs.readFile(path.join(base, 't1', 'flow.json'), 'utf8')).toBe('{\n    "f": [\n        1,\n        2,\n        3\n    ]\n}');
    expect(JSON.parse(await fs.readFile(path.join(base, 'global', 'global.json'), 'utf8'))).toEqual({ gf: 'x', obj: { arr: [1, 2, 3], o: { a: 1 }, s: 'str', nul: null } });
    expect(await fs.readFile(path.join(userDir, 'ctx2', 't1', 'f1.json'), 'utf8')).toBe('{\n    "nc": 5\n}');

    await fs.writeFile(path.join(userDir, 'flows.json'), JSON.stringify([tab, fn('')]));
    c = await startCrimson({ settings, userDir });
    expect(await getJson('context/node/f1')).toEqual({
      default: {},
      file: { a: { msg: '1', format: 'number' } },
      nocache: { nc: { msg: '5', format: 'number' } },
    });
    expect(await getJson('context/flow/t1/f?store=file')).toEqual({ msg: '[1,2,3]', format: 'array[3]', store: 'file' });
  });

  it('a deploy that removes a node or a flow deletes its context files', async () => {
    const userDir = await tempDir();
    c = await startCrimson({ settings, flows: [tab, fn(setup), { id: 't2', type: 'tab', label: 'two' }, { ...fn("flow.set('y', 1, 'file')"), id: 'f2', z: 't2' }], userDir });
    await setupDone();
    await c.stop({ keepDir: true });
    const base = path.join(userDir, 'context');
    expect((await fs.readdir(base)).sort()).toEqual(['global', 't1', 't2']);
    c = await startCrimson({ settings, userDir });
    await c.deploy([tab, { id: 'c1', type: 'comment', z: 't1', name: 'x', wires: [] }]);
    await new Promise((r) => setTimeout(r, 100));
    expect((await fs.readdir(base)).sort()).toEqual(['global', 't1']);
    expect(await fs.readdir(path.join(base, 't1'))).toEqual(['flow.json']);
    expect(await fs.readdir(path.join(userDir, 'ctx2', 't1'))).toEqual([]);
  });

  it('node context is dropped when its node restarts, unless contextStorage is configured', async () => {
    const counting = "context.set('count', (context.get('count') || 0) + 1)";
    const count = async () => (await getJson('context/node/f1/count')).msg;
    for (const [withStores, expected] of [[false, '1'], [true, '2']] as const) {
      c = await startCrimson({ settings: withStores ? { contextStorage: { default: { module: 'memory' } } } : {}, flows: [tab, fn(counting)] });
      await new Promise((r) => setTimeout(r, 100));
      expect(await count()).toBe('1');
      await c.deploy([tab, { ...fn(counting), name: 'changed' }]);
      await new Promise((r) => setTimeout(r, 100));
      expect(await count()).toBe(expected);
      await c.stop();
      c = undefined;
    }
  });

  it('needs context.read to read and context.write to delete', async () => {
    const adminAuth = {
      type: 'credentials' as const,
      users: [{ username: 'viewer', password: bcrypt.hashSync('look', 4), permissions: 'read' }],
    };
    c = await startCrimson({ settings: { adminAuth } });
    expect((await fetch(c.url + 'context/global')).status).toBe(401);
    const res = await fetch(c.url + 'auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: 'read', username: 'viewer', password: 'look' }).toString(),
    });
    const h = { authorization: `Bearer ${(await res.json()).access_token}` };
    expect(await getJson('context/global', { headers: h })).toEqual({ memory: {} });
    expect((await fetch(c.url + 'context/global/x', { method: 'DELETE', headers: h })).status).toBe(401);
  });
});
