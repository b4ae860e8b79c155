// GET /settings and /diagnostics, against the shapes Node-RED 4.1.15 answers.
import { afterEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

describe('GET /settings', () => {
  it('answers the runtime settings the editor reads', async () => {
    c = await startCrimson();
    const s = await (await fetch(c.url + 'settings')).json();
    expect(s.httpNodeRoot).toBe('/');
    expect(s.version).toBe('4.1.15');
    expect(s.context).toEqual({ default: 'memory', stores: ['memory'] });
    expect(s.flowEncryptionType).toBe('system');
    expect(s.diagnostics).toEqual({ enabled: true, ui: true });
    expect(s.runtimeState).toEqual({ enabled: false, ui: false });
    expect(s.functionExternalModules).toBe(true);
    expect(s.functionTimeout).toBe(0);
    expect(s.editorTheme.languages).toContain('en-US');
    // Node-RED 4.1.15 passes projects on only when settings.editorTheme has it
    expect(s.editorTheme).toEqual({ languages: ['de', 'en-US', 'es-ES', 'fr', 'ja', 'ko', 'pt-BR', 'ru', 'zh-CN', 'zh-TW'] });
    expect(s).not.toHaveProperty('user');
    expect(Object.keys(s).slice(0, 2)).toEqual(['httpNodeRoot', 'version']);
  });

  it('reports a user secret and the settings node types export', async () => {
    c = await startCrimson({ settings: { credentialSecret: 'k', functionTimeout: 5, diagnostics: { enabled: false } } });
    const s = await (await fetch(c.url + 'settings')).json();
    expect(s.flowEncryptionType).toBe('user');
    expect(s.functionTimeout).toBe(5);
    expect(s.diagnostics).toEqual({ enabled: false, ui: false });
  });

  it('stores user settings per user', async () => {
    c = await startCrimson();
    expect(await (await fetch(c.url + 'settings/user')).json()).toEqual({});
    const res = await fetch(c.url + 'settings/user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ editor: { view: { grid: true } }, __proto__: { polluted: 1 } }) });
    expect(res.status).toBe(204);
    expect(await (await fetch(c.url + 'settings/user')).json()).toEqual({ editor: { view: { grid: true } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('GET /diagnostics', () => {
  it('answers the basic report', async () => {
    c = await startCrimson();
    const d = await (await fetch(c.url + 'diagnostics')).json();
    expect(d.report).toBe('diagnostics');
    expect(d.scope).toBe('basic');
    expect(d.runtime.version).toBe('4.1.15');
    expect(d.runtime.flows).toEqual({ state: 'start', started: true });
    expect(d.runtime.settings.adminAuth).toBe('UNSET');
    expect(d.runtime.settings.uiHost).toBe('SET');
    expect(d.nodejs.version).toBe(process.version);
    expect(JSON.stringify(d)).not.toContain(c.userDir);
  });

  it('is refused when diagnostics are disabled', async () => {
    c = await startCrimson({ settings: { diagnostics: { enabled: false } } });
    const res = await fetch(c.url + 'diagnostics');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 'diagnostics.disabled', message: 'diagnostics are disabled' });
  });
});

// Differential audit against Node-RED 4.1.15: each expectation below is the answer Node-RED gave.
describe('GET /settings as Node-RED 4.1.15 builds it', () => {
  const LANGS = ['de', 'en-US', 'es-ES', 'fr', 'ja', 'ko', 'pt-BR', 'ru', 'zh-CN', 'zh-TW'];
  const themed = {
    flowFilePretty: true, paletteCategories: ['x'], nodeDefaults: { debug: { x: 1 } }, externalModules: { palette: { allowInstall: false } },
    diagnostics: { enabled: true, ui: false }, telemetry: { enabled: false }, credentialSecret: false as const,
    editorTheme: {
      page: { title: 'P' }, header: { title: 'H' }, login: { message: 'M' }, deployButton: { type: 'simple', label: 'Go' }, userMenu: false,
      menu: { 'menu-item-help': { label: 'x' } }, palette: { editable: false, categories: ['a', 'b'] }, projects: { enabled: false }, keymap: { a: 1 },
      theme: 'dark', tours: false, help: { x: 1 }, codeEditor: { lib: 'ace' }, markdownEditor: {}, mermaid: { theme: 'x' }, multiplayer: { enabled: true },
    },
  };
  const nodeRedAnswer = (telemetryEnabled: boolean) => ({
    httpNodeRoot: '/', version: '4.1.15', context: { default: 'memory', stores: ['memory'] },
    codeEditor: { lib: 'ace', options: {} }, markdownEditor: { mermaid: { enabled: true } }, mermaid: { theme: 'x' },
    libraries: [{ id: 'local', label: 'editor:library.types.local', user: false, icon: 'font-awesome/fa-hdd-o' }, { id: 'examples', label: 'editor:library.types.examples', user: false, icon: 'font-awesome/fa-life-ring', types: ['flows'], readOnly: true }],
    paletteCategories: ['x'], flowFilePretty: true, externalModules: { palette: { allowInstall: false, allowUpload: false } },
    flowEncryptionType: 'disabled', diagnostics: { enabled: true, ui: false }, telemetryEnabled, runtimeState: { enabled: false, ui: false },
    nodeDefaults: { debug: { x: 1 } }, functionExternalModules: true, functionTimeout: 0, tlsConfigDisableLocalFiles: false,
    editorTheme: {
      deployButton: { label: 'Go', type: 'simple' }, userMenu: false, menu: { 'menu-item-help': { label: 'x' } }, palette: { editable: false, categories: { order: ['a', 'b'] } },
      projects: { enabled: false }, multiplayer: { enabled: true }, keymap: { a: 1 }, theme: 'dark', tours: { x: 1 }, languages: LANGS,
    },
  });

  it('passes on only the editor part of editorTheme, in Node-RED key order', async () => {
    c = await startCrimson({ settings: themed });
    const text = await (await fetch(c.url + 'settings')).text();
    expect(text).toBe(JSON.stringify(nodeRedAnswer(false)));
  });

  it('stores the telemetry opt-in runtime-wide as a boolean', async () => {
    c = await startCrimson({ settings: themed });
    const res = await fetch(c.url + 'settings/user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ telemetryEnabled: 'yes' }) });
    expect(res.status).toBe(204);
    expect(await (await fetch(c.url + 'settings')).json()).toEqual(nodeRedAnswer(true));
    expect(await (await fetch(c.url + 'settings/user')).json()).toEqual({});
  });

  it('answers only root, version (and user) with the editor disabled, and has no /settings/user', async () => {
    c = await startCrimson({ settings: { disableEditor: true, httpNodeRoot: false } });
    expect(await (await fetch(c.url + 'settings')).json()).toEqual({ httpNodeRoot: '/', version: '4.1.15' });
    expect((await fetch(c.url + 'settings/user')).status).toBe(404);
    expect((await fetch(c.url + 'settings/user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });
});

describe('GET /settings after the palette installer\'s start check, as Node-RED 4.1.15', () => {
  const palette = async () => ((await (await fetch(c!.url + 'settings')).json()) as { externalModules?: unknown }).externalModules;

  it('turns uploads off too when the settings turn installs off', async () => {
    c = await startCrimson({ settings: { externalModules: { palette: { allowInstall: false }, modules: { allowInstall: true } } } });
    expect(await palette()).toEqual({ modules: { allowInstall: true }, palette: { allowInstall: false, allowUpload: false } });
  });

  it('turns installs and uploads off when npm cannot be found, and leaves them as set when it is there', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(os.tmpdir(), 'crimson-no-such-dir');
    try {
      c = await startCrimson();
      await expect.poll(palette, { timeout: 10_000 }).toEqual({ palette: { allowInstall: false, allowUpload: false } });
    } finally {
      process.env.PATH = saved;
    }
    await c.stop();
    // npm is on the PATH here: found from its package.json while the runtime starts
    c = await startCrimson();
    expect(await palette()).toBeUndefined();
  });
});

describe('POST /settings/user merging as Node-RED 4.1.15', () => {
  const post = (body: string, type = 'application/json') => fetch(c!.url + 'settings/user', { method: 'POST', headers: { 'content-type': type }, body });

  it('merges arrays as index keys, takes keys last to first, deletes nulls', async () => {
    c = await startCrimson();
    expect((await post('[1,2]')).status).toBe(204);
    await post(JSON.stringify({ a: { b: 1, c: [1] }, d: 'x' }));
    await post(JSON.stringify({ a: { c: [2], e: null }, d: null }));
    await post('f=1&g[h]=2', 'application/x-www-form-urlencoded');
    expect(await (await fetch(c.url + 'settings/user')).text()).toBe('{"0":1,"1":2,"a":{"b":1,"c":[2]},"g":{"h":"2"},"f":"1"}');
  });
});

describe('GET /diagnostics settings as Node-RED 4.1.15 reports them', () => {
  it('reports raw values or UNSET, and SET/UNSET flags, in Node-RED order', async () => {
    c = await startCrimson({ settings: { apiMaxLength: '5mb', flowFile: 'flows.json', httpAdminRoot: '/', httpNodeRoot: '/', disableEditor: false } });
    const d = await (await fetch(c.url + 'diagnostics')).json();
    expect(d.runtime.settings).toEqual({
      available: true, apiMaxLength: '5mb', disableEditor: false, contextStorage: {}, debugMaxLength: 'UNSET', editorTheme: 'UNSET',
      flowFile: 'flows.json', mqttReconnectTime: 'UNSET', serialReconnectTime: 'UNSET', socketReconnectTime: 'UNSET', socketTimeout: 'UNSET',
      tcpMsgQueueSize: 'UNSET', inboundWebSocketTimeout: 'UNSET', runtimeState: 'UNSET', adminAuth: 'UNSET', httpAdminRoot: '/', httpAdminCors: 'UNSET',
      httpNodeAuth: 'UNSET', httpNodeRoot: '/', httpNodeCors: 'UNSET', httpStatic: 'UNSET', httpStaticRoot: 'UNSET', httpStaticCors: 'UNSET',
      uiHost: 'SET', uiPort: 'UNSET', userDir: 'SET', nodesDir: 'UNSET',
    });
    expect(Object.keys(d.runtime.settings).slice(12, 16)).toEqual(['inboundWebSocketTimeout', 'runtimeState', 'adminAuth', 'httpAdminRoot']);
  });
});
