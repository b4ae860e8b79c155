// Page helpers for the Node-RED editor: waiting for it to load, the palette, the workspace, import,
// deploy, notifications and the sidebar. Selectors are the editor-client's own DOM ids/classes.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Goes to the editor and waits until it has loaded its nodes and flows (toolbar shown, loader gone). */
export async function openEditor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await editorReady(page);
}

export async function editorReady(page: Page): Promise<void> {
  await page.locator('.red-ui-header-toolbar').waitFor({ state: 'visible', timeout: 60000 });
  await page.locator('#red-ui-loading-progress').waitFor({ state: 'hidden', timeout: 60000 });
  await page.waitForFunction(() => (window as any).RED?.nodes?.version?.() != null, undefined, { timeout: 60000 });
}

export async function paletteTypes(page: Page): Promise<string[]> {
  return page.locator('#red-ui-palette .red-ui-palette-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-palette-type') ?? ''));
}

export const chart = (page: Page) => page.locator('#red-ui-workspace-chart');
/** A node drawn on the active workspace, by id. */
export const nodeEl = (page: Page, id: string) => page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`);
/** A node drawn on the active workspace, by its label. */
export const nodeByLabel = (page: Page, label: string) =>
  page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group').filter({ has: page.locator('.red-ui-flow-node-label', { hasText: label }) });

/** Labels of the nodes drawn on the active workspace, sorted. */
export async function workspaceLabels(page: Page): Promise<string[]> {
  const labels = await page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group .red-ui-flow-node-label').evaluateAll(
    (els) => els.map((e) => (e.textContent ?? '').trim()));
  return labels.sort();
}

/** Pastes a flow into the import dialog (opened with Ctrl+I) and drops the nodes at (x, y) of the workspace. */
export async function importFlow(page: Page, flow: unknown[], at = { x: 300, y: 150 }): Promise<void> {
  const box = (await chart(page).boundingBox())!;
  await page.mouse.move(box.x + at.x, box.y + at.y);
  await page.keyboard.press('Control+i');
  const dialog = page.locator('#red-ui-clipboard-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.locator('#red-ui-clipboard-dialog-import-text').fill(JSON.stringify(flow));
  const ok = page.locator('#red-ui-clipboard-dialog-ok');
  await expect.poll(() => ok.isEnabled()).toBe(true);
  await ok.click();
  await dialog.waitFor({ state: 'hidden' });
  // the imported nodes follow the mouse until a click puts them down
  await page.mouse.move(box.x + at.x + 5, box.y + at.y + 5);
  await page.mouse.click(box.x + at.x + 5, box.y + at.y + 5);
}

/** Drags a palette entry onto the workspace at (x, y). */
export async function dragFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  const entry = page.locator(`#red-ui-palette .red-ui-palette-node[data-palette-type="${type}"]`);
  await entry.scrollIntoViewIfNeeded();
  const from = (await entry.boundingBox())!;
  const box = (await chart(page).boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  // jQuery UI draggable wants several moves
  for (let i = 1; i <= 10; i++) {
    const x = from.x + from.width / 2 + ((box.x + at.x) - (from.x + from.width / 2)) * i / 10;
    const y = from.y + from.height / 2 + ((box.y + at.y) - (from.y + from.height / 2)) * i / 10;
    await page.mouse.move(x, y);
  }
  await page.mouse.up();
}

export type DeployType = 'full' | 'nodes' | 'flows';

/** Picks the deploy type from the deploy button's menu, clicks Deploy and waits for the success notification. */
export async function deploy(page: Page, type?: DeployType): Promise<void> {
  if (type) await chooseDeployType(page, type);
  const button = page.locator('#red-ui-header-button-deploy');
  await expect.poll(async () => (await button.getAttribute('class'))?.includes('disabled'),
    { timeout: 30000, message: 'the Deploy button stays disabled: the editor has no change to deploy' }).toBe(false);
  const before = await page.locator('#red-ui-notifications .red-ui-notification').evaluateAll((els) => els.map((el) => el.id));
  await button.click();
  await page.waitForFunction((seen) => Array.from(document.querySelectorAll('#red-ui-notifications .red-ui-notification'))
    .some((el) => !seen.includes(el.id) && /Successfully deployed/.test(el.textContent ?? '')), before, { timeout: 60000 });
  // the notification comes before the editor takes its shade away and the spinner off the button
  await page.locator('#red-ui-header-shade').waitFor({ state: 'hidden' });
  await page.locator('.red-ui-deploy-button-spinner').waitFor({ state: 'hidden' });
  // deployed: the button is disabled again until the next change
  await expect.poll(async () => (await button.getAttribute('class'))?.includes('disabled'), { timeout: 30000 }).toBe(true);
}

export async function chooseDeployType(page: Page, type: DeployType): Promise<void> {
  await page.locator('#red-ui-header-button-deploy-options').click();
  const item = page.locator(`#deploymenu-item-${type === 'flows' ? 'flow' : type === 'nodes' ? 'node' : 'full'}`);
  await item.waitFor({ state: 'visible' });
  await item.click();
  await item.waitFor({ state: 'hidden' });
}

/** A notification whose text matches. */
export const notification = (page: Page, text: RegExp | string) =>
  page.locator('#red-ui-notifications .red-ui-notification').filter({ hasText: text });

const SIDEBAR_NAMES = { debug: 'Debug messages', context: 'Context Data', info: 'Information' };

/** Shows a sidebar tab by clicking its icon in the sidebar's tab bar (or its entry in the tab menu). */
export async function showSidebar(page: Page, tab: 'debug' | 'context' | 'info'): Promise<void> {
  const icon = page.locator(`#red-ui-tab-${tab}-link-button`);
  const label = page.locator(`#red-ui-tab-${tab} a.red-ui-tab-label`);
  await icon.or(label).first().waitFor({ state: 'attached' });
  if (await icon.isVisible()) await icon.click();
  else {
    // not pinned to the tab bar: the caret's menu lists every tab
    await page.locator('#red-ui-sidebar .red-ui-tab-link-button-menu').click();
    await page.locator('.red-ui-menu-dropdown:visible a').filter({ hasText: SIDEBAR_NAMES[tab] }).click();
  }
  await page.locator(`#red-ui-tab-${tab}.active`).waitFor({ state: 'attached' });
}

/** The debug sidebar's messages. */
export const debugMessages = (page: Page) => page.locator('#red-ui-sidebar .red-ui-debug-content .red-ui-debug-msg');

/** Clicks an inject node's button. */
export async function pressInject(page: Page, id: string): Promise<void> {
  await nodeEl(page, id).locator('.red-ui-flow-node-button .red-ui-flow-node-button-button').click();
}

/** The status text under a node. */
export const statusLabel = (page: Page, id: string) => nodeEl(page, id).locator('.red-ui-flow-node-status-label');

/**
 * Opens a node's edit tray (double-click), sets its name and clicks Done. Not for function nodes: closing
 * the tray while Monaco is still starting can throw inside Monaco (see edit-function.test.ts).
 */
export async function rename(page: Page, id: string, name: string): Promise<void> {
  await nodeEl(page, id).locator('rect.red-ui-flow-node').dblclick();
  const input = page.locator('#red-ui-editor #node-input-name');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('#node-dialog-ok').click();
  await page.locator('#red-ui-editor .red-ui-tray').waitFor({ state: 'detached' });
}
