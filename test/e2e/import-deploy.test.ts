// Import a flow through the import dialog, drag a node from the palette, and deploy it: full from the
// Deploy button, then "Modified Nodes" and "Modified Flows" after edits; the server has what was deployed.
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, useE2E } from './harness.js';
import type { Target } from './target.js';
import { chooseDeployType, deploy, dragFromPalette, importFlow, nodeByLabel, nodeEl, notification, openEditor, rename, workspaceLabels } from './editor.js';
import { injectFunctionDebug } from './flows.js';

type FlowNode = { id: string; type: string; z?: string; name?: string; label?: string };

async function serverFlows(api: Target['api']): Promise<{ rev: string; flows: FlowNode[] }> {
  const res = await api('flows', { headers: { 'Node-RED-API-Version': 'v2' } });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ rev: string; flows: FlowNode[] }>;
}

/** Clicks Deploy and returns the deployment type header the editor sent. */
async function deployAndSeeType(page: Page): Promise<string | null> {
  const request = page.waitForRequest((r) => r.method() === 'POST' && /\/flows$/.test(r.url()));
  await deploy(page);
  return (await request).headers()['node-red-deployment-type'] ?? null;
}

describeE2E('import and deploy', { timeout: 120000 }, () => {
  const e = useE2E();

  test('import dialog + palette drag, then a full deploy puts the nodes on the server', async () => {
    await openEditor(e.page, e.target.url);
    await importFlow(e.page, injectFunctionDebug(), { x: 200, y: 100 });
    await nodeEl(e.page, 'e2e-function').waitFor();
    await dragFromPalette(e.page, 'comment', { x: 300, y: 300 });
    await expect.poll(() => workspaceLabels(e.page)).toEqual(['comment', 'go', 'out', 'shout']);
    expect(await deployAndSeeType(e.page)).toBe('full');
    const { flows } = await serverFlows(e.target.api);
    const tab = flows.find((n) => n.type === 'tab')!;
    expect(tab).toBeDefined();
    const onTab = flows.filter((n) => n.z === tab.id);
    expect(onTab.map((n) => n.type).sort()).toEqual(['comment', 'debug', 'function', 'inject']);
    expect(onTab.find((n) => n.id === 'e2e-function')).toMatchObject({ type: 'function', name: 'shout' });
    // the deployed wiring came through the editor
    expect(flows.find((n) => n.id === 'e2e-inject')).toMatchObject({ wires: [['e2e-function']] });
  });

  test('"Modified Nodes" and "Modified Flows" deploys after an edit', async () => {
    await openEditor(e.page, e.target.url);
    await nodeEl(e.page, 'e2e-function').waitFor();
    await rename(e.page, 'e2e-inject', 'start');
    await nodeByLabel(e.page, 'start').waitFor();
    await chooseDeployType(e.page, 'nodes');
    expect(await deployAndSeeType(e.page)).toBe('nodes');
    expect((await serverFlows(e.target.api)).flows.find((n) => n.id === 'e2e-inject')?.name).toBe('start');

    await rename(e.page, 'e2e-debug', 'sink');
    await chooseDeployType(e.page, 'flows');
    expect(await deployAndSeeType(e.page)).toBe('flows');
    expect((await serverFlows(e.target.api)).flows.find((n) => n.id === 'e2e-debug')?.name).toBe('sink');
    // the chosen type sticks for the next deploy
    await dragFromPalette(e.page, 'debug', { x: 500, y: 420 });
    await nodeByLabel(e.page, 'debug 1').waitFor();
    expect(await deployAndSeeType(e.page)).toBe('flows');
    expect((await serverFlows(e.target.api)).flows.filter((n) => n.type === 'debug')).toHaveLength(2);
  });

  test('"Restart Flows" from the deploy menu restarts without changing them', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    const before = await serverFlows(e.target.api);
    const request = page.waitForRequest((r) => r.method() === 'POST' && /\/flows$/.test(r.url()));
    await page.locator('#red-ui-header-button-deploy-options').click();
    await page.locator('#deploymenu-item-reload').click();
    expect((await request).headers()['node-red-deployment-type']).toBe('reload');
    await notification(page, /Successfully restarted flows/).waitFor({ state: 'visible' });
    const after = await serverFlows(e.target.api);
    expect(after.flows).toEqual(before.flows);
  });
});
