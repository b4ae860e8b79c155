// Settings > Environment: the env of `global-config` nodes is the global flow's env, under tab env and
// over process.env, as in Node-RED.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { withProbeNodes } from '../helpers/probe-nodes.js';

let c: Started;
let probes: Awaited<ReturnType<typeof withProbeNodes>>;
beforeEach(async () => { c = await startCrimson(); probes = await withProbeNodes(c); });
afterEach(async () => { await c.stop(); delete process.env.CRIMSON_GENV_TEST; });

describe('global-config env', () => {
  it('is seen by every tab unless the tab sets the name itself; process.env is the last scope', async () => {
    process.env.CRIMSON_GENV_TEST = 'from-process';
    const fn = (id: string, z: string) => ({ id, type: 'function', z, x: 1, y: 1, outputs: 1, wires: [['p']],
      func: 'msg.payload = [env.get("G"), env.get("T"), env.get("CRIMSON_GENV_TEST"), env.get("$parent.T")]; return msg;' });
    await c.deploy([
      { id: 'gc', type: 'global-config', env: [{ name: 'G', value: 'global', type: 'str' }, { name: 'T', value: 'global-t', type: 'str' }] },
      { id: 't1', type: 'tab', env: [{ name: 'T', value: 'tab-t', type: 'str' }] },
      { id: 't2', type: 'tab' },
      fn('f1', 't1'), fn('f2', 't2'),
      { id: 'p', type: 'probe', z: 't1', x: 1, y: 1, wires: [] },
    ]);
    c.runtime.engine.nodes.get('f1')!.receive({});
    await probes.settle();
    c.runtime.engine.nodes.get('f2')!.receive({});
    await probes.settle();
    expect(probes.of('p').map((m) => m.payload)).toEqual([
      ['global', 'tab-t', 'from-process', 'global-t'],
      ['global', 'global-t', 'from-process', 'global-t'],
    ]);
  });
});
