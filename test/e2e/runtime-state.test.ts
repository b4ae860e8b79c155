// Stopping and starting the flows from the deploy menu (runtimeState.ui enabled): POST /flows/state, the
// editor's "Flows stopped/started" notifications, inject buttons greyed while stopped.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { debugMessages, nodeEl, notification, openEditor, pressInject, showSidebar } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

describeE2E('stop and start flows', { timeout: 120000 }, () => {
  const e = useE2E({ flows: injectFunctionDebugTab(), settings: { runtimeState: { enabled: true, ui: true } } });

  test('stop from the deploy menu, then start again, and the flow runs', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    const button = nodeEl(page, 'e2e-inject').locator('.red-ui-flow-node-button');
    await page.locator('#red-ui-header-button-deploy-options').click();
    const stopped = page.waitForResponse((r) => r.request().method() === 'POST' && /\/flows\/state$/.test(r.url()));
    await page.locator('#deploymenu-item-runtime-stop').click();
    expect((await stopped).status()).toBe(200);
    await notification(page, 'Flows stopped').waitFor({ state: 'visible' });
    await expect.poll(async () => await button.getAttribute('class')).toContain('red-ui-flow-node-button-stopped');
    expect(await (await e.target.api('flows/state')).json()).toEqual({ state: 'stop' });

    await page.locator('#red-ui-header-button-deploy-options').click();
    await page.locator('#deploymenu-item-runtime-start').click();
    await notification(page, 'Flows started').waitFor({ state: 'visible' });
    await expect.poll(async () => await button.getAttribute('class')).not.toContain('red-ui-flow-node-button-stopped');
    expect(await (await e.target.api('flows/state')).json()).toEqual({ state: 'start' });
    await showSidebar(page, 'debug');
    await pressInject(page, 'e2e-inject');
    await expect.poll(() => debugMessages(page).count()).toBe(1);
  });
});
