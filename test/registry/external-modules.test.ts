// functionExternalModules as Node-RED 4.1.15 runs it: a function node's `libs` module that the userDir does not
// have is installed into it with npm when the flows start (package.json dependency), then the function loads
// it; when it cannot be installed (not found, installs off) the flows stay stopped with Node-RED's log lines
// and runtime-state notification. RED.require / RED.import load only built-ins and the userDir's dependencies.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, until, type TestClient } from '../comms/ws-client.js';

const flowWith = (module: string) => [
  { id: 't', type: 'tab', label: 'T' },
  { id: 'in', type: 'http in', z: 't', url: '/lib', method: 'get', wires: [['f']] },
  {
    id: 'f', type: 'function', z: 't', name: '', func: "msg.payload = String(ms('2h')); return msg;", outputs: 1, timeout: 0,
    noerr: 0, initialize: '', finalize: '', libs: [{ var: 'ms', module }], wires: [['out']],
  },
  { id: 'out', type: 'http response', z: 't', wires: [] },
];

describe('external modules of function nodes', () => {
  let c: Started | undefined;
  let ws: TestClient | undefined;
  afterEach(async () => { await ws?.close(); ws = undefined; await c?.stop(); c = undefined; });

  it('installs a missing module into the userDir when the flows start, and the function uses it', async () => {
    c = await startCrimson();
    await c.deploy(flowWith('ms'));
    await until(() => c!.logs.some((l) => l.includes('Started flows')), 60_000);
    expect(await (await fetch(c.url + 'lib')).text()).toBe('7200000');
    const pkg = JSON.parse(await fs.readFile(path.join(c.userDir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['ms']);
    expect(c.logs.some((l) => l.includes('[info] Installing module: ms, version: latest'))).toBe(true);
    expect(c.logs.some((l) => l.includes('[info] Installed module: ms'))).toBe(true);
    // a module already there is not installed again
    const before = c.logs.length;
    await c.deploy([...flowWith('ms'), { id: 'c1', type: 'comment', z: 't', name: 'redeploy' }]);
    expect(c.logs.slice(before).some((l) => l.includes('Installing module'))).toBe(false);
    expect(await (await fetch(c.url + 'lib')).text()).toBe('7200000');
  }, 120_000);

  it('keeps the flows stopped when a module cannot be installed, with Node-RED\'s log and notification', async () => {
    c = await startCrimson();
    ws = await openComms(commsUrl(c.url));
    ws.send({ subscribe: 'notification/#' });
    await c.deploy(flowWith('crimson-no-such-package-xyz'));
    await until(() => c!.logs.some((l) => l.includes('Failed to load external modules required by this flow:')), 60_000);
    expect(c.logs.some((l) => l.includes(' - crimson-no-such-package-xyz [404]'))).toBe(true);
    await until(() => ws!.messages().some((m) => m.topic === 'notification/runtime-state' && (m.data as { error?: string }).error === 'missing-modules'));
    const note = ws.messages().filter((m) => m.topic === 'notification/runtime-state').pop()!.data;
    expect(note).toEqual({
      state: 'stop', error: 'missing-modules', type: 'warning', text: 'notification.warnings.missing-modules',
      modules: [{ module: 'crimson-no-such-package-xyz', error: 404 }],
    });
    expect((await fetch(c.url + 'lib')).status).toBe(404);
    await expect(fs.stat(path.join(c.userDir, 'node_modules', 'crimson-no-such-package-xyz'))).rejects.toThrow();
  }, 120_000);

  it('installs nothing when externalModules.modules.allowInstall is false', async () => {
    c = await startCrimson({ settings: { externalModules: { modules: { allowInstall: false } } } });
    await c.deploy(flowWith('ms'));
    await until(() => c!.logs.some((l) => l.includes(' - ms [install_not_allowed]')), 10_000);
    await expect(fs.stat(path.join(c.userDir, 'package.json'))).rejects.toThrow();
  });

  it('checks the function nodes inside a subflow module too', async () => {
    c = await startCrimson({ settings: { externalModules: { modules: { allowInstall: false } } } });
    const inner = flowWith('ms')[2]!;
    await c.runtime.loadNodeModule({ name: 'sf-with-libs', version: '1.0.0' }, {
      s: (RED) => RED.nodes.registerSubflow({
        id: 'sfl', type: 'subflow', name: 'With libs', in: [{ wires: [{ id: 'f' }] }], out: [{ wires: [{ id: 'f', port: 0 }] }],
        meta: { type: 'sf-libs' }, flow: [{ ...inner, z: 'sfl', x: 1, y: 1 }],
      }),
    });
    await c.deploy([{ id: 't', type: 'tab', label: 'T' }, { id: 'i', type: 'sf-libs', z: 't', x: 1, y: 1, wires: [[]] }]);
    await until(() => c!.logs.some((l) => l.includes(' - ms [install_not_allowed]')), 10_000);
  });

  it('lets RED.require / RED.import load built-ins and the userDir dependencies only', async () => {
    c = await startCrimson();
    const seen: Record<string, unknown> = {};
    await c.runtime.loadNodeModule({ name: 'probe-require', version: '1.0.0' }, {
      p: async (RED) => {
        seen.crypto = typeof (RED.require('node:crypto') as { createHash?: unknown }).createHash;
        seen.os = typeof ((await RED.import('os')) as { default: { platform: unknown } }).default.platform;
        try { RED.require('express'); } catch (err) { seen.express = (err as { code?: string }).code; }
        await RED.import('ws').catch((err: { code?: string }) => { seen.ws = err.code; });
      },
    });
    expect(seen).toEqual({ crypto: 'function', os: 'function', express: 'module_not_allowed', ws: 'module_not_allowed' });
  });
});
