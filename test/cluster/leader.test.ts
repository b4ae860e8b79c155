// Scheduled work in a cluster (issue 16, "run once per cluster"): inject nodes' once / repeat fire on the
// leader only; when the leader is killed (SIGKILL), a survivor fires the next tick within leaseMs + 1 s, and no
// period of a repeat gets two ticks from the cluster. Two real Crimson processes (dist/cli.js) on one
// test-started redis-server; the ticks of the second test are recorded by an HTTP server of the test.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { freePort } from '../helpers/free-port.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const LEASE_MS = 1000;

const flows = [
  { id: 'tab', type: 'tab', label: 'leader' },
  { id: 'tick', type: 'inject', z: 'tab', repeat: '0.2', once: false, props: [{ p: 'payload' }], payload: '', payloadType: 'date', x: 1, y: 1, wires: [['count']] },
  { id: 'count', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [[]],
    func: 'global.set("ticks", (global.get("ticks") || 0) + 1);\nglobal.set("last", Date.now());\nreturn null;' },
  { id: 'first', type: 'inject', z: 'tab', repeat: '', once: true, onceDelay: 0.1, props: [{ p: 'payload' }], payload: '', payloadType: 'date', x: 1, y: 1, wires: [['once']] },
  { id: 'once', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [[]], func: 'global.set("once", (global.get("once") || 0) + 1);\nreturn null;' },
  { id: 'in', type: 'http in', z: 'tab', url: '/ticks', method: 'get', x: 1, y: 1, wires: [['read']] },
  { id: 'read', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['out']],
    func: 'msg.payload = { ticks: global.get("ticks") || 0, once: global.get("once") || 0, last: global.get("last") || 0 };\nreturn msg;' },
  { id: 'out', type: 'http response', z: 'tab', x: 1, y: 1, wires: [] },
];

// a repeat of 1 s whose every tick is reported (with the instance that fired it) to `/tick` on the test's server
const INTERVAL_MS = 1000;
const periodFlows = (recorder: number, schedule: Record<string, string> = { repeat: String(INTERVAL_MS / 1000), crontab: '' }) => [
  { id: 'ptab', type: 'tab', label: 'periods' },
  { id: 'pinject', type: 'inject', z: 'ptab', ...schedule, once: false, props: [{ p: 'payload' }], payload: '', payloadType: 'date', x: 1, y: 1, wires: [['paddr']] },
  { id: 'paddr', type: 'function', z: 'ptab', outputs: 1, x: 1, y: 1, wires: [['preport']],
    func: `msg.url = "http://127.0.0.1:${recorder}/tick?instance=" + global.get("instance");\nreturn msg;` },
  { id: 'preport', type: 'http request', z: 'ptab', name: '', method: 'GET', ret: 'txt', paytoqs: 'ignore', url: '', tls: '', persist: false,
    proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x: 1, y: 1, wires: [[]] },
  ...flows.filter((n) => ['in', 'read', 'out'].includes(n.id)).map((n) => ({ ...n, z: 'ptab' })),
];

