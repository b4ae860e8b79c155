// The context sidebar: values a function node stored in flow and node context, shown after a refresh.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, useE2E } from './harness.js';
import { nodeEl, openEditor, pressInject, showSidebar } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const func = "const n = (context.get('count') || 0) + 1;\ncontext.set('count', n);\nflow.set('lastPayload', msg.payload + ' #' + n);\nreturn msg;";
const flows = injectFunctionDebugTab({ func });

/** One of the context sidebar's sections (Node / Flow / Global), by its title. */
const section = (page: Page, title: string) =>
  page.locator('.red-ui-sidebar-context-stack .red-ui-palette-category').filter({ has: page.locator('.red-ui-palette-header', { hasText: new RegExp(`^\\s*${title}`) }) });

/** The value shown for a key in a section, '' while absent. */
async function valueOf(page: Page, title: string, key: string): Promise<string> {
  const row = section(page, title).locator('tr.red-ui-help-info-row').filter({ has: page.locator('td.red-ui-sidebar-context-property', { hasText: key }) });
  return (await row.count()) ? (await row.locator('td').nth(1).innerText()).trim() : '';
}

describeE2E('context sidebar', { timeout: 90000 }, () => {
  const e = useE2E({ flows });

  test('flow and node context values appear after a refresh', async () => {
    await openEditor(e.page, e.target.url);
    await showSidebar(e.page, 'context');
    const flow = section(e.page, 'Flow');
    await flow.waitFor({ state: 'visible' });
    await pressInject(e.page, 'e2e-inject');
    await pressInject(e.page, 'e2e-inject');
    // the flow section refreshes on demand: until the value is there (the second message may still be on its way)
    await expect.poll(async () => {
      await flow.locator('.red-ui-palette-header button:has(i.fa-refresh)').click();
      return valueOf(e.page, 'Flow', 'lastPayload');
    }, { timeout: 30000, interval: 500 }).toBe('"hello #2"');

    // node context: select the function node, then refresh the node section
    await nodeEl(e.page, 'e2e-function').locator('rect.red-ui-flow-node').click();
    const node = section(e.page, 'Node');
    await expect.poll(async () => {
      await node.locator('.red-ui-palette-header button:has(i.fa-refresh)').click();
      return valueOf(e.page, 'Node', 'count');
    }, { timeout: 30000, interval: 500 }).toBe('2');

    // the same values through the admin API the sidebar uses
    const res = await e.target.api('context/flow/e2e-tab/lastPayload');
    expect(await res.json()).toMatchObject({ msg: 'hello #2', format: 'string[8]' });
  });
});
