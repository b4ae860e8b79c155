// Crimson loads Node-RED's implementation of http request, http proxy, tls-config and the websocket nodes the
// first time a flow uses them, and http request's module registers its type only after an await: the editor
// must not see that. A first deploy of them is a plain stop/start (no "missing types" warning), as on Node-RED
// where every core type is there from the start. Checked on Node-RED 4.1.15 too: ORACLE=node-red.
import { afterEach, expect, test } from 'vitest';
import { inject, observe, startTarget, type Target } from './target.js';
import { scene } from './flow-parts.js';

let t: Target | undefined;
afterEach(async () => { await t?.stop(); t = undefined; });

const networkNodes = (s: ReturnType<typeof scene>) => [
  s.tab(),
  { id: s.id('tls'), type: 'tls-config', name: '', cert: '', key: '', ca: '', verifyservercert: true },
  { id: s.id('proxy'), type: 'http proxy', name: '', url: 'http://127.0.0.1:9', noproxy: ['127.0.0.1'] },
  { id: s.id('l'), type: 'websocket-listener', path: '/ws/first', wholemsg: 'false' },
  { id: s.id('win'), type: 'websocket in', z: s.z, name: '', server: s.id('l'), client: '', wires: [] },
  s.inject('i', 'r'),
  s.request('r', 'out', { url: 'http://127.0.0.1:9/none', tls: s.id('tls'), proxy: s.id('proxy'), senderr: true }),
  s.debug('out'),
];

test('a first deploy of the network nodes is a plain stop and start', async () => {
  t = await startTarget({ flows: [] });
  const o = await observe(t);
  o.ws.send({ subscribe: 'notification/#' });
  await o.ws.message('notification/runtime-state', (d) => d.state === 'start');
  const s = scene();
  await t.deploy(networkNodes(s));
  await o.ws.message('notification/runtime-deploy', (d) => d.revision !== '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945');
  const states = o.ws.messages().filter((m) => m.topic === 'notification/runtime-state').map((m) => m.data);
  expect(states).toEqual([{ state: 'start' }, { state: 'stop', deploy: true }, { state: 'start', deploy: true }]);
  await o.close();
});

test('flows using them run from the start: no wait for missing types', async () => {
  const s = scene();
  t = await startTarget({ flows: networkNodes(s) });
  const o = await observe(t);
  o.ws.send({ subscribe: 'notification/#' });
  const state = await o.ws.message('notification/runtime-state');
  expect(state.data).toEqual({ state: 'start' });
  await inject(t, s.id('i'));
  await o.waitStatus(s.id('r'), (x) => x.fill === 'red');
  await o.close();
});