describeRedis('cluster leader', () => {
  let redis: RedisServer;
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await redis?.stop();
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });

  async function member(withFlows: unknown[] | false, opts: { name?: string; instance?: string } = {}) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-leader-'));
    dirs.push(dir);
    if (withFlows) await fs.writeFile(path.join(dir, 'flows.json'), JSON.stringify(withFlows));
    const settings = path.join(dir, 'settings.js');
    await fs.writeFile(settings, `module.exports = ${JSON.stringify({
      uiHost: '127.0.0.1', credentialSecret: 'leader-secret', cluster: { url: redis.url, name: opts.name ?? 'leader', leaseMs: LEASE_MS },
      // the counters are per instance (a cluster's default context store is shared)
      contextStorage: { default: { module: 'memory' } },
      functionGlobalContext: { instance: opts.instance ?? '' },
      logging: { console: { level: 'info' } },
    })};\n`);
    const port = await freePort();
    const proc = spawn(process.execPath, [cli, '-p', String(port), '-u', dir, '-s', settings], { stdio: ['ignore', 'pipe', 'pipe'] });
    procs.push(proc);
    let log = '';
    proc.stdout!.on('data', (d) => { log += d; });
    proc.stderr!.on('data', (d) => { log += d; });
    const url = `http://127.0.0.1:${port}/`;
    const ticks = async () => (await fetch(url + 'ticks', { signal: AbortSignal.timeout(1000) })).json() as Promise<{ ticks: number; once: number; last: number }>;
    const end = Date.now() + 15000;
    for (;;) {
      try { await ticks(); break; } catch { /* not yet */ }
      if (proc.exitCode !== null || Date.now() > end) throw new Error(`crimson did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { proc, ticks, log: () => log, url, port, id: `${os.hostname()}:${port}` };
  }

  it('fires on the leader only, and on a survivor within leaseMs + 1 s of the leader being killed', async () => {
    const a = await member(flows);
    await new Promise((r) => setTimeout(r, 600));
    const b = await member(false);
    await new Promise((r) => setTimeout(r, 1000));
    const [ta, tb] = [await a.ticks(), await b.ticks()];
    // a started first and leads: its timers run, b's do not; the once inject fired on a only
    expect(ta.ticks).toBeGreaterThan(3);
    expect(tb.ticks).toBe(0);
    expect(ta.once).toBe(1);
    expect(tb.once).toBe(0);

    const before = await (await fetch(b.url + 'cluster')).json() as { leader: string; instances: Array<{ id: string; leader: boolean }> };
    expect(before.leader).toBe(a.id);
    expect(before.instances.map((i) => [i.id, i.leader])).toEqual([[a.id, true], [b.id, false]]);

    a.proc.kill('SIGKILL');
    const killed = Date.now();
    let first = 0;
    while (!first) {
      const t = await b.ticks();
      if (t.ticks > 0) first = t.last;
      else if (Date.now() - killed > LEASE_MS + 3000) throw new Error(`no tick on the survivor: ${b.log()}`);
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(first - killed).toBeLessThan(LEASE_MS + 1000);
    expect((await b.ticks()).once).toBe(0);
    expect(b.log()).toMatch(/now leads/);

    // GET /cluster on the survivor: it leads; the killed instance drops out after 3 × leaseMs
    const view = async () => (await fetch(b.url + 'cluster')).json() as Promise<{ name: string; leader: string; instances: Array<{ id: string; leader: boolean; rev: string; uptime: number; address: string }> }>;
    const end = Date.now() + 3 * LEASE_MS + 2000;
    let seen = await view();
    while (seen.instances.length > 1 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await view();
    }
    expect(seen.name).toBe('leader');
    expect(seen.leader).toBe(b.id);
    expect(seen.instances).toEqual([{ id: b.id, address: `127.0.0.1:${b.port}`, leader: true, rev: expect.any(String), uptime: expect.any(Number) }]);
    const flowsRev = ((await (await fetch(b.url + 'flows', { headers: { 'node-red-api-version': 'v2' } })).json()) as { rev: string }).rev;
    expect(seen.instances[0]!.rev).toBe(flowsRev);
  });

  type Tick = { instance: string; at: number };
  /**
   * Runs `schedule` on instance a with b following, reporting every tick to a recorder; waits for `ticksFirst`
   * ticks, kills a at `killAt(ticks)`, waits for b's first tick, then `afterMs` more. Ticks as recorded.
   */
  async function killLeaderBetweenTicks(opts: {
    name: string; schedule?: Record<string, string>; ticksFirst: number; killAt: (ticks: Tick[]) => number; afterMs: number;
  }): Promise<{ ticks: Tick[]; killed: number; ticksAtKill: number; firstB: Tick }> {
    const ticks: Tick[] = [];
    const recorder = http.createServer((req, res) => {
      ticks.push({ instance: new URL(req.url!, 'http://x').searchParams.get('instance') ?? '', at: Date.now() });
      res.end('ok');
    });
    await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
    try {
      const port = (recorder.address() as { port: number }).port;
      const a = await member(periodFlows(port, opts.schedule), { name: opts.name, instance: 'a' });
      await new Promise((r) => setTimeout(r, 300));
      const b = await member(false, { name: opts.name, instance: 'b' });
      while (ticks.length < opts.ticksFirst) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, opts.killAt(ticks) - Date.now()));
      a.proc.kill('SIGKILL');
      const killed = Date.now();
      const ticksAtKill = ticks.length;
      const end = killed + LEASE_MS + 3000;
      while (!ticks.some((t) => t.instance === 'b') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      const firstB = ticks.find((t) => t.instance === 'b');
      if (!firstB) throw new Error(`no tick on the survivor: ${b.log()}`);
      await new Promise((r) => setTimeout(r, opts.afterMs));
      return { ticks, killed, ticksAtKill, firstB };
    } finally {
      recorder.close();
    }
  }
  /** The shortest time between two ticks of the cluster, and the ticks relative to the kill (for a failure). */
  const shortestGap = (ticks: Tick[], killed: number) =>
    [Math.min(...ticks.slice(1).map((t, i) => t.at - ticks[i]!.at)), JSON.stringify(ticks.map((t) => [t.instance, t.at - killed]))] as const;

  it('gives no period of a repeat two ticks across the cluster when the leader is killed', async () => {
    // a few ticks of a, then kill it a third of the way into a period (its lease renewed at any point before);
    // then a few more periods of the survivor
    const { ticks, killed, ticksAtKill, firstB } = await killLeaderBetweenTicks({
      name: 'periods', ticksFirst: 3, killAt: (t) => t.at(-1)!.at + INTERVAL_MS / 3, afterMs: 3 * INTERVAL_MS + 200,
    });
    expect(ticks.slice(0, ticksAtKill).every((t) => t.instance === 'a')).toBe(true);
    // the survivor's first tick comes within leaseMs + 1 s of the kill
    expect(firstB.at - killed).toBeLessThan(LEASE_MS + 1000);
    const after = ticks.filter((t) => t.at >= killed);
    expect(after.every((t) => t.instance === 'b')).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(3);
    // no period got two ticks: no two ticks of the cluster closer than half an interval, across both instances
    const [gap, seen] = shortestGap(ticks, killed);
    expect(gap, seen).toBeGreaterThan(INTERVAL_MS / 2);
  });

  it('fires a crontab time that fell while the lease passed on, at once on the new leader, and only once', async () => {
    const PERIOD_MS = 3000;
    // kill a 300 ms before the next crontab time: that time falls while the lease passes on to b
    const { ticks, killed, firstB } = await killLeaderBetweenTicks({
      name: 'cron', schedule: { repeat: '', crontab: '*/3 * * * * *' }, ticksFirst: 2,
      killAt: () => Math.ceil((Date.now() + 1) / PERIOD_MS) * PERIOD_MS - 300, afterMs: 2 * PERIOD_MS + 200,
    });
    expect(firstB.at - killed).toBeLessThan(LEASE_MS + 1000);
    const after = ticks.filter((t) => t.at >= killed);
    expect(after.every((t) => t.instance === 'b')).toBe(true);
    // the missed time once, then one per period: no two ticks closer than half a period
    const [gap, seen] = shortestGap(ticks, killed);
    expect(gap, seen).toBeGreaterThan(PERIOD_MS / 2);
  });
});
