// What the browser editor loads about nodes from a real daemon: GET /nodes as HTML, /nodes/:module/:set as
// HTML, /nodes/messages, /nodes/:module/:set/messages and the /locales node namespaces (COMPAT A3.2, A3.5, B4).
// Expected texts are built from the @node-red/nodes files; the assembly was compared byte for byte with
// Node-RED 4.1.15 (every fully implemented core set is identical; split differs only by join's blocks).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Started } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';
import { CORE_SETS } from '../../src/nodes/index.js';

const NR_NODES = path.dirname(createRequire(import.meta.url).resolve('@node-red/nodes/package.json'));
const coreHtml = (editor: string) => fs.readFile(path.join(NR_NODES, 'core', `${editor}.html`), 'utf8');
const coreHelp = (lang: string, editor: string) => fs.readFile(path.join(NR_NODES, 'locales', lang, `${editor}.html`), 'utf8').catch(() => undefined);
const coreCatalog = async (lang: string) => JSON.parse(await fs.readFile(path.join(NR_NODES, 'locales', lang, 'messages.json'), 'utf8'));
const MARK = /\n?<!-- --- \[red-module:([^\]]+)\] --- -->\n/;

/** The editor's view: set id -> its part of the HTML. */
function sections(html: string): Map<string, string> {
  const parts = html.split(MARK);
  const out = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!);
  return out;
}
const registered = (html: string) => [...html.matchAll(/registerType\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
const attrs = (html: string, attr: string) => [...html.matchAll(new RegExp(`${attr}="([^"]+)"`, 'g'))].map((m) => m[1]);

// A node package the way a loader finds it: alpha.js with alpha.html and locales/ beside it, sub/beta.js
// with only an HTML file.
let pkg: string;
beforeAll(async () => {
  pkg = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-pkg-'));
  const put = async (rel: string, body: string) => {
    await fs.mkdir(path.dirname(path.join(pkg, rel)), { recursive: true });
    await fs.writeFile(path.join(pkg, rel), body);
  };
  await put('alpha.html', [
    '<script type="text/javascript">RED.nodes.registerType(\'alpha\', { category: \'function\', inputs: 1 });</script>',
    '<script type="text/javascript">RED.nodes.registerType(\'ghost\', { category: \'function\' });</script>',
    '<script type="text/html" data-template-name="alpha"><input id="node-input-name"></script>',
    '<script type="text/html" data-template-name="ghost"><p>not implemented</p></script>',
    '<script type="text/html" data-help-name="alpha"><p>Inline alpha help</p></script>',
    '<script type="text/html" data-help-name="alpha" data-lang="fr"><p>Aide alpha</p></script>',
    '<p>trailer</p>',
  ].join('\n') + '\n');
  await put('locales/en-US/alpha.json', JSON.stringify({ alpha: { label: { x: 'Alpha EN', y: 'only en' } } }));
  await put('locales/de/alpha.json', JSON.stringify({ alpha: { label: { x: 'Alpha DE' } } }));
  await put('locales/de-AT/alpha.json', JSON.stringify({ alpha: { label: { x: 'Alpha AT' } }, at: '1' }));
  await put('locales/de/alpha.html', '<script type="text/html" data-help-name="alpha"><p>Alpha Hilfe</p></script>');
  await put('locales/en-US/alpha.html', '<script type="text/html" data-help-name="alpha"><p>Alpha EN file help</p></script>');
  await put('sub/beta.html', '<script type="text/javascript">RED.nodes.registerType(\'beta\', {});</script>\n<script type="text/html" data-template-name="beta"></script>\n');
});
afterAll(async () => { await fs.rm(pkg, { recursive: true, force: true }); });

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

async function start(settings?: Settings, withPackage = true) {
  c = await startCrimson({ settings });
  if (withPackage) {
    const reg = c.runtime.engine.registry;
    const mod = reg.addModule({ name: 'probe-pkg', version: '1.2.3', local: true });
    reg.registerType(reg.addSet(mod, 'alpha', path.join(pkg, 'alpha.js')), 'alpha', function () {});
    reg.registerType(reg.addSet(mod, 'beta', path.join(pkg, 'sub', 'beta.js')), 'beta', function () {});
  }
  return c;
}
const html = async (p: string, lang?: string) => {
  const res = await fetch(c!.url + p, { headers: { accept: 'text/html', ...(lang ? { 'accept-language': lang } : {}) } });
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
};
const json = async (p: string, status = 200) => {
  const res = await fetch(c!.url + p, { headers: { accept: 'application/json' } });
  expect(res.status).toBe(status);
  return res.json();
};

describe('GET /nodes as HTML', () => {
  it('is each enabled set behind its marker, with exactly the types Crimson runs (every core type)', async () => {
    await start(undefined, false);
    const page = await html('nodes');
    const setList = await json('nodes');
    const bySet = sections(page);
    expect([...bySet.keys()]).toEqual(setList.map((s: { id: string }) => s.id));
    const types = setList.flatMap((s: { types: string[] }) => s.types).filter((t: string) => t !== 'junction');
    // the junction is built into the editor: its file defines nothing
    expect(registered(page).sort()).toEqual([...types].sort());
    expect(attrs(page, 'data-template-name').sort()).toEqual([...types].sort());
    expect(attrs(page, 'data-help-name').sort()).toEqual([...types].sort());
    expect(page).toMatch(/data-template-name="join"/);
  });

  it("is, for a set whose types are all registered, Node-RED's file followed by its help", async () => {
    await start(undefined, false);
    const bySet = sections(await html('nodes', 'en-US'));
    for (const def of CORE_SETS) {
      expect(bySet.get(`node-red/${def.name}`)).toBe((await coreHtml(def.editor)) + ((await coreHelp('en-US', def.editor)) ?? ''));
    }
  });

  it('gives the help of the Accept-Language language, its base, else en-US', async () => {
    await start(undefined, false);
    const inject = async (lang: string) => sections(await html('nodes', lang)).get('node-red/inject')!;
    const file = await coreHtml('common/20-inject');
    expect(await inject('de')).toBe(file + (await coreHelp('de', 'common/20-inject')));
    expect(await inject('de-CH;q=0.9, fr;q=0.5')).toBe(file + (await coreHelp('de', 'common/20-inject')));
    expect(await inject('fr-CA')).toBe(file + (await coreHelp('fr', 'common/20-inject')));
    for (const lang of ['xx', 'en', 'en_US', '*']) expect(await inject(lang)).toBe(file + (await coreHelp('en-US', 'common/20-inject')));
    // ko has no help for complete: en-US's
    const ko = sections(await html('nodes', 'ko'));
    expect(ko.get('node-red/complete')).toBe((await coreHtml('common/24-complete')) + (await coreHelp('en-US', 'common/24-complete')));
    expect(ko.get('node-red/inject')).toBe(file + (await coreHelp('ko', 'common/20-inject')));
  });

  it("serves a package set's HTML beside its js: registered types only, inline help cut to the end", async () => {
    await start();
    const bySet = sections(await html('nodes'));
    const alpha = bySet.get('probe-pkg/alpha')!;
    expect(registered(alpha)).toEqual(['alpha']);
    expect(attrs(alpha, 'data-template-name')).toEqual(['alpha']);
    expect(alpha).not.toContain('ghost');
    expect(alpha.endsWith('<p>trailer</p>\n<script type="text/html" data-help-name="alpha"><p>Inline alpha help</p></script>')).toBe(true);
    expect(bySet.get('probe-pkg/beta')).toBe('<script type="text/javascript">RED.nodes.registerType(\'beta\', {});</script>\n<script type="text/html" data-template-name="beta"></script>\n');
    const help = async (lang: string) => (await html('nodes', lang)).split('<p>trailer</p>\n')[1]!.split('\n<!--')[0];
    expect(await help('de-AT')).toBe('<script type="text/html" data-help-name="alpha"><p>Alpha Hilfe</p></script>');
    expect(await help('fr')).toBe('<script type="text/html" data-help-name="alpha" data-lang="fr"><p>Aide alpha</p></script>');
    expect(await help('fr-CA')).toBe('<script type="text/html" data-help-name="alpha"><p>Inline alpha help</p></script>');
    // inline en-US help comes before the en-US help file
    expect(await help('en-US')).toBe('<script type="text/html" data-help-name="alpha"><p>Inline alpha help</p></script>');
  });

  it('leaves out disabled sets; one set alone is served whatever its state', async () => {
    await start();
    const put = await fetch(c!.url + 'nodes/node-red/comment', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":false}' });
    expect(put.status).toBe(200);
    expect(sections(await html('nodes')).has('node-red/comment')).toBe(false);
    const file = await coreHtml('common/90-comment');
    expect(await html('nodes/node-red/comment', 'de')).toBe(`<!-- --- [red-module:node-red/comment] --- -->\n${file}${await coreHelp('de', 'common/90-comment')}`);
  });

  it('(quirk) ends a lone set without help in "null", as Node-RED', async () => {
    await start();
    expect(await html('nodes/node-red/junction')).toBe(`<!-- --- [red-module:node-red/junction] --- -->\n${await coreHtml('common/05-junction')}null`);
    expect((await html('nodes/probe-pkg/beta')).endsWith('data-template-name="beta"></script>\nnull')).toBe(true);
    expect(sections(await html('nodes')).get('node-red/junction')).toBe(await coreHtml('common/05-junction'));
  });

  it('answers unknown sets as Node-RED: 404 not_found', async () => {
    await start();
    for (const p of ['nodes/nope/x', 'nodes/node-red/nope', 'nodes/node-red/messages']) {
      const res = await fetch(c!.url + p, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ code: 'not_found', message: 'Node not found' });
    }
  });

  it('with disableEditor reads no definition files, only help files', async () => {
    await start({ disableEditor: true });
    const bySet = sections(await html('nodes'));
    expect(bySet.get('node-red/inject')).toBe(await coreHelp('en-US', 'common/20-inject'));
    expect(bySet.get('probe-pkg/alpha')).toBe('<script type="text/html" data-help-name="alpha"><p>Alpha EN file help</p></script>');
    expect((await fetch(c!.url + 'locales/node-red?lng=en-US')).status).toBe(404);
  });
});

describe('node message catalogues', () => {
  const alphaEn = { alpha: { label: { x: 'Alpha EN', y: 'only en' } } };
  const alphaDe = { alpha: { label: { x: 'Alpha DE', y: 'only en' } } };

  it('GET /nodes/messages: every set outside the core, by set id, for the language asked', async () => {
    await start();
    expect(await json('nodes/messages?lng=en-US')).toEqual({ 'probe-pkg/alpha': alphaEn, 'probe-pkg/beta': {} });
    expect(await json('nodes/messages?lng=de')).toEqual({ 'probe-pkg/alpha': alphaDe, 'probe-pkg/beta': {} });
    expect(await json('nodes/messages?lng=de-DE')).toEqual({ 'probe-pkg/alpha': alphaDe, 'probe-pkg/beta': {} });
    expect(await json('nodes/messages?lng=de-AT')).toEqual({ 'probe-pkg/alpha': { alpha: { label: { x: 'Alpha AT', y: 'only en' } }, at: '1' }, 'probe-pkg/beta': {} });
    // no file for the language: nothing (Node-RED does not fall back to en-US here)
    for (const l of ['fr', 'xx', 'en', '']) expect(await json(`nodes/messages?lng=${l}`)).toEqual({ 'probe-pkg/alpha': {}, 'probe-pkg/beta': {} });
    // unacceptable characters: en-US
    for (const l of ['en_US', 'de%3Bq', 'de&lng=fr']) expect(await json(`nodes/messages?lng=${l}`)).toEqual({ 'probe-pkg/alpha': alphaEn, 'probe-pkg/beta': {} });
  });

  it('lists disabled sets too', async () => {
    await start();
    await fetch(c!.url + 'nodes/probe-pkg/alpha', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":false}' });
    expect(await json('nodes/messages?lng=en-US')).toEqual({ 'probe-pkg/alpha': alphaEn, 'probe-pkg/beta': {} });
  });

  it('is {} with the core sets only, with or without a language', async () => {
    await start(undefined, false);
    expect(await json('nodes/messages?lng=en-US')).toEqual({});
    expect(await json('nodes/messages')).toEqual({});
  });

  it('GET /nodes/:module/:set/messages: the set catalogue, {} for core and unknown sets', async () => {
    await start();
    expect(await json('nodes/probe-pkg/alpha/messages?lng=en-US')).toEqual(alphaEn);
    expect(await json('nodes/probe-pkg/alpha/messages?lng=de-DE')).toEqual(alphaDe);
    expect(await json('nodes/probe-pkg/alpha/messages?lng=fr')).toEqual({});
    for (const p of ['nodes/probe-pkg/beta', 'nodes/node-red/inject', 'nodes/probe-pkg/nope', 'nodes/nope/x']) expect(await json(`${p}/messages?lng=en-US`)).toEqual({});
  });

  it('(quirk) answers a catalogue request without lng with the i18n failure, once a package set exists', async () => {
    await start();
    const failure = { code: 'unexpected_error', message: "Cannot read properties of undefined (reading 'indexOf')" };
    expect(await json('nodes/messages', 400)).toEqual(failure);
    expect(await json('nodes/probe-pkg/alpha/messages', 400)).toEqual(failure);
    expect(await json('nodes/node-red/inject/messages', 400)).toEqual(failure);
  });

  it('GET /locales/<namespace>: "node-red" is the core catalogue, a set id its catalogue, "nodes" is {}', async () => {
    await start();
    const en = await coreCatalog('en-US');
    const core = await json('locales/node-red?lng=en-US');
    expect(core.inject).toEqual(en.inject);
    // plural keys in i18next v4 form, as Node-RED serves them
    expect(JSON.stringify(core)).not.toContain('_plural');
    expect(core.mqtt.state.connected_other).toBe(en.mqtt.state.connected_plural);
    expect(await json('locales/node-red.json')).toEqual(core);
    const de = await json('locales/node-red?lng=de-DE');
    expect(de.common.label).toEqual((await coreCatalog('de')).common.label);
    // ko lacks some keys: they come from en-US
    const ko = await json('locales/node-red?lng=ko');
    expect(ko.common.label.selectNodes).toBe(en.common.label.selectNodes);
    expect(await json('locales/node-red?lng=xx')).toEqual({});
    expect(await json('locales/node-red?lng=en_US')).toEqual({});
    expect(await json('locales/probe-pkg/alpha?lng=de-at')).toEqual(alphaDe);
    expect(await json('locales/probe-pkg/beta?lng=en-US')).toEqual({});
    expect(await json('locales/nodes?lng=en-US')).toEqual({});
    expect(await json('locales/nodes')).toEqual({});
  });

  it('needs nodes.read for /nodes*, while /locales is public, as the editor routes are', async () => {
    await start({ adminAuth: { type: 'credentials', users: [] } });
    for (const p of ['nodes', 'nodes/messages?lng=en-US', 'nodes/probe-pkg/alpha/messages?lng=en-US', 'nodes/node-red/inject']) {
      expect((await fetch(c!.url + p, { headers: { accept: 'text/html' } })).status).toBe(401);
    }
    expect(await json('locales/probe-pkg/alpha?lng=en-US')).toEqual(alphaEn);
    expect((await json('locales/node-red?lng=en-US')).inject).toEqual((await coreCatalog('en-US')).inject);
  });
});
