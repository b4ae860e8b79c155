// adminAuth (credentials) in the editor: the login dialog, an admin who can deploy, a read-only user who
// cannot, and logout revoking the token.
import bcrypt from 'bcryptjs';
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, useE2E } from './harness.js';
import type { Session } from './harness.js';
import { deploy, editorReady, nodeEl, rename } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const hash = bcrypt.hashSync('secret', 4);
const settings = {
  adminAuth: {
    type: 'credentials',
    users: [
      { username: 'admin', password: hash, permissions: '*' },
      { username: 'reader', password: hash, permissions: 'read' },
    ],
  },
};

/** Opens the editor to its login dialog: the runtime answers 401 to GET /settings until then (expected). */
async function openToLogin(s: Session, url: string): Promise<() => void> {
  const loggedIn = s.expect({ status: 401, url: /\/settings(\?|$)/ });
  await s.page.goto(url);
  await s.page.locator('#node-dialog-login').waitFor({ state: 'visible', timeout: 60000 });
  return loggedIn;
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#node-dialog-login-username').fill(username);
  await page.locator('#node-dialog-login-password').fill(password);
  await page.locator('#node-dialog-login-submit').click();
}

/** The access token the editor keeps in localStorage. */
async function storedToken(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('auth-tokens'));
    return key ? JSON.parse(localStorage.getItem(key)!)?.access_token : undefined;
  });
}

describeE2E('admin authentication', { timeout: 120000 }, () => {
  const e = useE2E({ settings, flows: injectFunctionDebugTab() });

  test('the login dialog, a wrong password, then the admin gets the editor and can deploy', async () => {
    const loggedIn = await openToLogin(e.s, e.target.url);
    // nothing of the flows before login
    expect(await nodeEl(e.page, 'e2e-inject').count()).toBe(0);
    const refused = e.s.expect({ status: 403, url: /\/auth\/token$/ });
    await login(e.page, 'admin', 'wrong');
    await e.page.locator('#node-dialog-login-failed').waitFor({ state: 'visible' });
    refused();
    await login(e.page, 'admin', 'secret');
    await e.page.locator('#node-dialog-login').waitFor({ state: 'detached' });
    await editorReady(e.page);
    loggedIn();
    await nodeEl(e.page, 'e2e-inject').waitFor();
    // the user menu names the user
    await e.page.locator('#red-ui-header-button-user').click();
    await expect.poll(() => e.page.locator('#usermenu-item-username').innerText()).toContain('admin');
    await e.page.keyboard.press('Escape');
    expect(await e.page.locator('.red-ui-deploy-button-group').getAttribute('class')).not.toContain('readOnly');
    await rename(e.page, 'e2e-inject', 'admin was here');
    await deploy(e.page);
    const token = await storedToken(e.page);
    const flows = await (await e.target.api('flows', { headers: { authorization: `Bearer ${token}` } })).json() as { id: string; name?: string }[];
    expect(flows.find((n) => n.id === 'e2e-inject')?.name).toBe('admin was here');
  });

  test('a read-only user sees the flows but cannot deploy', async () => {
    const loggedIn = await openToLogin(e.s, e.target.url);
    await login(e.page, 'reader', 'secret');
    await editorReady(e.page);
    loggedIn();
    await nodeEl(e.page, 'e2e-inject').waitFor();
    const group = e.page.locator('.red-ui-deploy-button-group');
    await expect.poll(async () => await group.getAttribute('class')).toContain('readOnly');
    expect(await e.page.locator('#red-ui-header-button-deploy').getAttribute('class')).toContain('disabled');
    // the token it holds is refused for writes by the server too
    const token = await storedToken(e.page);
    const res = await e.target.api('flows', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '[]' });
    expect(res.status).toBe(401);
  });

  test('logout returns to the login dialog and the old token no longer works', async () => {
    const loggedIn = await openToLogin(e.s, e.target.url);
    await login(e.page, 'admin', 'secret');
    await editorReady(e.page);
    loggedIn();
    const token = await storedToken(e.page);
    expect(token).toBeTruthy();
    expect((await e.target.api('flows', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await e.page.locator('#red-ui-header-button-user').click();
    e.s.expect({ status: 401, url: /\/settings(\?|$)/ });
    await e.page.locator('#usermenu-item-logout').click();
    // the editor revokes the token and reloads to the login dialog
    await e.page.locator('#node-dialog-login').waitFor({ state: 'visible', timeout: 60000 });
    expect(await storedToken(e.page)).toBeUndefined();
    expect((await e.target.api('flows', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
