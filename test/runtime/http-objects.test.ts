// The server's request/response classes: they inherit from the node app's Express prototypes, so an
// `http in` request served by the short way never has its prototype changed (Object.setPrototypeOf on
// each request slowed a plain Node server by more than half), yet it has Express's API; requests that
// take the full Express way (admin routes, a node's own route) are served as before.
import { afterEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import express from 'express';
import { createServerObjects, ensurePrototype } from '../../src/runtime/http-objects.js';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { RED } from '../../src/registry/red-types.js';

let c: Started | undefined;
let server: http.Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await c?.stop(); c = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r())); server = undefined;
});

describe('createServerObjects', () => {
  it('makes requests and responses that are Node\'s and inherit from the app\'s Express prototypes', async () => {
    const app = express();
    const objects = createServerObjects();
    objects.inheritFrom(app);
    let seen: Record<string, unknown> = {};
    server = http.createServer(objects.options, (req, res) => {
      const before = Object.getPrototypeOf(req);
      ensurePrototype(req, (app as unknown as { request: object }).request);
      const r = req as unknown as express.Request;
      seen = {
        incoming: req instanceof http.IncomingMessage, response: res instanceof http.ServerResponse,
        app: r.app === app, get: r.get('x-test'), kept: Object.getPrototypeOf(req) === before,
        json: typeof (res as unknown as express.Response).json,
      };
      res.end('ok');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-test': 'yes' } });
    expect(await res.text()).toBe('ok');
    expect(seen).toEqual({ incoming: true, response: true, app: true, get: 'yes', kept: true, json: 'function' });
  });

  it('gives each server classes of its own', () => {
    const a = createServerObjects(), b = createServerObjects();
    const appA = express(), appB = express();
    a.inheritFrom(appA); b.inheritFrom(appB);
    const reqA = Object.create(a.options.IncomingMessage.prototype) as { app: unknown };
    const reqB = Object.create(b.options.IncomingMessage.prototype) as { app: unknown };
    expect(reqA.app).toBe(appA);
    expect(reqB.app).toBe(appB);
  });

  it('ensurePrototype sets a prototype the object does not inherit from', () => {
    const proto = { kind: 'p' };
    const o: Record<string, unknown> = {};
    ensurePrototype(o, proto);
    expect(Object.getPrototypeOf(o)).toBe(proto);
    const child = Object.create(Object.create(proto));
    const before = Object.getPrototypeOf(child);
    ensurePrototype(child, proto);
    expect(Object.getPrototypeOf(child)).toBe(before);
  });
});

describe('the runtime server', () => {
  const flows = [
    { id: 't', type: 'tab', label: 't' },
    { id: 'in', type: 'http in', z: 't', url: '/who', method: 'post', x: 1, y: 1, wires: [['fn']] },
    { id: 'fn', type: 'function', z: 't', func: 'msg.payload = { ct: msg.req.get("content-type"), body: msg.payload, base: msg.req.baseUrl };\nreturn msg;', outputs: 1, x: 1, y: 1, wires: [['out']] },
    { id: 'out', type: 'http response', z: 't', x: 1, y: 1, wires: [] },
  ];

  it('serves an http in request without changing the prototype of its request or response', async () => {
    c = await startCrimson({ flows });
    await new Promise((r) => setTimeout(r, 50));
    const spy = vi.spyOn(Object, 'setPrototypeOf');
    const res = await fetch(c.url + 'who', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ct: 'application/json', body: { a: 1 }, base: '' });
    const changed = spy.mock.calls.filter(([o]) => o instanceof http.IncomingMessage || o instanceof http.ServerResponse);
    expect(changed).toEqual([]);
  });

  it('still serves the full Express way: a route a node adds to RED.httpNode sees Express\'s request', async () => {
    c = await startCrimson({ flows });
    await c.runtime.loadNodeModule({ name: 'own-route', version: '1.0.0' }, {
      own: (R: RED) => {
        R.httpNode.get('/own/:x', (req: express.Request, res: express.Response) => {
          res.json({ x: req.params.x, q: req.query.q, app: req.app === R.httpNode, url: req.originalUrl });
        });
      },
    });
    const res = await fetch(c.url + 'own/7?q=1');
    expect(await res.json()).toEqual({ x: '7', q: '1', app: true, url: '/own/7?q=1' });
    const admin = await fetch(c.url + 'settings');
    expect(admin.status).toBe(200);
  });
});
