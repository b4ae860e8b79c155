// PUT /nodes/:module/:set and /nodes/:module tell the editor and the log what changed, as Node-RED 4.1.15 does
// (notification/node/disabled with the set info; notification/node/enabled with loaded and version added;
// " Enabled node types:" / " Disabled node types:" and one " - <type>" line per type).
import { afterEach, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, until, type TestClient } from '../comms/ws-client.js';

let c: Started | undefined;
let ws: TestClient | undefined;
afterEach(async () => { await ws?.close(); await c?.stop(); });

const put = (url: string, path: string, body: unknown) =>
  fetch(url + path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

it('notifies and logs each set whose state changed', async () => {
  c = await startCrimson();
  ws = await openComms(commsUrl(c.url));
  ws.send({ subscribe: 'notification/#' });
  const notes = () => ws!.messages().filter((m) => m.topic.startsWith('notification/node/'));

  expect((await put(c.url, 'nodes/node-red/sort', { enabled: false })).status).toBe(200);
  await until(() => notes().length === 1);
  expect(notes()[0]).toEqual({ topic: 'notification/node/disabled', data: { id: 'node-red/sort', name: 'sort', types: ['sort'], enabled: false, local: false, user: false, module: 'node-red' } });

  expect((await put(c.url, 'nodes/node-red/sort', { enabled: true })).status).toBe(200);
  await until(() => notes().length === 2);
  expect(notes()[1]).toEqual({ topic: 'notification/node/enabled', data: { id: 'node-red/sort', name: 'sort', types: ['sort'], enabled: true, local: false, user: false, module: 'node-red', loaded: true, version: '4.1.15' } });

  // nothing changes, nothing is said
  expect((await put(c.url, 'nodes/node-red', { enabled: true })).status).toBe(200);
  expect((await put(c.url, 'nodes/node-red/sort', { enabled: true })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 200));
  expect(notes()).toHaveLength(2);
  const lines = c.logs.map((l) => l.replace(/^.* - \[info\] /, ''));
  expect(lines.filter((l) => / (Enabled|Disabled) node types:| - sort$/.test(l))).toEqual([' Disabled node types:', ' - sort', ' Enabled node types:', ' - sort']);
});

it("leaves a disabled set's exportable settings out of GET /settings, as Node-RED does", async () => {
  c = await startCrimson();
  const keys = async () => Object.keys(await (await fetch(c!.url + 'settings')).json());
  expect(await keys()).toContain('tlsConfigDisableLocalFiles');
  expect((await put(c.url, 'nodes/node-red/tls', { enabled: false })).status).toBe(200);
  expect(await keys()).not.toContain('tlsConfigDisableLocalFiles');
  expect((await put(c.url, 'nodes/node-red/tls', { enabled: true })).status).toBe(200);
  expect(await keys()).toContain('tlsConfigDisableLocalFiles');
});
