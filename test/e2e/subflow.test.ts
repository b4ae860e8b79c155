// Subflows in the editor: a deployed subflow instance runs (its env, a debug node inside it, its status
// port shown under the instance), and a subflow made in the editor with "Selection to Subflow" runs once
// deployed, then with new code after the function in its template is edited and deployed as modified nodes.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { debugMessages, deploy, importFlow, nodeEl, openEditor, pressInject, showSidebar, statusLabel } from './editor.js';
import { injectFunctionDebug } from './flows.js';

const TAB = 'sf-tab';
const flows = [
  { id: TAB, type: 'tab', label: 'Subflows', disabled: false, info: '', env: [] },
  {
    id: 'sf-shout', type: 'subflow', name: 'Shouter', info: '', category: '',
    in: [{ x: 60, y: 80, wires: [{ id: 'sf-fn' }] }],
    out: [{ x: 420, y: 80, wires: [{ id: 'sf-fn', port: 0 }] }],
    env: [{ name: 'PREFIX', type: 'str', value: '-' }],
    meta: {}, color: '#DDAA99',
    status: { x: 420, y: 160, wires: [{ id: 'sf-fn', port: 1 }] },
  },
  {
    id: 'sf-fn', type: 'function', z: 'sf-shout', name: 'shout',
    func: "msg.payload = env.get('PREFIX') + msg.payload.toUpperCase();\nreturn [msg, { payload: 'shouted ' + msg.payload }];",
    outputs: 2, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 220, y: 80, wires: [['sf-inner'], []],
  },
  { id: 'sf-inner', type: 'debug', z: 'sf-shout', name: 'inner', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto', x: 400, y: 40, wires: [] },
  { id: 'sf-inject', type: 'inject', z: TAB, name: 'go', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: 'hello', payloadType: 'str', x: 120, y: 80, wires: [['sf-instance']] },
  { id: 'sf-instance', type: 'subflow:sf-shout', z: TAB, name: 'loud', env: [{ name: 'PREFIX', value: '>>', type: 'str' }], x: 300, y: 80, wires: [['sf-out']] },
  { id: 'sf-out', type: 'debug', z: TAB, name: 'outer', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto', x: 480, y: 80, wires: [] },
];

const payloads = async (page: import('playwright-core').Page) =>
  (await debugMessages(page).locator('.red-ui-debug-msg-payload').allInnerTexts()).map((t) => t.trim());
const names = async (page: import('playwright-core').Page) =>
  (await debugMessages(page).locator('.red-ui-debug-msg-name').allInnerTexts()).map((t) => t.trim());

describeE2E('subflows', { timeout: 120000 }, () => {
  const e = useE2E({ flows });

  test('a deployed instance runs with its env, its inner debug node, and its status port', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await showSidebar(page, 'debug');
    await pressInject(page, 'sf-inject');
    await expect.poll(() => debugMessages(page).count()).toBe(2);
    expect(await payloads(page)).toEqual(['">>HELLO"', '">>HELLO"']);
    expect(await names(page)).toEqual(['node: inner', 'node: outer']);
    await expect.poll(() => statusLabel(page, 'sf-instance').textContent()).toBe('shouted >>HELLO');
  });

  test('Selection to Subflow, deploy, edit the template, deploy modified nodes', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await importFlow(page, injectFunctionDebug({ prefix: 'mk' }), { x: 300, y: 320 });
    await nodeEl(page, 'mk-function').locator('rect.red-ui-flow-node').click();
    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-subflow').hover();
    await page.locator('#menu-item-subflow-convert').click();
    // the function node is now inside a new subflow; an instance of it takes its place
    await expect.poll(() => nodeEl(page, 'mk-function').count()).toBe(0);
    await deploy(page, 'full');
    const deployed = (await (await e.target.api('flows')).json()) as Array<Record<string, unknown>>;
    const template = deployed.find((n) => n.type === 'subflow' && n.id !== 'sf-shout')!;
    expect(template).toBeDefined();
    expect(deployed.find((n) => n.id === 'mk-function')?.z).toBe(template.id);
    const instance = deployed.find((n) => n.type === `subflow:${String(template.id)}`)!;
    expect(instance.z).toBe(TAB);

    await showSidebar(page, 'debug');
    await pressInject(page, 'mk-inject');
    await expect.poll(() => payloads(page)).toEqual(['"HELLO!"']);

    // open the template, change the function's code (as edit-function.test.ts does), deploy modified
    // nodes: the instance restarts with the new code
    await page.evaluate((id) => (window as any).RED.workspaces.show(id), String(template.id));
    await nodeEl(page, 'mk-function').locator('rect.red-ui-flow-node').dblclick();
    const code = page.locator('#red-ui-editor #node-input-func-editor .monaco-editor');
    await code.waitFor({ state: 'visible' });
    await code.locator('.view-lines').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText("msg.payload = 'v2:' + msg.payload;\nreturn msg;");
    await expect.poll(() => code.locator('.view-lines').innerText()).toContain("'v2:'");
    await page.keyboard.press('Control+Home');
    await code.locator('.view-overlays .wordHighlightText, .view-overlays .wordHighlight, .view-overlays .wordHighlightStrong').first().waitFor({ state: 'attached' });
    await page.locator('#node-dialog-ok').click();
    await page.locator('#red-ui-editor .red-ui-tray').waitFor({ state: 'detached' });
    await deploy(page, 'nodes');
    const after = (await (await e.target.api('flows')).json()) as Array<Record<string, unknown>>;
    expect(String(after.find((n) => n.id === 'mk-function')?.func)).toContain("'v2:'");
    await page.evaluate((id) => (window as any).RED.workspaces.show(id), TAB);
    await pressInject(page, 'mk-inject');
    await expect.poll(() => payloads(page)).toEqual(['"HELLO!"', '"v2:hello"']);
  });
});
