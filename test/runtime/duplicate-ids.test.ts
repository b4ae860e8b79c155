// Flows holding several nodes with one id, compared with Node-RED 4.1.15 side by side: a flows file with
// duplicates starts, a deploy of them (POST /flows v1 and v2, PUT /flow/:id, POST /flow) is accepted and
// stored as sent, and both run the same nodes: in each tab, subflow and among the global config nodes the
// last node of an id (a wire to the id reaches it; the earlier one does not run at all), per tab (the same id
// on two tabs runs twice), the last of two tabs with one id (label, env, disabled) over all their nodes.
// Crimson logs one warning naming the ids (Node-RED says nothing).
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoth, waitFor, type Server } from '../registry/loader/servers.js';

/** A config node type (`dup-cfg`, its name) and a node (`dup-read`) answering with the name of the config node it names. */
async function dupPackage(userDir: string): Promise<void> {
  const dir = path.join(userDir, 'node_modules', 'dup-probe');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'dup-probe', version: '1.0.0', 'node-red': { nodes: { probe: 'probe.js' } } }));
  await fs.writeFile(path.join(dir, 'probe.js'), `module.exports = function (RED) {
  function Cfg(config) { RED.nodes.createNode(this, config); this.label = config.name; }
  RED.nodes.registerType('dup-cfg', Cfg);
  function Read(config) {
    RED.nodes.createNode(this, config);
    const cfg = RED.nodes.getNode(config.cfg);
    this.on('input', (msg, send, done) => { msg.payload = cfg ? cfg.label : 'none'; send(msg); done(); });
  }
  RED.nodes.registerType('dup-read', Read);
};
`);
  await fs.writeFile(path.join(dir, 'probe.html'), `<script type="text/javascript">
RED.nodes.registerType('dup-cfg', { category: 'config', defaults: { name: { value: '' } } });
RED.nodes.registerType('dup-read', { category: 'function', inputs: 1, outputs: 1, defaults: { cfg: { value: '', type: 'dup-cfg' } } });
</script>
<script type="text/html" data-template-name="dup-cfg"><div></div></script>
<script type="text/html" data-template-name="dup-read"><div></div></script>
`);
}

const at = { x: 100, y: 100 };
const httpIn = (id: string, z: string, url: string, to: string) => ({ id, type: 'http in', z, url, method: 'get', ...at, wires: [[to]] });
const fn = (id: string, z: string, body: string, to: string) => ({ id, type: 'function', z, func: `${body}\nreturn msg;`, outputs: 1, ...at, wires: [[to]] });
const answer = (id: string, z: string) => ({ id, type: 'http response', z, ...at, wires: [] });

/**
 * The flows: `a` and `b` are the two versions of each duplicated node, in file order. Every route answers
 * with the payload of the node that ran.
 */
