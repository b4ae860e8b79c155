// Opening the editor: the palette lists the core nodes Crimson runs, a flow using all of them (and a
// junction) is drawn, and the runtime reports no missing types.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { notification, openEditor, paletteTypes, workspaceLabels } from './editor.js';

const CORE = ['inject', 'debug', 'function', 'change', 'split', 'link in', 'link out', 'link call',
  'http in', 'http response', 'comment', 'catch', 'status', 'complete'];

const flows = [
  { id: 'tab1', type: 'tab', label: 'Every node' },
  { id: 'n-inject', type: 'inject', z: 'tab1', name: 'tick', props: [{ p: 'payload' }], payload: '', payloadType: 'date', repeat: '', once: false, x: 100, y: 60, wires: [['n-junction']] },
  { id: 'n-junction', type: 'junction', z: 'tab1', x: 200, y: 60, wires: [['n-function']] },
  { id: 'n-function', type: 'function', z: 'tab1', name: 'fn', func: 'return msg;', outputs: 1, x: 300, y: 60, wires: [['n-change']] },
  { id: 'n-change', type: 'change', z: 'tab1', name: 'chg', rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 't', tot: 'str' }], x: 450, y: 60, wires: [['n-split']] },
  { id: 'n-split', type: 'split', z: 'tab1', name: 'spl', x: 600, y: 60, wires: [['n-debug']] },
  { id: 'n-debug', type: 'debug', z: 'tab1', name: 'dbg', active: true, complete: 'payload', x: 750, y: 60, wires: [] },
  { id: 'n-linkout', type: 'link out', z: 'tab1', name: 'lo', mode: 'link', links: ['n-linkin'], x: 100, y: 140, wires: [] },
  { id: 'n-linkin', type: 'link in', z: 'tab1', name: 'li', links: ['n-linkout'], x: 200, y: 140, wires: [[]] },
  { id: 'n-linkcall', type: 'link call', z: 'tab1', name: 'lc', links: ['n-linkin'], linkType: 'static', timeout: '30', x: 300, y: 140, wires: [[]] },
  { id: 'n-httpin', type: 'http in', z: 'tab1', name: 'hin', url: '/e2e-open', method: 'get', x: 100, y: 220, wires: [['n-httpres']] },
  { id: 'n-httpres', type: 'http response', z: 'tab1', name: 'hres', statusCode: '', headers: {}, x: 300, y: 220, wires: [] },
  { id: 'n-comment', type: 'comment', z: 'tab1', name: 'a note', info: '', x: 100, y: 300, wires: [] },
  { id: 'n-catch', type: 'catch', z: 'tab1', name: 'ctch', scope: null, uncaught: false, x: 100, y: 360, wires: [[]] },
  { id: 'n-status', type: 'status', z: 'tab1', name: 'stat', scope: null, x: 250, y: 360, wires: [[]] },
  { id: 'n-complete', type: 'complete', z: 'tab1', name: 'cmpl', scope: null, uncaught: false, x: 400, y: 360, wires: [[]] },
];

describeE2E('editor opens', { timeout: 90000 }, () => {
  const e = useE2E({ flows });

  test('palette has the core nodes and the flow is drawn without missing types', async () => {
    await openEditor(e.page, e.target.url);
    const types = await paletteTypes(e.page);
    for (const t of CORE) expect(types, `palette entry ${t}`).toContain(t);
    // every node of the flow drawn on its tab
    expect(await workspaceLabels(e.page)).toEqual(['a note', 'chg', 'cmpl', 'ctch', 'dbg', 'fn', 'hin', 'hres', 'lc', 'li', 'lo', 'spl', 'stat', 'tick']);
    await expect.poll(() => e.page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group').count()).toBe(14);
    await expect.poll(() => e.page.locator('#red-ui-workspace-chart .red-ui-flow-junction').count()).toBe(1);
    // the runtime says its flows are running (a retained message on connect), and no "missing types" shows
    const state = await e.s.frame(/^notification\/runtime-state$/);
    expect(state.data).toMatchObject({ state: 'start' });
    expect(state.data).not.toHaveProperty('error');
    expect(await notification(e.page, /missing|stopped/i).count()).toBe(0);
    const res = await e.target.api('e2e-open');
    expect(res.status).toBe(200);
  });

  test('a flow with a type the runtime lacks does show the missing types notification', async () => {
    const res = await e.target.api('flows', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify([...flows, { id: 'n-unknown', type: 'e2e-no-such-type', z: 'tab1', x: 500, y: 300, wires: [] }]) });
    expect(res.status).toBe(204);
    await openEditor(e.page, e.target.url);
    await notification(e.page, /e2e-no-such-type/).waitFor({ state: 'visible' });
    const state = await e.s.frame(/^notification\/runtime-state$/);
    expect(state.data).toMatchObject({ error: 'missing-types', types: ['e2e-no-such-type'] });
  });
});
