// The user's example flow ../shared/flows/todo-api.json (copied to test/flows/fixtures) deploys and answers
// exactly as Node-RED 4.1.15 answers it (status, content type, body), recorded from a running Node-RED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

let c: Started;
beforeAll(async () => {
  c = await startCrimson();
  const flows = JSON.parse(await readFile(new URL('./fixtures/todo-api.json', import.meta.url), 'utf8'));
  const res = await fetch(c.url + 'flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flows) });
  expect(res.status).toBe(204);
});
afterAll(async () => { await c.stop(); });

async function call(method: string, path: string, body?: unknown, type = 'application/json') {
  const res = await fetch(c.url + path.replace(/^\//, ''), {
    method, headers: body === undefined ? {} : { 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), body: await res.text() };
}

describe('todo REST API flow', () => {
  it('answers each endpoint as Node-RED does', async () => {
    expect(await call('GET', '/test')).toEqual({ status: 200, type: null, length: '0', body: '' });
    expect(await call('POST', '/todo', { id: 1, task: 'a' })).toEqual({ status: 201, type: 'application/json; charset=utf-8', length: '19', body: '{"id":1,"task":"a"}' });
    expect(await call('GET', '/test')).toEqual({ status: 200, type: 'application/json; charset=utf-8', length: '21', body: '[{"id":1,"task":"a"}]' });
    expect(await call('PUT', '/todo/update', { id: 1, newtodo: 'b' })).toEqual({ status: 200, type: 'text/html; charset=utf-8', length: '26', body: 'Item updated successfully.' });
    // the response node's configured 200 beats the function's msg.statusCode = 404
    expect(await call('PUT', '/todo/update', { id: 7, newtodo: 'b' })).toEqual({ status: 200, type: 'text/html; charset=utf-8', length: '15', body: 'Item not found.' });
    expect(await call('GET', '/test?x=1')).toEqual({ status: 200, type: 'application/json; charset=utf-8', length: '21', body: '[{"id":1,"task":"b"}]' });
    expect((await call('DELETE', '/todo/delete', { id: 1 })).status).toBe(204);
    expect((await call('DELETE', '/todo/delete', { id: 1 })).status).toBe(204);
    expect(await call('GET', '/test')).toEqual({ status: 200, type: 'application/json; charset=utf-8', length: '2', body: '[]' });
  });

  it('takes multipart uploads on POST /todo', async () => {
    const form = new FormData();
    form.append('id', '5');
    form.append('task', 'x');
    const res = await fetch(c.url + 'todo', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('{"id":"5","task":"x"}');
  });

  it('answers an unknown path with Express\'s 404 page', async () => {
    const res = await call('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body).toContain('<pre>Cannot GET /nope</pre>');
  });
});
