// The editor served from @node-red/editor-client as Node-RED serves it: the page (theme, cache-busting
// version), httpAdminRoot, disableEditor, static files, theme files, icons and the editor's catalogues.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const resolve = createRequire(import.meta.url).resolve;
const client = path.dirname(resolve('@node-red/editor-client/package.json'));
const nodesDir = path.dirname(resolve('@node-red/nodes/package.json'));
let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const get = (p: string, init?: RequestInit) => fetch(c!.url + p, { redirect: 'manual', ...init });

describe('the editor page', () => {
  it('renders index.mst with the default theme and a cache buster from version and instance id', async () => {
    c = await startCrimson();
    const res = await get('');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    const { instanceId } = JSON.parse(fs.readFileSync(path.join(c.userDir, '.config.runtime.json'), 'utf8'));
    expect(instanceId).toMatch(/^[0-9a-f]{16}$/);
    const v = crypto.createHash('sha1').update(`4.1.15-${instanceId}`).digest('hex').slice(0, 12);
    expect(html).toContain('<title>Node-RED</title>');
    expect(html).toContain('<link rel="icon" type="image/png" href="favicon.ico">');
    expect(html).toContain(`<script src="vendor/vendor.js?v=${v}"></script>`);
    expect(html).toContain(`<script src="vendor/monaco/monaco-bootstrap.js?v=${v}"></script>`);
    expect(html).toContain(`<script src="red/red.min.js?v=${v}"></script>`);
    expect(html).toContain(`<script src="red/main.min.js?v=${v}"></script>`);
  });

  it('honours editorTheme: page title, css and favicon files, header, ace instead of monaco, login', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-theme-'));
    fs.writeFileSync(path.join(dir, 'my.css'), 'body { color: red }');
    fs.writeFileSync(path.join(dir, 'fav.png'), 'png');
    c = await startCrimson({ settings: { editorTheme: {
      page: { title: 'My RED', css: path.join(dir, 'my.css'), favicon: path.join(dir, 'fav.png') },
      header: { title: 'Mine', image: null, url: 'https://example.org' },
      codeEditor: { lib: 'ace' },
      login: { message: 'hello' },
    } } });
    const html = await (await get('')).text();
    expect(html).toContain('<title>My RED</title>');
    expect(html).toContain('<link rel="stylesheet" href="theme&#x2F;css&#x2F;my.css">'); // mustache escapes {{.}} as Node-RED renders it
    expect(html).toContain('href="theme/favicon/fav.png"');
    expect(html).not.toContain('monaco-bootstrap');
    expect(await (await get('theme/css/my.css')).text()).toBe('body { color: red }');
    expect(await (await get('theme')).json()).toEqual({
      page: { title: 'My RED', favicon: 'theme/favicon/fav.png', tabicon: { icon: 'red/images/node-red-icon-black.svg', colour: '#8f0000' }, css: ['theme/css/my.css'], scripts: [] },
      header: { title: 'Mine', image: null, url: 'https://example.org' },
      asset: { red: 'red/red.min.js', main: 'red/main.min.js', vendorMonaco: '' },
      login: { message: 'hello' },
      themes: [],
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lives under httpAdminRoot (with the slash redirect) and is off with disableEditor', async () => {
    c = await startCrimson({ settings: { httpAdminRoot: '/admin' } });
    const base = c.url.replace(/admin\/$/, '');
    const bare = await fetch(base + 'admin?x=1', { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/admin/?x=1']);
    expect((await get('')).status).toBe(200);
    expect((await get('red/red.min.js')).status).toBe(200);
    await c.stop();
    c = await startCrimson({ settings: { disableEditor: true } });
    expect((await get('')).status).toBe(404);
    expect((await get('red/red.min.js')).status).toBe(404);
    expect((await get('icons')).status).toBe(404);
    expect((await get('flows')).status).toBe(200);
  });
});

describe('editor files', () => {
  it('serves editor-client public files as they are', async () => {
    c = await startCrimson();
    for (const f of ['red/red.min.js', 'vendor/vendor.js', 'red/style.min.css', 'favicon.ico']) {
      const res = await get(f);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(client, 'public', f)))).toBe(true);
    }
    expect((await get('red/red.min.js')).headers.get('content-type')).toBe('application/javascript; charset=UTF-8');
  });

  it('lists and serves core icons, with the default icon for an unknown one', async () => {
    c = await startCrimson();
    const icons = await (await get('icons')).json();
    expect(icons).toEqual({ 'node-red': fs.readdirSync(path.join(nodesDir, 'icons')).sort() });
    const inject = await get('icons/node-red/inject.svg');
    expect(inject.headers.get('content-type')).toBe('image/svg+xml');
    expect(await inject.text()).toBe(fs.readFileSync(path.join(nodesDir, 'icons/inject.svg'), 'utf8'));
    const fallback = fs.readFileSync(path.join(client, 'public/red/images/icons/arrow-in.svg'), 'utf8');
    for (const p of ['icons/node-red/nope.svg', 'icons/other/x.png', 'icons/@scope/mod/x.svg']) expect(await (await get(p)).text()).toBe(fallback);
    expect((await get('resources/some-module/file.js')).status).toBe(404);
  });

  it('answers the editor catalogues with Node-RED language rules', async () => {
    c = await startCrimson();
    const file = (lang: string, ns = 'editor') => JSON.parse(fs.readFileSync(path.join(client, 'locales', lang, `${ns}.json`), 'utf8'));
    const en = await (await get('locales/editor?lng=en-US')).json();
    expect(en.common.label.done).toBe(file('en-US').common.label.done);
    expect(await (await get('locales/editor')).json()).toEqual(en);
    const de = await (await get('locales/editor?lng=de-DE')).json();
    expect(de.common.label.done).toBe(file('de').common.label.done);
    expect((await (await get('locales/jsonata?lng=en-US')).json())).toEqual(file('en-US', 'jsonata'));
    expect(await (await get('locales/editor?lng=xx')).json()).toEqual({});
    expect(await (await get('locales/editor?lng=en_US')).json()).toEqual({});
    expect(await (await get('locales/unknown-ns?lng=en-US')).json()).toEqual({});
  });
});
