// Global environment variables set in the editor's Settings dialog: the editor stores them in a
// global-config node, deploys it, and a function's env.get() sees the value.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { debugMessages, deploy, editorReady, openEditor, pressInject, showSidebar } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const flows = injectFunctionDebugTab({ func: "msg.payload = 'env says ' + env.get('GREETING');\nreturn msg;" });

describeE2E('global environment variables', { timeout: 120000 }, () => {
  const e = useE2E({ flows });

  test('add one in Settings > Environment, deploy, and the flow reads it', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-user-settings').click();
    await page.locator('#user-settings-tabs a', { hasText: 'Environment' }).click();
    const pane = page.locator('#red-ui-settings-tab-envvar');
    await pane.waitFor({ state: 'visible' });
    await pane.locator('.red-ui-editableList-addButton').click();
    const row = pane.locator('#node-input-env-container li').last();
    await row.locator('input.node-input-env-name').fill('GREETING');
    // the value is a typedInput: its own text field stands in for the hidden input
    await row.locator('.red-ui-typedInput-container input:visible').fill('hi there');
    await page.locator('#node-dialog-ok').click();
    await pane.waitFor({ state: 'detached' });

    await deploy(page);
    const deployed = await (await e.target.api('flows')).json() as { type: string; env?: unknown[] }[];
    expect(deployed.find((n) => n.type === 'global-config')?.env).toEqual([{ name: 'GREETING', value: 'hi there', type: 'str' }]);

    await showSidebar(page, 'debug');
    await pressInject(page, 'e2e-inject');
    await expect.poll(() => debugMessages(page).last().locator('.red-ui-debug-msg-payload').innerText()).toContain('"env says hi there"');

    // and it is there again after a reload, in the Settings dialog
    await page.reload();
    await editorReady(page);
    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-user-settings').click();
    await page.locator('#user-settings-tabs a', { hasText: 'Environment' }).click();
    await expect.poll(() => page.locator('#red-ui-settings-tab-envvar input.node-input-env-name').last().inputValue()).toBe('GREETING');
  });
});
