// The Access Tokens tab of User Settings: Crimson's built-in editor plugin (set crimson/access-tokens, served
// in GET /plugins with adminAuth only). Log in, create a read-only token in the tab, read the value it shows
// once (and copies), use it from outside the browser, see it listed, revoke it in the tab: it is refused.
import bcrypt from 'bcryptjs';
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, useE2E } from './harness.js';
import { editorReady } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const hash = bcrypt.hashSync('secret', 4);
const settings = { adminAuth: { type: 'credentials', users: [{ username: 'admin', password: hash, permissions: '*' }] } };

async function login(page: Page): Promise<void> {
  await page.locator('#node-dialog-login-username').fill('admin');
  await page.locator('#node-dialog-login-password').fill('secret');
  await page.locator('#node-dialog-login-submit').click();
}

describeE2E('access tokens in User Settings', { timeout: 120000 }, () => {
  const e = useE2E({ settings, flows: injectFunctionDebugTab() });

  test('create a read-only token, copy and use it, see it listed, revoke it', async () => {
    const page = e.page;
    await e.s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e.target.url).origin });
    // the runtime answers 401 to GET /settings until the login
    const loggedIn = e.s.expect({ status: 401, url: /\/settings(\?|$)/ });
    await page.goto(e.target.url);
    await page.locator('#node-dialog-login').waitFor({ state: 'visible', timeout: 60000 });
    await login(page);
    await editorReady(page);
    loggedIn();

    // the editor loaded it as a plugin
    const plugins = await page.evaluate(async () => await (window as any).$.ajax({ url: 'plugins', headers: { Accept: 'application/json' } }));
    expect(plugins).toContainEqual(expect.objectContaining({
      id: 'crimson/access-tokens', module: 'crimson', editor: true, runtime: false,
      plugins: [{ id: 'crimson-access-tokens', module: 'crimson' }],
    }));

    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-user-settings').click();
    await page.locator('#user-settings-tabs a', { hasText: 'Access Tokens' }).click();
    const pane = page.locator('#red-ui-settings-tab-crimson-access-tokens');
    await pane.waitFor({ state: 'visible' });
    await pane.locator('.crimson-pat-empty').waitFor({ state: 'visible' });

    await pane.locator('#crimson-pat-name').fill('ci reader');
    await pane.locator('#crimson-pat-scope').selectOption('read');
    await pane.locator('#crimson-pat-expiry').selectOption('30');
    await pane.locator('.crimson-pat-create').click();
    const value = pane.locator('.crimson-pat-created input.crimson-pat-value');
    await value.waitFor({ state: 'visible' });
    const token = await value.inputValue();
    expect(token).toMatch(/^crpat_/);
    await expect.poll(() => pane.locator('.crimson-pat-note').innerText()).toMatch(/will not be shown again/);

    // the copy button puts it on the clipboard
    await pane.locator('.crimson-pat-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // read-only, outside the browser
    const bearer = { authorization: `Bearer ${token}` };
    expect((await e.target.api('flows', { headers: bearer })).status).toBe(200);
    const write = await e.target.api('flows', { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '[]' });
    expect(write.status).toBe(401);

    // listed, with its scope and an expiry about 30 days away
    const row = pane.locator('tr.crimson-pat-row', { hasText: 'ci reader' });
    await row.waitFor({ state: 'visible' });
    expect(await row.locator('.crimson-pat-scope').innerText()).toBe('Read-only');
    expect(await row.locator('.crimson-pat-expires').innerText()).not.toBe('Never');
    const listed = await (await e.target.api('auth/tokens', { headers: bearer })).json() as { tokens: { name: string; scope: unknown; expires: string }[] };
    expect(listed.tokens).toHaveLength(1);
    expect(listed.tokens[0]).toMatchObject({ name: 'ci reader', scope: 'read' });
    const days = (Date.parse(listed.tokens[0]!.expires) - Date.now()) / 86400000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    // revoke, with a confirmation
    await row.locator('.crimson-pat-revoke').click();
    const confirm = page.locator('#red-ui-notifications .crimson-pat-revoke-confirm');
    await confirm.waitFor({ state: 'visible' });
    await confirm.click();
    await row.waitFor({ state: 'detached' });
    await pane.locator('.crimson-pat-empty').waitFor({ state: 'visible' });
    expect((await e.target.api('flows', { headers: bearer })).status).toBe(401);

    // closing the tray forgets the value shown; reopening shows no value and no token
    await page.locator('#node-dialog-ok').click();
    await pane.waitFor({ state: 'detached' });
    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-user-settings').click();
    await page.locator('#user-settings-tabs a', { hasText: 'Access Tokens' }).click();
    await pane.locator('.crimson-pat-empty').waitFor({ state: 'visible' });
    expect(await pane.locator('.crimson-pat-value').count()).toBe(0);
  });
});
