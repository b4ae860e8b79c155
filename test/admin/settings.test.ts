// GET /settings and /diagnostics, against the shapes Node-RED 4.1.15 answers.
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(s.editorTheme.projects).toEqual({ enabled: false });
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
    expect(d.runtime.settings.uiPort).toBe('SET');
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
