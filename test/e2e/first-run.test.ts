// The editor's first run with default settings: the update-notifications question and the welcome tour
// (loaded from the editor's tours/ folder), answered once and remembered by the server for the next load.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { editorReady, openEditor } from './editor.js';

describeE2E('first run', { timeout: 120000 }, () => {
  const e = useE2E({ quiet: false });

  test('update-notifications question, welcome tour, then neither again on the next visit', async () => {
    const page = e.page;
    await page.goto(e.target.url);
    // asked once per runtime, by a popover dialog after the editor has loaded
    const question = page.locator('.red-ui-popover', { hasText: 'Enable Update Notifications' });
    await question.waitFor({ state: 'visible', timeout: 60000 });
    const saved = page.waitForRequest((r) => r.method() === 'POST' && /\/settings\/user$/.test(r.url()));
    await question.locator('button', { hasText: 'No, do not enable notifications' }).click();
    expect((await saved).postDataJSON()).toMatchObject({ telemetryEnabled: false });

    // then the welcome tour for this version: step through to the end
    const tour = page.locator('.red-ui-tourGuide-popover');
    // the editor saves the tour's version when it closes
    const tourSaved = page.waitForRequest((r) => r.method() === 'POST' && /\/settings\/user$/.test(r.url()) && /tours/.test(r.postData() ?? ''), { timeout: 90000 });
    tourSaved.catch(() => { /* awaited below; not an unhandled rejection if the test fails before */ });
    await tour.waitFor({ state: 'visible', timeout: 60000 });
    expect(await tour.innerText()).toContain('Welcome to Node-RED 4.1!');
    for (let i = 0; i < 30 && await tour.isVisible(); i++) {
      const step = (await tour.locator('.red-ui-tourGuide-toolbar small').innerText()).trim();
      // each step finishes placing itself in a timer that then focuses its button; a click before that
      // timer has run (faster than a person) makes the editor throw
      await tour.locator('.red-ui-tourGuide-toolbar button:focus').waitFor();
      await tour.locator('.red-ui-tourGuide-toolbar button').click();
      await expect.poll(async () => !(await tour.isVisible()) || (await tour.locator('.red-ui-tourGuide-toolbar small').innerText()).trim() !== step).toBe(true);
    }
    await tour.waitFor({ state: 'hidden' });
    await tourSaved;
    await editorReady(page);
    const user = await (await e.target.api('settings/user')).json() as { editor?: { tours?: { welcome?: string } } };
    expect(user.editor?.tours?.welcome).toBe('4.1.15');
    expect((await (await e.target.api('settings')).json() as { telemetryEnabled?: boolean }).telemetryEnabled).toBe(false);

    // a new visit (a fresh browser context, so nothing cached): straight to the editor
    const again = await e.session();
    const tourChecked = again.page.waitForResponse((r) => /\/tours\/welcome\.js$/.test(new URL(r.url()).pathname));
    await openEditor(again.page, e.target.url);
    // the editor loads the tour to compare versions and decides in the same turn; give it two frames
    await tourChecked;
    await again.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await again.page.locator('.red-ui-popover', { hasText: 'Enable Update Notifications' }).count()).toBe(0);
    expect(await again.page.locator('.red-ui-tourGuide-popover').count()).toBe(0);
  });
});
