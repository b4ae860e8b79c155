// A deploy conflict: the flows change on the server behind the editor's back; the editor's next deploy
// answers 409 (stale rev) and the editor shows its conflict dialog; merging and deploying keeps both edits.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { deploy, nodeByLabel, nodeEl, notification, openEditor, rename } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

type FlowNode = { id: string; name?: string };

describeE2E('deploy conflict', { timeout: 120000 }, () => {
  // two tabs: the remote edit is on the second, the local one on the first (an edit on the same tab from both
  // sides is a conflict the editor can only review, not merge)
  const e = useE2E({ flows: [...injectFunctionDebugTab(), ...injectFunctionDebugTab({ prefix: 'other', tab: 'other-tab', label: 'Other' })] });

  test('a change behind the editor\'s back gives the conflict dialog; merge keeps both changes', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await nodeEl(page, 'e2e-inject').waitFor();

    // someone else deploys: the inject node of the other tab renamed
    const current = await (await e.target.api('flows')).json() as FlowNode[];
    const res = await e.target.api('flows', {
      method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(current.map((n) => (n.id === 'other-inject' ? { ...n, name: 'remote' } : n))),
    });
    expect(res.status).toBe(204);
    // the editor hears of it
    await notification(page, /flows on the server have been updated/i).waitFor({ state: 'visible' });

    // meanwhile this editor renames the debug node and deploys with its old rev
    await rename(page, 'e2e-debug', 'local');
    e.s.expect({ status: 409, url: /\/flows$/ });
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && /\/flows$/.test(r.url()));
    await page.locator('#red-ui-header-button-deploy').click();
    const conflict = await answer;
    expect(conflict.status()).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'version_mismatch' });

    const dialog = notification(page, /could not deploy|conflict/i).filter({ has: page.locator('#red-ui-deploy-dialog-confirm-deploy-merge') });
    await dialog.waitFor({ state: 'visible' });
    // the editor compares its flows with the server's: no clashing edits, so it offers an automatic merge
    const merge = page.locator('#red-ui-deploy-dialog-confirm-deploy-merge');
    await expect.poll(async () => (await merge.getAttribute('class'))?.includes('disabled'), { timeout: 30000 }).toBe(false);
    expect(await page.locator('#red-ui-deploy-dialog-confirm-deploy-overwrite').isVisible()).toBe(true);
    await merge.click();
    await dialog.waitFor({ state: 'detached' });
    await nodeByLabel(page, 'local').waitFor();
    await page.locator('#red-ui-workspace-tabs li.red-ui-tab .red-ui-tab-label', { hasText: 'Other' }).click();
    await nodeByLabel(page, 'remote').waitFor();

    await deploy(page);
    const after = await (await e.target.api('flows')).json() as FlowNode[];
    expect(after.find((n) => n.id === 'other-inject')?.name).toBe('remote');
    expect(after.find((n) => n.id === 'e2e-debug')?.name).toBe('local');
  });

  test('both sides renaming the same node: merge is refused, "Ignore & deploy" overwrites with the editor\'s flows', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await nodeEl(page, 'e2e-inject').waitFor();
    const current = await (await e.target.api('flows')).json() as FlowNode[];
    const res = await e.target.api('flows', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(current.map((n) => (n.id === 'e2e-inject' ? { ...n, name: 'theirs' } : n))),
    });
    expect(res.status).toBe(204);
    await notification(page, /flows on the server have been updated/i).waitFor({ state: 'visible' });
    await rename(page, 'e2e-inject', 'mine');
    e.s.expect({ status: 409, url: /\/flows$/ });
    await page.locator('#red-ui-header-button-deploy').click();
    const dialog = notification(page, /could not deploy|conflict/i).filter({ has: page.locator('#red-ui-deploy-dialog-confirm-deploy-merge') });
    await dialog.waitFor({ state: 'visible' });
    // a real conflict: only a review is offered, the merge stays disabled
    await page.locator('#red-ui-deploy-dialog-confirm-deploy-review:not(.disabled)').waitFor();
    expect(await page.locator('#red-ui-deploy-dialog-confirm-deploy-merge').getAttribute('class')).toContain('disabled');
    const deployed = page.waitForResponse((r) => r.request().method() === 'POST' && /\/flows$/.test(r.url()));
    await page.locator('#red-ui-deploy-dialog-confirm-deploy-overwrite').click();
    expect((await deployed).status()).toBe(200);
    await notification(page, /Successfully deployed/).last().waitFor({ state: 'visible' });
    const after = await (await e.target.api('flows')).json() as FlowNode[];
    expect(after.find((n) => n.id === 'e2e-inject')?.name).toBe('mine');
  });
});
