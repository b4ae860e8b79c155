// Node icons and module resources as Node-RED 4.1.15 answers them (checked against a running one): the icon
// list per module, <userDir>/lib/icons, the core module as fallback for any module, the default icon, bad
// names, the permission on the list; files of a package's resources/ folder.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const resolve = createRequire(import.meta.url).resolve;
const client = path.dirname(resolve('@node-red/editor-client/package.json'));
const nodesDir = path.dirname(resolve('@node-red/nodes/package.json'));
const coreIcons = () => fs.readdirSync(path.join(nodesDir, 'icons')).sort();
const defaultIcon = () => fs.readFileSync(path.join(client, 'public/red/images/icons/arrow-in.svg'), 'utf8');
const coreIcon = (f: string) => fs.readFileSync(path.join(nodesDir, 'icons', f), 'utf8');

let c: Started | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await c?.stop();
  c = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-icons-'));
  dirs.push(d);
  return d;
};
const get = (p: string, init?: RequestInit) => fetch(c!.url + p, { redirect: 'manual', ...init });

describe('GET /icons and /icons/<module>/<file>', () => {
  it('adds <userDir>/lib/icons to the core module: image files only, a png dropped beside its svg', async () => {
    const userDir = tmpDir();
    const lib = path.join(userDir, 'lib', 'icons');
    fs.mkdirSync(path.join(lib, 'folder.svg'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'custom.svg'), '<svg>custom</svg>');
    fs.writeFileSync(path.join(lib, 'custom.png'), 'png');
    fs.writeFileSync(path.join(lib, 'other.PNG'), 'png2');
    fs.writeFileSync(path.join(lib, 'inject.svg'), '<svg>mine</svg>');
    fs.writeFileSync(path.join(lib, 'readme.txt'), 'text');
    c = await startCrimson({ userDir });
    expect(await (await get('icons')).json()).toEqual({ 'node-red': [...coreIcons(), 'custom.svg', 'inject.svg', 'other.PNG'] });

    expect(await (await get('icons/node-red/custom.svg')).text()).toBe('<svg>custom</svg>');
    // not listed, still served; the core folder comes first
    expect(await (await get('icons/node-red/custom.png')).text()).toBe('png');
    expect(await (await get('icons/node-red/inject.svg')).text()).toBe(coreIcon('inject.svg'));
    const text = await get('icons/node-red/readme.txt');
    expect([text.status, text.headers.get('content-type'), await text.text()]).toEqual([200, 'text/plain; charset=utf-8', 'text']);
    // a folder of that name: the read fails, answered in Node-RED's error shape
    const folder = await get('icons/node-red/folder.svg');
    expect(folder.status).toBe(400);
    expect((await folder.json()).code).toBe('EISDIR');
  });

  it('serves a found icon from memory (content type, no static caching headers)', async () => {
    c = await startCrimson();
    const res = await get('icons/node-red/inject.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBeNull();
    expect(res.headers.get('etag')).toMatch(/^W\//);
    expect(await res.text()).toBe(coreIcon('inject.svg'));
    // (node:http: fetch adds cache-control: no-cache to a conditional request)
    const status = await new Promise<number | undefined>((done, fail) => {
      http.get(c!.url + 'icons/node-red/inject.svg', { headers: { 'if-none-match': res.headers.get('etag')! } }, (r) => { r.resume(); done(r.statusCode); }).on('error', fail);
    });
    expect(status).toBe(304);
  });

  it('looks an unknown module or file up in the core module, then answers the default icon', async () => {
    c = await startCrimson();
    expect(await (await get('icons/some-module/inject.svg')).text()).toBe(coreIcon('inject.svg'));
    expect(await (await get('icons/@scope/some-module/debug.svg')).text()).toBe(coreIcon('debug.svg'));
    const fallback = await get('icons/node-red/nope.svg');
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('content-type')).toBe('image/svg+xml');
    expect(await fallback.text()).toBe(defaultIcon());
    // (quirk) three segments are scope/module/icon: icon "x" of module "node-red/inject.svg"
    expect(await (await get('icons/node-red/inject.svg/x')).text()).toBe(defaultIcon());
    expect((await get('icons/node-red')).status).toBe(404);
  });

  it('refuses an icon name with ".." (400 unexpected_error)', async () => {
    c = await startCrimson();
    for (const p of ['icons/node-red/..%2f..%2fpackage.json', 'icons/other/..x']) {
      const res = await get(p);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 'unexpected_error', message: 'Error' });
    }
  });

  it('lists a loaded package module (no icon folder: an empty list) and falls back to core icons for it', async () => {
    c = await startCrimson();
    await c.runtime.loadNodeModule({ name: 'my-mod', version: '1.0.0' }, { 'my-set': () => {} });
    expect(await (await get('icons')).json()).toEqual({ 'node-red': coreIcons(), 'my-mod': [] });
    expect(await (await get('icons/my-mod/function.svg')).text()).toBe(coreIcon('function.svg'));
  });

  it('needs nodes.read for the list with adminAuth; icon files stay public', async () => {
    c = await startCrimson({ settings: { adminAuth: { type: 'credentials', users: [{ username: 'a', password: bcrypt.hashSync('password1', 4), permissions: '*' }] } } });
    expect((await get('icons')).status).toBe(401);
    expect((await get('icons/node-red/inject.svg')).status).toBe(200);
    const form = new URLSearchParams({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: 'a', password: 'password1' });
    const { access_token: token } = await (await fetch(c.url + 'auth/token', { method: 'POST', body: form })).json();
    const list = await get('icons', { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(Object.keys(await list.json())).toEqual(['node-red']);
  });
});

describe('GET /resources/<module>/<path>', () => {
  it("serves files of a module's resources folder, 404 (empty) for anything else", async () => {
    const modDir = tmpDir();
    fs.mkdirSync(path.join(modDir, 'resources', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(modDir, 'resources', 'lib', 'helper.js'), 'window.helper = 1;');
    fs.writeFileSync(path.join(modDir, 'secret.txt'), 'no');
    c = await startCrimson();
    // a package module as a package loader registers it (with its folder)
    await c.runtime.loadNodeModule({ name: '@scope/my-mod', version: '1.0.0', path: modDir } as never, { s: () => {} });
    const js = await get('resources/@scope/my-mod/lib/helper.js');
    expect([js.status, js.headers.get('content-type'), await js.text()]).toEqual([200, 'application/javascript; charset=utf-8', 'window.helper = 1;']);
    for (const p of ['resources/@scope/my-mod/lib', 'resources/@scope/my-mod/nope.js', 'resources/@scope/my-mod/..%2fsecret.txt', 'resources/node-red/x', 'resources/unknown/x.js']) {
      const res = await get(p);
      expect([p, res.status, await res.text()]).toEqual([p, 404, '']);
    }
  });
});
