// The order config nodes are created in, compared with Node-RED 4.1.15 on the same flows: a config node that
// names another config node of its flow (any property holding its id) is created after it (Dashboard's
// ui-group needs its ui-page, which needs its ui-base); a disabled one is not waited for; a circular
// dependency fails that flow alone (logged), the other flows and the nodes created before still run.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoth } from '../registry/loader/servers.js';
import type { Server } from '../registry/loader/servers.js';

/** A config node type that records, as it is created, its id and whether the node its `ref` names exists yet. */
async function cfgRefPackage(userDir: string): Promise<void> {
  const dir = path.join(userDir, 'node_modules', 'cfg-ref');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'cfg-ref', version: '1.0.0', 'node-red': { nodes: { cfg: 'cfg.js' } } }));
  await fs.writeFile(path.join(dir, 'cfg.js'), `module.exports = function (RED) {
  const created = [];
  function Cfg(config) {
    RED.nodes.createNode(this, config);
    created.push(config.id + (config.ref ? '(' + config.ref + ':' + !!RED.nodes.getNode(config.ref) + ')' : ''));
  }
  RED.nodes.registerType('cfg-ref', Cfg);
  RED.httpAdmin.get('/cfg-created', (req, res) => { res.json(created.splice(0)); });
};
`);
  await fs.writeFile(path.join(dir, 'cfg.html'), `<script type="text/javascript">RED.nodes.registerType('cfg-ref', { category: 'config', defaults: { ref: { value: '' } } });</script>
<script type="text/html" data-template-name="cfg-ref"><div></div></script>
`);
}

describe('config node creation order, compared with Node-RED 4.1.15', () => {
  let both: Awaited<ReturnType<typeof startBoth>>;
  beforeAll(async () => { both = await startBoth(cfgRefPackage); }, 120000);
  afterAll(async () => { await both?.stop(); }, 60000);

  /** Deploys on both and gives, per server, the config nodes created (once the deploy has settled). */
  async function created(flows: unknown[]): Promise<Array<{ created: unknown; log: string[] }>> {
    return Promise.all([both.crimson, both.nodeRed].map(async (s: Server) => {
      const from = s.logs().length;
      await s.deploy(flows);
      // Node-RED answers a deploy before its flows have started
      const deadline = Date.now() + 20000;
      while (!s.logs().slice(from).some((l) => l === '[info] Started flows') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return { created: (await s.json('cfg-created')).body, log: s.logs().slice(from) };
    }));
  }

  it('creates a config node after the config nodes of its flow it names', async () => {
    const [c, n] = await created([
      { id: 't1', type: 'tab', label: 't' },
      { id: 'a', type: 'cfg-ref', ref: 'b' },
      { id: 'b', type: 'cfg-ref', ref: 'c' },
      { id: 'c', type: 'cfg-ref' },
      { id: 'x', type: 'cfg-ref', z: 't1', ref: 'y' },
      { id: 'y', type: 'cfg-ref', z: 't1', other: 'c' },
      { id: 'dd', type: 'cfg-ref', ref: 'dis' },
      { id: 'dis', type: 'cfg-ref', d: true },
    ]);
    expect(c!.created).toEqual(n!.created);
    // global ones first (a names b, b names c; dd names a disabled one: not waited for), then the tab's
    // (y names c, a node of another flow: not waited for either)
    expect(c!.created).toEqual(['c', 'dd(dis:false)', 'b(c:true)', 'a(b:true)', 'y', 'x(y:true)']);
  });

  it('logs a circular dependency and starts what it can', async () => {
    const [c, n] = await created([{ id: 'p', type: 'cfg-ref', ref: 'q' }, { id: 'q', type: 'cfg-ref', ref: 'p' }, { id: 'ok', type: 'cfg-ref' }]);
    expect(c!.created).toEqual(n!.created);
    expect(c!.created).toEqual(['ok']);
    expect(n!.log).toContain('Error: Circular config node dependency detected: p');
    expect(c!.log).toContain('[error] Error: Circular config node dependency detected: p');
    for (const r of [c!, n!]) expect(r.log).toContain('[info] Started flows');
    const [c2, n2] = await created([{ id: 'ok', type: 'cfg-ref' }]);
    expect(c2!.created).toEqual(n2!.created);
  });
});
