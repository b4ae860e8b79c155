// The editor's Manage Palette on Crimson: the Install tab uploads a node module (.tgz), its node appears in
// the palette without a restart; the Nodes tab disables and enables it, and removes it.
import { afterAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, QUIET_EDITOR, useE2E } from './harness.js';
import { notification, openEditor, paletteTypes } from './editor.js';
import { FIXTURE_NAME, packFixture, removeTemps } from '../registry/installer/helpers.js';

/** The module's entry in the Nodes tab. */
const moduleEntry = (page: Page, name: string) =>
  page.locator('#red-ui-palette-module-list > li').filter({ has: page.locator('.red-ui-palette-module-name span', { hasText: name }) });

async function openPaletteManager(page: Page, tab: 'nodes' | 'install'): Promise<void> {
  await page.keyboard.press('Alt+Shift+p');
  await page.locator('#red-ui-palette-editor').waitFor({ state: 'visible' });
  await page.locator(`#red-ui-tab-${tab} a`).click();
}

/** Whether the palette shows a type (the editor hides a disabled type's entry rather than removing it). */
const inPalette = (page: Page, type: string) => page.locator(`#red-ui-palette .red-ui-palette-node[data-palette-type="${type}"]`).isVisible();

/** Clicks a confirm dialog's button. */
async function confirm(page: Page, label: RegExp): Promise<void> {
  const button = page.locator('.red-ui-notification button, .ui-dialog-buttonset button').filter({ hasText: label }).first();
  await button.waitFor({ state: 'visible' });
  await button.click();
}

describeE2E('Manage Palette', { timeout: 180000 }, () => {
  // no catalogue: the machine (and CI) has no internet; the Install tab's upload needs none
  const e = useE2E({ settings: { ...QUIET_EDITOR, editorTheme: { ...QUIET_EDITOR.editorTheme, palette: { catalogues: [] } } } });
  afterAll(removeTemps);

  test('uploads a module, disables and enables it, and removes it', async () => {
    const page = e.page;
    const tgz = await packFixture();
    await openEditor(page, e.target.url);
    expect(await paletteTypes(page)).not.toContain('crimson-fixture');

    await openPaletteManager(page, 'install');
    await page.locator('#red-ui-palette-editor-upload-form input[name="tarball"]').setInputFiles(tgz);
    await page.locator('.red-ui-palette-editor-upload-buttons button.primary').click();
    await notification(page, /Nodes? added to palette/).first().waitFor({ state: 'visible', timeout: 120000 });
    await expect.poll(() => paletteTypes(page), { timeout: 30000 }).toContain('crimson-fixture');

    await page.locator('#red-ui-tab-nodes a').click();
    const entry = moduleEntry(page, FIXTURE_NAME);
    await entry.waitFor({ state: 'visible' });
    expect(await entry.locator('.red-ui-palette-module-version span').innerText()).toBe('1.0.0');

    // (disabling needs no confirmation; removing does)
    await entry.locator('.red-ui-palette-module-button-group a', { hasText: 'disable all' }).click();
    await notification(page, /Nodes? disabled/).first().waitFor({ state: 'visible' });
    await expect.poll(() => inPalette(page, 'crimson-fixture')).toBe(false);
    const set = await (await e.target.api(`nodes/${FIXTURE_NAME}/fixture`, { headers: { accept: 'application/json' } })).json();
    expect(set.enabled).toBe(false);

    await entry.locator('.red-ui-palette-module-button-group a', { hasText: 'enable all' }).click();
    await notification(page, /Nodes? enabled/).first().waitFor({ state: 'visible' });
    await expect.poll(() => inPalette(page, 'crimson-fixture')).toBe(true);

    await entry.locator('.red-ui-palette-module-button-group a', { hasText: 'remove' }).click();
    await confirm(page, /^Remove$/);
    await notification(page, /Nodes? removed from palette/).first().waitFor({ state: 'visible', timeout: 60000 });
    await expect.poll(() => paletteTypes(page)).not.toContain('crimson-fixture');
    await expect.poll(() => entry.count()).toBe(0);
    expect((await e.target.api(`nodes/${FIXTURE_NAME}`)).status).toBe(404);
  });
});
