import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { rawRequest } from './http/harness.js';

// The shared todo-api.json flow (copied as http/todo-api.flow.json) deployed into a real Crimson; every answer below is what Node-RED 4.1.15
// gave for the same sequence of requests (the delete/update nodes' own status codes beat msg.statusCode).
const FLOW_FILE = fileURLToPath(new URL('./http/todo-api.flow.json', import.meta.url));
let crimson: Started;

beforeAll(async () => {
  crimson = await startCrimson({ flows: JSON.parse(await fs.readFile(FLOW_FILE, 'utf8')) });
});
afterAll(async () => { await crimson.stop(); });

const send = (method: string, path: string, body?: unknown) => rawRequest(crimson.url + path, {
  method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});
const withoutCors = (headers: Array<[string, string]>) => headers.filter(([k]) => k !== 'Access-Control-Allow-Origin');

describe('todo-api flow over HTTP', () => {
  it('answers the same sequence of requests as Node-RED', async () => {
    const empty = await send('GET', 'test');
    expect([empty.status, withoutCors(empty.headers), empty.text]).toEqual([200, [['content-length', '0']], '']);

    const created = await send('POST', 'todo', { id: 1, task: 'a' });
    expect([created.status, created.text]).toEqual([201, '{"id":1,"task":"a"}']);
    expect(withoutCors(created.headers)).toEqual([
      ['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'application/json; charset=utf-8'],
      ['Content-Length', '19'], ['ETag', 'W/"13-+NGLMu4IwVdaI8rAHKTNqDptD6g"'],
    ]);
    expect((await send('POST', 'todo', { id: 2, task: 'b' })).status).toBe(201);

    const list = await send('GET', 'test');
    expect([list.status, list.text]).toEqual([200, '[{"id":1,"task":"a"},{"id":2,"task":"b"}]']);
    expect(withoutCors(list.headers)).toContainEqual(['ETag', 'W/"29-8n7gNZK1YkgFdyinaGCwMnByqBE"']);

    const updated = await send('PUT', 'todo/update', { id: 1, newtodo: 'z' });
    expect([updated.status, updated.text]).toEqual([200, 'Item updated successfully.']);
    expect(withoutCors(updated.headers)).toEqual([
      ['Content-Length', '26'], ['Content-Type', 'text/html; charset=utf-8'], ['ETag', 'W/"1a-5qIcUrGG1wjgWopMh4WbViRF6Tc"'],
    ]);
    const notFound = await send('PUT', 'todo/update', { id: 9, newtodo: 'z' });
    expect([notFound.status, notFound.text]).toEqual([200, 'Item not found.']);

    const deleted = await send('DELETE', 'todo/delete', { id: 2 });
    expect([deleted.status, withoutCors(deleted.headers), deleted.text]).toEqual([204, [['ETag', 'W/"1a-bRsOe/KN9f5IwEBjtdgcdJQrXPE"']], '']);
    const again = await send('DELETE', 'todo/delete', { id: 2 });
    expect([again.status, withoutCors(again.headers)]).toEqual([204, [['ETag', 'W/"f-qWz83HnCrcw8fgDREzRiz5wJSK4"']]]);

    const final = await send('GET', 'test');
    expect(final.text).toBe('[{"id":1,"task":"z"}]');
  });

  it('gives Access-Control-Allow-Origin on http in answers when admin and node roots are both / (A0.2)', async () => {
    expect((await send('GET', 'test')).headers[0]).toEqual(['Access-Control-Allow-Origin', '*']);
  });

  it('stops serving a route after a redeploy without it, and serves it again after redeploying it', async () => {
    const flows = JSON.parse(await fs.readFile(FLOW_FILE, 'utf8')) as Array<Record<string, unknown>>;
    await crimson.deploy(flows.filter((n) => n.url !== '/test'));
    expect((await send('GET', 'test')).status).toBe(404);
    await crimson.deploy(flows);
    expect((await send('GET', 'test')).status).toBe(200);
  });
});