function flows(a: string, b: string): unknown[] {
  return [
    { id: 't1', type: 'tab', label: 'T1' },
    httpIn('in-same', 't1', '/same', 'dup'),
    fn('dup', 't1', `msg.payload = 'dup-${a}';`, 'res1'),
    fn('dup', 't1', `msg.payload = 'dup-${b}';`, 'res1'),
    answer('res1', 't1'),
    // an http in shadowed by a later function of the same id: its route is never registered
    httpIn('in-shadowed', 't1', '/shadowed', 'res1'),
    fn('in-shadowed', 't1', '', 'res1'),
    // a config node of the tab, twice
    httpIn('in-cfg', 't1', '/cfg', 'read-cfg'),
    { id: 'read-cfg', type: 'dup-read', z: 't1', cfg: 'cfg1', ...at, wires: [['res1']] },
    { id: 'cfg1', type: 'dup-cfg', z: 't1', name: `tab-cfg-${a}` },
    { id: 'cfg1', type: 'dup-cfg', z: 't1', name: `tab-cfg-${b}` },
    // a global config node, twice
    httpIn('in-gcfg', 't1', '/gcfg', 'read-gcfg'),
    { id: 'read-gcfg', type: 'dup-read', z: 't1', cfg: 'gcfg', ...at, wires: [['res1']] },
    { id: 'gcfg', type: 'dup-cfg', name: `global-cfg-${a}` },
    { id: 'gcfg', type: 'dup-cfg', name: `global-cfg-${b}` },
    // the global environment (two global-config nodes), a subflow with a duplicated node, two link in nodes
    httpIn('in-env', 't1', '/env', 'env'),
    fn('env', 't1', `msg.payload = env.get('G');`, 'res1'),
    httpIn('in-sub', 't1', '/sub', 'start'),
    { id: 'start', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'start', tot: 'str' }], ...at, wires: [['inst']] },
    { id: 'inst', type: 'subflow:sf', z: 't1', ...at, wires: [['lo']] },
    { id: 'lo', type: 'link out', z: 't1', mode: 'link', links: ['li'], ...at, wires: [] },
    { id: 'li', type: 'link in', z: 't1', links: [], ...at, wires: [['after-a']] },
    { id: 'li', type: 'link in', z: 't1', links: [], ...at, wires: [['after-b']] },
    fn('after-a', 't1', `msg.payload += '-link-${a}';`, 'res1'),
    fn('after-b', 't1', `msg.payload += '-link-${b}';`, 'res1'),
    { id: 'sf', type: 'subflow', name: 'S', in: [{ x: 50, y: 30, wires: [{ id: 's1' }] }], out: [{ x: 300, y: 30, wires: [{ id: 's1', port: 0 }] }] },
    { id: 's1', type: 'function', z: 'sf', func: `msg.payload += '-sub-${a}';\nreturn msg;`, outputs: 1, ...at, wires: [[]] },
    { id: 's1', type: 'function', z: 'sf', func: `msg.payload += '-sub-${b}';\nreturn msg;`, outputs: 1, ...at, wires: [[]] },
    { id: 'gc', type: 'global-config', env: [{ name: 'G', value: `g-${a}`, type: 'str' }] },
    { id: 'gc', type: 'global-config', env: [{ name: 'G', value: `g-${b}`, type: 'str' }] },
    // the same id on another tab: a wire from this tab reaches this tab's node
    { id: 't2', type: 'tab', label: 'T2' },
    httpIn('in-other', 't2', '/other', 'dup'),
    fn('dup', 't2', `msg.payload = 'other-tab';`, 'res2'),
    answer('res2', 't2'),
    // two tabs with one id: the last one's label, env and disabled flag, over the nodes of both
    { id: 'tt', type: 'tab', label: `tab-${a}`, disabled: true },
    httpIn('in-tab-a', 'tt', '/tab-a', 'tab-fn'),
    fn('tab-fn', 'tt', `msg.payload = env.get('NR_FLOW_NAME') + ':' + env.get('F');`, 'res3'),
    answer('res3', 'tt'),
    { id: 'tt', type: 'tab', label: `tab-${b}`, env: [{ name: 'F', value: `f-${b}`, type: 'str' }] },
    httpIn('in-tab-b', 'tt', '/tab-b', 'tab-fn'),
  ];
}

const ROUTES = ['same', 'shadowed', 'cfg', 'gcfg', 'env', 'sub', 'other', 'tab-a', 'tab-b'];
/** What each route answers when the `last` version of every duplicate runs. */
const expected = (last: string) => ({
  same: `200 dup-${last}`, shadowed: '404', cfg: `200 tab-cfg-${last}`, gcfg: `200 global-cfg-${last}`, env: `200 g-${last}`,
  sub: `200 start-sub-${last}-link-${last}`, other: '200 other-tab', 'tab-a': `200 tab-${last}:f-${last}`, 'tab-b': `200 tab-${last}:f-${last}`,
});

async function routes(s: Server): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of ROUTES) {
    const res = await fetch(s.url + r, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    out[r] = !res ? 'no answer' : res.status === 200 ? `200 ${await res.text()}` : String(res.status);
  }
  return out;
}

const FILE = flows('one', 'two');
const json = (body: unknown, extra: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body),
});

