// POST /nodes (upload, registry) and DELETE /nodes/:module on a running Crimson: the module loads without a
// restart, its type runs in a deploy, the editor is told (notification/node/added|removed), and the
// refusals Node-RED answers (module_already_loaded, type_in_use, invalid_request, unknown/core modules).
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, until, type TestClient } from '../comms/ws-client.js';
import { FIXTURE_NAME, packFixture, removeTemps } from '../registry/installer/helpers.js';

const upload = async (url: string, tgz: string, extra: Record<string, string> = {}) => {
  const form = new FormData();
  form.append('tarball', new Blob([await fs.readFile(tgz)]), path.basename(tgz));
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return fetch(url + 'nodes', { method: 'POST', body: form });
};
const post = (url: string, body: unknown) => fetch(url + 'nodes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const del = (url: string, module: string) => fetch(url + 'nodes/' + module, { method: 'DELETE' });

const passThrough = [
  { id: 't', type: 'tab', label: 'T' },
  { id: 'in', type: 'http in', z: 't', url: '/fx', method: 'get', wires: [['fx']] },
  { id: 'fx', type: FIXTURE_NAME.replace('node-red-contrib-', ''), z: 't', wires: [['ch']] },
  { id: 'ch', type: 'change', z: 't', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'through the fixture', tot: 'str' }], wires: [['out']] },
  { id: 'out', type: 'http response', z: 't', wires: [] },
];

describe('installing and removing node modules', () => {
  let c: Started | undefined;
  let ws: TestClient | undefined;
  afterEach(async () => { await ws?.close(); ws = undefined; await c?.stop(); c = undefined; });
  afterAll(removeTemps);

  it('installs an uploaded .tgz, runs it at once, tells the editor, and removes it', async () => {
    c = await startCrimson();
    ws = await openComms(commsUrl(c.url));
    ws.send({ subscribe: 'notification/#' });
    const tgz = await packFixture();

    const res = await upload(c.url, tgz);
    expect(res.status).toBe(200);
    const info = await res.json();
    expect(info).toMatchObject({
      name: FIXTURE_NAME, version: '1.0.0', local: true, user: true,
      nodes: [{ id: `${FIXTURE_NAME}/fixture`, name: 'fixture', types: ['crimson-fixture'], enabled: true, local: true, user: false, module: FIXTURE_NAME, version: '1.0.0' }],
    });
    expect(info.path).toBe(path.join(c.userDir, 'node_modules', FIXTURE_NAME));
    const pkg = JSON.parse(await fs.readFile(path.join(c.userDir, 'package.json'), 'utf8'));
    expect(pkg.dependencies[FIXTURE_NAME]).toMatch(/^file:|^~/);
    await until(() => ws!.messages().some((m) => m.topic === 'notification/node/added'));
    const added = ws.messages().find((m) => m.topic === 'notification/node/added')!.data as Array<{ id: string; types: string[] }>;
    expect(added.map((s) => [s.id, s.types])).toEqual([[`${FIXTURE_NAME}/fixture`, ['crimson-fixture']]]);
    expect(c.logs.some((l) => l.includes(`Added node types:`))).toBe(true);
    expect(c.logs.some((l) => l.includes(` - ${FIXTURE_NAME}:crimson-fixture`))).toBe(true);

    // the new type runs in a deploy straight away, and the editor gets its definition
    await c.deploy(passThrough);
    expect(await (await fetch(c.url + 'fx')).text()).toBe('through the fixture');
    expect(await (await fetch(c.url + 'nodes')).text()).toContain('data-template-name="crimson-fixture"');

    // installed by the user and loaded: asking again is refused
    const again = await post(c.url, { module: FIXTURE_NAME });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ code: 'module_already_loaded', message: 'Module already loaded' });

    // in use: not removed
    const inUse = await del(c.url, FIXTURE_NAME);
    expect(inUse.status).toBe(400);
    expect(await inUse.json()).toEqual({ code: 'type_in_use', message: 'Type in use: crimson-fixture' });

    await c.deploy([{ id: 't', type: 'tab', label: 'T' }]);
    const gone = await del(c.url, FIXTURE_NAME);
    expect(gone.status).toBe(204);
    await until(() => ws!.messages().some((m) => m.topic === 'notification/node/removed'));
    const removed = ws.messages().find((m) => m.topic === 'notification/node/removed')!.data as Array<{ id: string; enabled: boolean }>;
    expect(removed).toMatchObject([{ id: `${FIXTURE_NAME}/fixture`, enabled: false, types: ['crimson-fixture'] }]);
    expect((await fetch(c.url + 'nodes/' + FIXTURE_NAME)).status).toBe(404);
    const after = JSON.parse(await fs.readFile(path.join(c.userDir, 'package.json'), 'utf8'));
    expect(after.dependencies?.[FIXTURE_NAME]).toBeUndefined();
    await expect(fs.stat(path.join(c.userDir, 'node_modules', FIXTURE_NAME))).rejects.toThrow();

    // and it can be installed again (its code is loaded afresh)
    expect((await upload(c.url, tgz)).status).toBe(200);
    await c.deploy(passThrough);
    expect(await (await fetch(c.url + 'fx')).text()).toBe('through the fixture');
  });

  it("answers Node-RED's refusals", async () => {
    c = await startCrimson();
    const noModule = await post(c.url, {});
    expect(noModule.status).toBe(400);
    expect(await noModule.json()).toEqual({ code: 'invalid_request', message: 'Invalid request' });

    const both = await upload(c.url, await packFixture(), { module: FIXTURE_NAME });
    expect(both.status).toBe(400);
    expect(await both.json()).toEqual({ code: 'invalid_request', message: 'Invalid request' });

    const core = await del(c.url, 'node-red');
    expect(core.status).toBe(400);
    expect(await core.json()).toEqual({ code: 'unexpected_error', message: 'Unrecognised module: node-red' });

    const unknown = await del(c.url, 'no-such-module');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 'not_found', message: 'Module not found' });
  });

  it('has no install route when externalModules.palette.allowInstall is false', async () => {
    c = await startCrimson({ settings: { externalModules: { palette: { allowInstall: false } } } });
    expect((await post(c.url, { module: 'node-red-node-random' })).status).toBe(404);
    expect((await fetch(c.url + 'nodes', { headers: { accept: 'application/json' } })).status).toBe(200);
  });

  it('installs a module from the npm registry and runs its node', async () => {
    c = await startCrimson();
    const res = await post(c.url, { module: 'node-red-node-random', version: '0.4.1' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'node-red-node-random', version: '0.4.1', user: true, nodes: [{ types: ['random'] }] });
    await c.deploy([
      { id: 't', type: 'tab', label: 'T' },
      { id: 'in', type: 'http in', z: 't', url: '/rnd', method: 'get', wires: [['r']] },
      { id: 'r', type: 'random', z: 't', low: '5', high: '7', inte: 'true', property: 'payload', wires: [['out']] },
      { id: 'out', type: 'http response', z: 't', wires: [] },
    ]);
    for (let i = 0; i < 5; i++) expect([5, 6, 7]).toContain(Number(await (await fetch(c.url + 'rnd')).text()));
  }, 120_000);
});
