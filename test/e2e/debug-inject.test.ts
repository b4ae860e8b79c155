// Node status under a node, pressing an inject node's button, and the message in the debug sidebar.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { debugMessages, nodeEl, notification, openEditor, pressInject, showSidebar, statusLabel } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const flows = injectFunctionDebugTab().map((n) => n.id === 'e2e-function'
  ? { ...n, initialize: "node.status({ fill: 'yellow', shape: 'ring', text: 'ready' });" }
  : n);

describeE2E('inject, status and debug', { timeout: 90000 }, () => {
  const e = useE2E({ flows });

  test('status from On Start, then the inject button gives a debug message and a green status', async () => {
    await openEditor(e.page, e.target.url);
    const status = statusLabel(e.page, 'e2e-function');
    const shape = nodeEl(e.page, 'e2e-function').locator('.red-ui-flow-node-status');
    // set when the flow started, sent to the editor when it connected
    await expect.poll(() => status.textContent()).toBe('ready');
    expect(await shape.getAttribute('class')).toContain('red-ui-flow-node-status-ring-yellow');

    await showSidebar(e.page, 'debug');
    await expect.poll(() => debugMessages(e.page).count()).toBe(0);
    await pressInject(e.page, 'e2e-inject');
    const msg = debugMessages(e.page).first();
    await msg.waitFor({ state: 'visible' });
    expect(await msg.locator('.red-ui-debug-msg-payload').innerText()).toContain('"HELLO!"');
    expect(await msg.locator('.red-ui-debug-msg-name').innerText()).toBe('node: out');
    expect(await msg.locator('.red-ui-debug-msg-topic').innerText()).toMatch(/msg\.payload : string\[6\]/);
    await expect.poll(() => status.textContent()).toBe('ok');
    expect(await shape.getAttribute('class')).toContain('red-ui-flow-node-status-dot-green');

    await notification(e.page, /Successfully injected: go/).first().waitFor({ state: 'visible' });
    // a second press gives a second message
    await pressInject(e.page, 'e2e-inject');
    await expect.poll(() => debugMessages(e.page).count()).toBe(2);
  });

  test('the debug node\'s button turns its output off and on again', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await showSidebar(page, 'debug');
    const toggle = nodeEl(page, 'e2e-debug').locator('.red-ui-flow-node-button .red-ui-flow-node-button-button');
    const off = page.waitForResponse((r) => r.request().method() === 'POST' && /\/debug\/e2e-debug\/disable$/.test(r.url()));
    await toggle.click();
    expect((await off).status()).toBe(201);
    await notification(page, /Successfully deactivated: out/).first().waitFor({ state: 'visible' });
    await pressInject(page, 'e2e-inject');
    await notification(page, /Successfully injected: go/).first().waitFor({ state: 'visible' });
    const on = page.waitForResponse((r) => r.request().method() === 'POST' && /\/debug\/e2e-debug\/enable$/.test(r.url()));
    await toggle.click();
    expect((await on).status()).toBe(200);
    await pressInject(page, 'e2e-inject');
    // one message only: the one injected while it was off never reached the sidebar (it would be first)
    await expect.poll(() => debugMessages(page).count()).toBe(1);
    expect(await debugMessages(page).first().locator('.red-ui-debug-msg-payload').innerText()).toContain('"HELLO!"');
  });
});
