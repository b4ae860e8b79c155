// RED.settings.getUserSettings / setUserSettings share the editor users' settings with GET / POST
// /settings/user (anonymous user "_", as Node-RED keys it), and what either writes lasts across a restart.
import { afterEach, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { RED } from '../../src/registry/red-types.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const withRED = async (s: Started): Promise<RED> => {
  let red: RED | undefined;
  await s.runtime.loadNodeModule({ name: 'probe-user-settings', version: '1.0.0' }, { p: (R) => { red = R; } });
  return red!;
};

it('are the same settings the editor reads and writes, kept across a restart', async () => {
  c = await startCrimson();
  const RED = await withRED(c);
  expect(RED.settings.getUserSettings('_')).toBeUndefined();
  await RED.settings.setUserSettings('_', { fromNode: 1 });
  expect(await (await fetch(c.url + 'settings/user')).json()).toEqual({ fromNode: 1 });

  const post = await fetch(c.url + 'settings/user', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fromEditor: 'x' }) });
  expect(post.status).toBe(204);
  const seen = RED.settings.getUserSettings('_');
  expect(seen).toEqual({ fromNode: 1, fromEditor: 'x' });
  // a copy: changing it changes nothing
  seen.fromNode = 99;
  expect(RED.settings.getUserSettings('_').fromNode).toBe(1);

  const userDir = c.userDir;
  await c.stop({ keepDir: true });
  c = await startCrimson({ userDir });
  const again = await withRED(c);
  expect(again.settings.getUserSettings('_')).toEqual({ fromNode: 1, fromEditor: 'x' });
  expect(await (await fetch(c.url + 'settings/user')).json()).toEqual({ fromNode: 1, fromEditor: 'x' });
});
