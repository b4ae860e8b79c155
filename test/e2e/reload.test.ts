// Reloading the page after a deploy: the same tabs, nodes, labels and positions come back from the server.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, useE2E } from './harness.js';
import { deploy, dragFromPalette, editorReady, openEditor, workspaceLabels } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const flows = [...injectFunctionDebugTab(), ...injectFunctionDebugTab({ prefix: 'second', tab: 'second-tab', label: 'Second' })];

async function picture(page: Page) {
  const tabs = await page.locator('#red-ui-workspace-tabs li.red-ui-tab .red-ui-tab-label').allInnerTexts();
  const nodes = await page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group').evaluateAll(
    (els) => els.map((el) => `${el.id}@${el.getAttribute('transform')}`).sort());
  return { tabs: tabs.map((t) => t.trim()), labels: await workspaceLabels(page), nodes };
}

describeE2E('reload', { timeout: 120000 }, () => {
  const e = useE2E({ flows });

  test('after a deploy, a reload shows the same flows', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    expect((await picture(page)).tabs).toEqual(['E2E', 'Second']);
    await dragFromPalette(page, 'comment', { x: 250, y: 250 });
    await expect.poll(async () => (await picture(page)).labels).toEqual(['comment', 'go', 'out', 'shout']);
    await deploy(page);
    const before = await picture(page);
    expect(before.nodes).toHaveLength(4);

    await page.reload();
    await editorReady(page);
    await expect.poll(() => picture(page)).toEqual(before);
    // the other tab too
    await page.locator('#red-ui-workspace-tabs li.red-ui-tab .red-ui-tab-label', { hasText: 'Second' }).click();
    await expect.poll(async () => (await picture(page)).labels).toEqual(['go', 'out', 'shout']);
    expect((await picture(page)).nodes.map((n) => n.split('@')[0])).toEqual(['second-debug', 'second-function', 'second-inject']);
  });
});
