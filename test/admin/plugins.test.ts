// GET /plugins*, answered as Node-RED 4.1.15 answers them when no editor plugin is installed (checked against it).
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Started } from '../helpers/start-crimson.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const get = async (p: string, accept = 'application/json') => {
  const res = await fetch(c!.url + p, { headers: { accept } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('GET /plugins', () => {
  it('lists no plugins as JSON and answers empty HTML', async () => {
    c = await startCrimson();
    expect(await get('plugins')).toMatchObject({ status: 200, text: '[]' });
    const html = await get('plugins', 'text/html');
    expect(html).toMatchObject({ status: 200, text: '' });
    expect(html.type).toMatch(/^text\/html/);
  });

  it('has no catalogues, with or without a language', async () => {
    c = await startCrimson();
    for (const p of ['plugins/messages?lng=en-US', 'plugins/messages?lng=de', 'plugins/messages', 'plugins/messages/']) {
      expect(await get(p)).toMatchObject({ status: 200, text: '{}' });
    }
  });

  it('answers a module with its info, as GET /nodes/:module; unknown → 404', async () => {
    c = await startCrimson();
    const nodes = await get('nodes/node-red');
    for (const accept of ['application/json', 'text/html']) {
      const res = await get('plugins/node-red', accept);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual(JSON.parse(nodes.text));
    }
    const nope = await get('plugins/nope', 'text/html');
    expect(nope.status).toBe(404);
    expect(JSON.parse(nope.text)).toEqual({ code: 'not_found', message: 'Module not found' });
    // only the exact /plugins/messages is the catalogue route
    expect((await get('plugins/messagesX')).status).toBe(404);
  });

  it('answers a plugin of a module as Node-RED: none exists', async () => {
    c = await startCrimson();
    await c.runtime.loadNodeModule({ name: 'plugin-less', version: '1.0.0' }, { a: () => {} });
    for (const p of ['plugins/nope/x', 'plugins/plugin-less/a']) {
      const res = await get(p);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text)).toEqual({ code: 'not_found', message: 'Plugin not found' });
      expect(await get(p, 'text/html')).toMatchObject({ status: 200, text: '' });
    }
    // (quirk) the core module has no plugin table: Node-RED fails looking into it
    for (const accept of ['application/json', 'text/html']) {
      const res = await get('plugins/node-red/inject', accept);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({ code: 'unexpected_error', message: "Cannot read properties of undefined (reading 'inject')" });
    }
  });

  it('needs plugins.read when adminAuth is on', async () => {
    c = await startCrimson({ settings: { adminAuth: { type: 'credentials', users: [] } } });
    for (const p of ['plugins', 'plugins/messages', 'plugins/node-red', 'plugins/nope/x']) expect((await get(p)).status).toBe(401);
  });
});