describe('duplicate node ids, compared with Node-RED 4.1.15', () => {
  let both: Awaited<ReturnType<typeof startBoth>>;
  const servers = () => [both.crimson, both.nodeRed];
  beforeAll(async () => {
    both = await startBoth(async (dir) => {
      await dupPackage(dir);
      await fs.writeFile(path.join(dir, 'flows.json'), JSON.stringify(FILE));
    }, { flowFile: 'flows.json' });
  }, 120000);
  afterAll(async () => { await both?.stop(); }, 60000);

  /** Runs `request` on a server and waits for the flows it restarts to have started (Node-RED answers before). */
  async function settled<T>(s: Server, request: () => Promise<T>): Promise<{ result: T; log: string[] }> {
    const from = s.logs().length;
    const result = await request();
    await waitFor(() => s.logs().slice(from).some((l) => /^\[info\] (Started flows|Started modified|Updated flow:|Adding flow:)/.test(l)), 20000, 'the flows to start');
    await new Promise((r) => setTimeout(r, 100));
    return { result, log: s.logs().slice(from) };
  }

  it('a flows file with duplicate ids starts and runs the same nodes', async () => {
    const [c, n] = await Promise.all(servers().map(routes));
    expect(c).toEqual(n);
    expect(c).toEqual(expected('two'));
  });

  it('GET /flows answers the file as written; GET /flow/:id shows the nodes that run', async () => {
    for (const s of servers()) expect((await s.json('flows')).body, s.kind).toEqual(FILE);
    for (const id of ['t1', 't2', 'tt', 'global']) {
      const [c, n] = await Promise.all(servers().map((s) => s.json(`flow/${id}`)));
      expect(c, `flow/${id}`).toEqual(n);
    }
    const t1 = (await both.crimson.json('flow/t1')).body;
    const dup = t1.nodes.filter((x: { id: string }) => x.id === 'dup');
    expect(dup).toHaveLength(1);
    expect(dup[0].func).toContain('dup-two');
    // in the place of the first one
    expect(t1.nodes.findIndex((x: { id: string }) => x.id === 'dup')).toBe(1);
    expect((await both.crimson.json('flow/tt')).body).toMatchObject({ label: 'tab-two', env: [{ name: 'F', value: 'f-two', type: 'str' }] });
  });

  it('logs one warning naming the duplicated ids at start (Node-RED says nothing)', () => {
    const warnings = both.crimson.logs().filter((l) => l.includes('Duplicate node ids'));
    expect(warnings).toEqual(['[warn] Duplicate node ids in the flows: dup, in-shadowed, cfg1, gcfg, li, s1, gc, tt (within a flow, only the last node with an id runs)']);
    expect(both.nodeRed.logs().filter((l) => /duplicate/i.test(l))).toEqual([]);
  });

  it('a v1 deploy with duplicate ids is accepted (204), stored as sent and runs the same nodes', async () => {
    const deployed = flows('three', 'four');
    const answers = await Promise.all(servers().map((s) => settled(s, () => fetch(s.url + 'flows', { method: 'POST', ...json(deployed) }))));
    for (const a of answers) expect(a.result.status).toBe(204);
    expect(answers[0]!.log.filter((l) => l.includes('Duplicate node ids'))).toHaveLength(1);
    const [c, n] = await Promise.all(servers().map(routes));
    expect(c).toEqual(n);
    expect(c).toEqual(expected('four'));
    for (const s of servers()) expect((await s.json('flows')).body, s.kind).toEqual(deployed);
    const stored = JSON.parse(await fs.readFile(path.join(both.crimson.userDir, 'flows.json'), 'utf8'));
    expect(stored).toEqual(deployed);
  });

  it('a v2 deploy with duplicate ids answers 200 with the same rev as Node-RED', async () => {
    const deployed = flows('five', 'six');
    const v2 = { 'node-red-api-version': 'v2' };
    const answers = await Promise.all(servers().map((s) => settled(s, async () => {
      const res = await fetch(s.url + 'flows', { method: 'POST', ...json({ flows: deployed }, v2) });
      return { status: res.status, body: await res.json() };
    })));
    expect(answers[0]!.result.status).toBe(200);
    expect(answers[0]!.result).toEqual(answers[1]!.result);
    const [c, n] = await Promise.all(servers().map(routes));
    expect(c).toEqual(n);
    expect(c).toEqual(expected('six'));
    const got = await Promise.all(servers().map(async (s) => (await (await fetch(s.url + 'flows', { headers: v2 })).json())));
    expect(got[0]).toEqual(got[1]);
    expect(got[0].flows).toEqual(deployed);
  });

  it('PUT /flow/:id and POST /flow take duplicates in their nodes as Node-RED does', async () => {
    const tab = {
      label: 'T2 again',
      nodes: [httpIn('in-other', 't2', '/other', 'dup'), fn('dup', 't2', `msg.payload = 'put-a';`, 'res2'), fn('dup', 't2', `msg.payload = 'put-b';`, 'res2'), answer('res2', 't2')],
    };
    const put = await Promise.all(servers().map((s) => settled(s, async () => {
      const res = await fetch(s.url + 'flow/t2', { method: 'PUT', ...json(tab) });
      return { status: res.status, body: await res.json() };
    })));
    expect(put[0]!.result).toEqual({ status: 200, body: { id: 't2' } });
    expect(put[0]!.result).toEqual(put[1]!.result);
    const [c, n] = await Promise.all(servers().map((s) => s.json('flow/t2')));
    expect(c).toEqual(n);
    for (const s of servers()) expect(await (await fetch(s.url + 'other')).text(), s.kind).toBe('put-b');

    const added = { label: 'added', nodes: [httpIn('add-in', '', '/added', 'add-fn'), fn('add-fn', '', `msg.payload = 'add-a';`, 'add-res'), fn('add-fn', '', `msg.payload = 'add-b';`, 'add-res'), answer('add-res', '')] };
    const post = await Promise.all(servers().map((s) => settled(s, async () => {
      const res = await fetch(s.url + 'flow', { method: 'POST', ...json(added) });
      return { status: res.status, body: await res.json() };
    })));
    for (const p of post) expect(p.result.status).toBe(200);
    for (const s of servers()) expect(await (await fetch(s.url + 'added')).text(), s.kind).toBe('add-b');
    // a node of the posted flow whose id the flows already hold is still refused, as before
    const clash = await Promise.all(servers().map(async (s) => {
      const res = await fetch(s.url + 'flow', { method: 'POST', ...json({ nodes: [fn('dup', '', '', 'x')] }) });
      return { status: res.status, body: await res.json() };
    }));
    expect(clash[0]).toEqual(clash[1]);
    expect(clash[0]).toEqual({ status: 400, body: { code: 'unexpected_error', message: 'duplicate id' } });
  });

  it('the inject button reaches the same of two same-id nodes, also after a modified deploy removed the tab of one', async () => {
    const inject = (z: string) => [
      { id: 'inj', type: 'inject', z, props: [{ p: 'payload' }], payload: z, payloadType: 'str', once: false, repeat: '', crontab: '', topic: '', ...at, wires: [[`keep-${z}`]] },
      { id: `keep-${z}`, type: 'change', z, rules: [{ t: 'set', p: 'hit', pt: 'global', to: 'payload', tot: 'msg' }], ...at, wires: [] },
    ];
    const hit = async (s: Server) => {
      expect((await fetch(s.url + 'inject/inj', { method: 'POST' })).status, s.kind).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      return (await s.json('context/global/hit')).body;
    };
    // tab i2 runs after i1, but i1's inject is the last of the file: it is the one whose config the diff compares
    const [inj1, keep1] = inject('i1');
    const [inj2, keep2] = inject('i2');
    const both2 = [{ id: 'i1', type: 'tab' }, { id: 'i2', type: 'tab' }, inj2, keep2, keep1, inj1];
    for (const s of servers()) await settled(s, () => fetch(s.url + 'flows', { method: 'POST', ...json(both2) }));
    const [c, n] = await Promise.all(servers().map(hit));
    expect(c).toEqual(n);
    expect(c).toMatchObject({ msg: 'i2' });
    // tab i2 removed: its flow stops, i1's inject (unchanged) keeps running untouched
    const one = [{ id: 'i1', type: 'tab' }, keep1, inj1];
    for (const s of servers()) await settled(s, () => fetch(s.url + 'flows', { method: 'POST', ...json(one, { 'node-red-deployment-type': 'nodes' }) }));
    const [c2, n2] = await Promise.all(servers().map(hit));
    expect(c2).toEqual(n2);
    expect(c2).toMatchObject({ msg: 'i1' });
  });
});
