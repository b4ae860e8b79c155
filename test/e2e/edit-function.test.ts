// Editing a function node's code in the editor's code editor (Monaco, the 4.x default; ACE when the
// settings ask for it), deploying and seeing the new code's output in the debug sidebar.
import { expect, test } from 'vitest';
import { describeE2E, useE2E } from './harness.js';
import { debugMessages, deploy, nodeEl, openEditor, pressInject, showSidebar } from './editor.js';
import { injectFunctionDebugTab } from './flows.js';

const NEW_CODE = "msg.payload = 'v2:' + msg.payload;\nreturn msg;";

describeE2E('edit a function node', { timeout: 120000 }, () => {
  const e = useE2E({ flows: injectFunctionDebugTab() });

  test('change the code in the edit tray, Done, deploy, inject: the new output', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await showSidebar(page, 'debug');
    await pressInject(page, 'e2e-inject');
    await expect.poll(() => debugMessages(page).last().locator('.red-ui-debug-msg-payload').innerText()).toContain('"HELLO!"');

    await nodeEl(page, 'e2e-function').locator('rect.red-ui-flow-node').dblclick();
    const code = page.locator('#red-ui-editor #node-input-func-editor .monaco-editor');
    await code.waitFor({ state: 'visible' });
    // type into the code editor as a user does: focus it, select all, put the new text in
    await code.locator('.view-lines').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(NEW_CODE);
    await expect.poll(() => code.locator('.view-lines').innerText()).toContain("'v2:'");
    // Monaco highlights the word under the cursor a moment after it moves; closing the tray before that
    // makes Monaco throw ("TextModelPart is disposed", an uncaught error of the editor itself). Put the
    // cursor on a word and wait for its highlight before Done.
    await page.keyboard.press('Control+Home');
    await code.locator('.view-overlays .wordHighlightText, .view-overlays .wordHighlight, .view-overlays .wordHighlightStrong').first().waitFor({ state: 'attached' });
    await page.locator('#node-dialog-ok').click();
    await page.locator('#red-ui-editor .red-ui-tray').waitFor({ state: 'detached' });
    // the node is marked changed until deployed
    await nodeEl(page, 'e2e-function').locator('.red-ui-flow-node-changed:not(.hide)').waitFor();
    await deploy(page);
    const flows = await (await e.target.api('flows')).json() as { id: string; func?: string }[];
    expect(flows.find((n) => n.id === 'e2e-function')?.func?.replace(/\s+/g, ' ')).toBe(NEW_CODE.replace(/\s+/g, ' '));

    await pressInject(page, 'e2e-inject');
    await expect.poll(() => debugMessages(page).count()).toBe(2);
    expect(await debugMessages(page).last().locator('.red-ui-debug-msg-payload').innerText()).toContain('"v2:hello"');
  });
});

describeE2E('edit a function node with the ACE code editor', { timeout: 120000 }, () => {
  // editorTheme.codeEditor.lib 'ace': the editor's other code editor, chosen by the runtime's settings
  const e = useE2E({ flows: injectFunctionDebugTab(), settings: { editorTheme: { tours: false, codeEditor: { lib: 'ace' } } } });

  test('change the code in ACE, Done, deploy, inject: the new output', async () => {
    const page = e.page;
    await openEditor(page, e.target.url);
    await nodeEl(page, 'e2e-function').locator('rect.red-ui-flow-node').dblclick();
    const code = page.locator('#red-ui-editor #node-input-func-editor .ace_editor');
    await code.waitFor({ state: 'visible' });
    expect(await page.locator('#red-ui-editor #node-input-func-editor .monaco-editor').count()).toBe(0);
    await code.locator('.ace_content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(NEW_CODE);
    await expect.poll(() => code.locator('.ace_content').innerText()).toContain("'v2:'");
    await page.locator('#node-dialog-ok').click();
    await page.locator('#red-ui-editor .red-ui-tray').waitFor({ state: 'detached' });
    await deploy(page);
    const flows = await (await e.target.api('flows')).json() as { id: string; func?: string }[];
    expect(flows.find((n) => n.id === 'e2e-function')?.func).toBe(NEW_CODE);
    await showSidebar(page, 'debug');
    await pressInject(page, 'e2e-inject');
    await expect.poll(() => debugMessages(page).count()).toBe(1);
    expect(await debugMessages(page).first().locator('.red-ui-debug-msg-payload').innerText()).toContain('"v2:hello"');
  });
});
