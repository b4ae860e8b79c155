// What GET /settings gives the editor from editorTheme (the deploy button icon as the url the theme serves it
// at, languages from editor-client's catalogues) and the /locales quirks, as Node-RED 4.1.15 answers them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const resolve = createRequire(import.meta.url).resolve;
const client = path.dirname(resolve('@node-red/editor-client/package.json'));
let c: Started | undefined;
let dir: string | undefined;
afterEach(async () => {
  await c?.stop();
  c = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const get = (p: string, init?: RequestInit) => fetch(c!.url + p, init);
const settings = async () => (await (await get('settings', { headers: { accept: 'application/json' } })).json()).editorTheme;

describe('/settings editorTheme', () => {
  it('gives a simple deploy button the url of its icon, which the theme serves', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-theme-'));
    const icon = path.join(dir, 'deploy.png');
    fs.writeFileSync(icon, 'png');
    c = await startCrimson({ settings: { editorTheme: {
      deployButton: { type: 'simple', label: 'Save', icon },
      palette: { categories: ['subflows', 'common'] },
      menu: { 'menu-item-help': { label: 'Help', url: 'http://example.org' } },
      userMenu: false,
      theme: 'dark',
      tours: false,
      help: { enabled: false },
    } } });
    expect(await settings()).toEqual({
      deployButton: { label: 'Save', type: 'simple', icon: 'theme/deploy/deploy.png' },
      userMenu: false,
      menu: { 'menu-item-help': { label: 'Help', url: 'http://example.org' } },
      palette: { categories: { order: ['subflows', 'common'] } },
      theme: 'dark',
      tours: { enabled: false }, // (quirk) help replaces tours
      languages: ['de', 'en-US', 'es-ES', 'fr', 'ja', 'ko', 'pt-BR', 'ru', 'zh-CN', 'zh-TW'],
    });
    const served = await get('theme/deploy/deploy.png');
    expect([served.status, served.headers.get('content-type'), await served.text()]).toEqual([200, 'image/png', 'png']);
  });

  it('drops an icon that is missing or belongs to a non-simple button', async () => {
    c = await startCrimson({ settings: { editorTheme: { deployButton: { type: 'simple', icon: '/nonexistent/deploy.png' } } } });
    expect((await settings()).deployButton).toEqual({ type: 'simple' });
    await c.stop();
    c = await startCrimson({ settings: { editorTheme: { deployButton: { label: 'Go', icon: path.join(client, 'public/favicon.ico') } } } });
    expect((await settings()).deployButton).toEqual({ label: 'Go' });
    expect((await get('theme/deploy/favicon.ico')).status).toBe(404);
  });

  it("lists the languages editor-client has an editor catalogue in, and has no editorTheme with disableEditor", async () => {
    c = await startCrimson();
    const langs = fs.readdirSync(path.join(client, 'locales')).filter((l) => fs.existsSync(path.join(client, 'locales', l, 'editor.json'))).sort();
    expect((await settings()).languages).toEqual(langs);
    await c.stop();
    c = await startCrimson({ settings: { disableEditor: true } });
    expect(await (await get('settings')).json()).toEqual({ httpNodeRoot: '/', version: '4.1.15' });
  });
});

describe('/locales quirks', () => {
  it('takes the language from lng only, and keeps a trailing slash in the namespace', async () => {
    c = await startCrimson();
    const en = await (await get('locales/editor')).json();
    expect(en.common.label.done).toBe('Done');
    // Accept-Language is not used (Node-RED reads lng only)
    expect(await (await get('locales/editor', { headers: { 'accept-language': 'de' } })).json()).toEqual(en);
    expect(await (await get('locales/editor.json?lng=de')).json()).toEqual(await (await get('locales/editor?lng=de')).json());
    expect(await (await get('locales/editor/?lng=de')).json()).toEqual({});
    // a language with a region borrows its base language's catalogue, completed from en-US
    const fr = await (await get('locales/infotips?lng=fr-CA')).json();
    const frFile = JSON.parse(fs.readFileSync(path.join(client, 'locales/fr/infotips.json'), 'utf8'));
    expect(fr.info.tip0).toBe(frFile.info.tip0);
    for (const lng of ['en', 'en-GB', 'es', 'DE', 'a_b', 'de&lng=fr']) expect(await (await get(`locales/editor?lng=${lng}`)).json()).toEqual({});
  });
});
