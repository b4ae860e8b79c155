// Dashboard 2.0 (@flowfuse/node-red-dashboard, pinned in dashboard-dir.ts) on Crimson and on Node-RED 4.1.15,
// the same userDir layout for both: the user's npm-downloads-chart seed deploys unchanged and runs, the
// dashboard serves its page, setup, manifest, socket.io and admin routes, a ui-chart fed points keeps them
// (its datastore), the WYSIWYG edit deploys a layout change, and in Chromium the page shows its widgets and
// the chart draws its points — each answer compared with Node-RED's.
// The Crimson side gets the settings Crimson's command line would give it (roots, userDir, its port), as
// Dashboard reads them from RED.settings; Node-RED's red.js sets the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { startBoth, waitFor } from '../loader/servers.js';
import type { Server } from '../loader/servers.js';
import { CHROMIUM, describeE2E } from '../../e2e/harness.js';
import { DASHBOARD, DASHBOARD_VERSION, dashboardUserDir } from './dashboard-dir.js';
import { ONE_MORE_INJECT, POINTS_CHART, POINTS_FLOW, POINTS_INJECT, SEED, SEED_CANNED, SEED_CHART, SEED_PAGE, SEED_TRIGGER } from './flows.js';
import { chartView, pageView } from './page.js';
import type { ChartView } from './page.js';
import { freePort } from '../../helpers/free-port.js';

type Both = Awaited<ReturnType<typeof startBoth>>;
const BASE = 'cb79bc4520925e32';
const POINTS_GROUP = 'c0ffee0000000005';
const SERIES_COLOUR: [number, number, number] = [0x00, 0x95, 0xff];


const post = (s: Server, p: string, body?: unknown, method = 'POST') => fetch(s.url + p, {
  method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});
/** A chart's stored messages without their random _msgid. */
const datastore = async (s: Server, id: string) => {
  const { body } = await s.json(`dashboard/_debug/datastore/${id}`);
  return Array.isArray(body) ? body.map(({ _msgid, ...m }: Record<string, unknown>) => m) : null;
};
const errorLines = (s: Server, from: number) => s.logs().slice(from).filter((l) => /^\[(error|warn)\]/.test(l));

describe(`${DASHBOARD} ${DASHBOARD_VERSION} on Crimson and Node-RED 4.1.15`, { timeout: 60_000 }, () => {
  let both: Both;
  let servers: Server[];
  beforeAll(async () => {
    const uiPort = await freePort();
    both = await startBoth(dashboardUserDir, (userDir) => ({ httpAdminRoot: '/', httpNodeRoot: '/', userDir, uiPort }));
    servers = [both.crimson, both.nodeRed];
  }, 300000);
  afterAll(async () => { await both?.stop(); }, 60000);

  /** Runs `fn` on both servers; checks the results are equal and gives Crimson's. */
  const onBoth = async <T>(fn: (s: Server) => Promise<T>, what: string): Promise<T> => {
    const [c, n] = await Promise.all(servers.map(fn));
    expect(c, what).toEqual(n);
    return c as T;
  };
  const deployBoth = async (flows: unknown[]) => {
    await Promise.all(servers.map((s) => s.deploy(flows)));
    // Node-RED answers a deploy before its flows have started
    await Promise.all(servers.map((s) => waitFor(async () => (await s.get('dashboard/_setup')).status === 200, 20000, `the dashboard on ${s.kind}`)));
  };

  it('loads the package from the userDir as Node-RED does', async () => {
    const info = await onBoth((s) => s.json(`nodes/${DASHBOARD}`), 'module info');
    expect(info.body).toMatchObject({ name: DASHBOARD, version: DASHBOARD_VERSION, local: true, user: true, plugins: [] });
    expect(info.body.nodes).toHaveLength(27);
    expect(info.body.nodes.every((n: { err?: unknown }) => n.err === undefined)).toBe(true);
    for (const set of ['ui-base', 'ui-chart', 'ui-group']) {
      await onBoth((s) => s.text(`nodes/${DASHBOARD}/${set}`, { accept: 'text/html' }), `${set} editor HTML`);
    }
    await onBoth((s) => s.json('nodes/messages?lng=en-US').then((r) => Object.keys(r.body).filter((k) => k.startsWith(DASHBOARD))), 'catalogues');
  });

  it('deploys the seed flow unchanged and serves its dashboard', async () => {
    const from = servers.map((s) => s.logs().length);
    await deployBoth([...SEED, ...POINTS_FLOW]);
    for (const [i, s] of servers.entries()) {
      expect(errorLines(s, from[i]!), s.kind).toEqual([]);
      expect(s.logs().slice(from[i])).toEqual(expect.arrayContaining([
        `[info] [ui-base:My UI] Node-RED Dashboard 2.0 (v${DASHBOARD_VERSION}) started at /dashboard`,
        '[info] [ui-base:My UI] Created socket.io server bound to Node-RED port at path /dashboard/socket.io',
      ]));
    }
    const redirect = await onBoth(async (s) => {
      const res = await fetch(s.url + 'dashboard', { redirect: 'manual' });
      return { status: res.status, location: res.headers.get('location') };
    }, 'GET /dashboard');
    expect(redirect).toEqual({ status: 301, location: '/dashboard/' });
    const index = await onBoth((s) => s.text('dashboard/'), 'the page');
    expect(index.body).toMatch(/^<!doctype html>/);
    expect((await onBoth((s) => s.json('dashboard/_setup'), 'setup')).body)
      .toEqual({ RED: { httpAdminRoot: '/', httpNodeRoot: '/' }, socketio: { path: '/dashboard/socket.io' } });
    await onBoth((s) => s.json('dashboard/manifest.webmanifest'), 'manifest');
    await onBoth(async (s) => (await s.get('dashboard/socket.io/socket.io.js')).text(), 'socket.io client');
    const handshake = await onBoth(async (s) => {
      const t = await (await s.get('dashboard/socket.io/?EIO=4&transport=polling')).text();
      const { sid, ...rest } = JSON.parse(t.slice(1)) as { sid: string };
      return { packet: t[0], sid: typeof sid, ...rest };
    }, 'socket.io handshake');
    expect(handshake).toMatchObject({ packet: '0', sid: 'string', upgrades: ['websocket'] });
  });

  it('stores the points a ui-chart is fed, from msg.payload.x and msg.payload.y', async () => {
    await Promise.all(servers.map((s) => post(s, `dashboard/chart/${POINTS_CHART}/clear`)));
    await Promise.all(servers.map((s) => post(s, `inject/${POINTS_INJECT}`)));
    await Promise.all(servers.map((s) => waitFor(async () => (await datastore(s, POINTS_CHART))?.length === 3, 20000, `points on ${s.kind}`)));
    expect(await onBoth((s) => datastore(s, POINTS_CHART), 'datastore')).toEqual([1, 5, 2, 7, 3, 4].reduce<unknown[]>((out, _, i, a) => {
      if (i % 2 === 0) out.push({ payload: { x: a[i], y: a[i + 1] }, _datapoint: { category: 'Series A', x: a[i], y: a[i + 1] } });
      return out;
    }, []));
    await onBoth((s) => s.json(`dashboard/_debug/statestore/${POINTS_CHART}`), 'statestore');
  });

  it('runs the seed through its chart as Node-RED does (a canned npm answer in place of the http request)', async () => {
    await deployBoth([...SEED_CANNED, ...POINTS_FLOW]);
    const from = servers.map((s) => s.logs().length);
    await Promise.all(servers.map((s) => post(s, `inject/${SEED_TRIGGER}`)));
    // the seed's chart has no y property: Node-RED's ui-chart logs an error for each of the 30 days
    await Promise.all(servers.map((s, i) => waitFor(() => errorLines(s, from[i]!).length >= 30, 20000, `the seed's run on ${s.kind}`)));
    const [c, n] = servers.map((s, i) => errorLines(s, from[i]!));
    expect(c).toEqual(n);
    expect(new Set(c)).toEqual(new Set([`[error] [ui-chart:${SEED_CHART}] Error: Invalid property expression: zero-length`]));
    await onBoth((s) => datastore(s, SEED_CHART), "the seed chart's datastore");
    // a full deploy restarted the points chart: it kept its points
    expect((await onBoth((s) => datastore(s, POINTS_CHART), 'points kept'))).toHaveLength(3);
  });

  it("answers Dashboard's admin routes (they read the parsed body) and deploys a WYSIWYG layout edit", async () => {
    const noKey = await onBoth(async (s) => {
      const res = await post(s, `dashboard/api/v1/${BASE}/flows`, { page: SEED_PAGE, changes: {}, key: 'x' }, 'PATCH');
      return { status: res.status, body: await res.json() };
    }, 'an edit without a key');
    expect(noKey).toEqual({ status: 400, body: { error: 'No changes to deploy' } });
    const edited = await onBoth(async (s) => {
      const start = await post(s, `dashboard/api/v1/${BASE}/edit/${SEED_PAGE}`, {}, 'PATCH');
      const { editKey, timestamp, ...config } = await start.json() as { editKey: string; timestamp: number };
      const change = { page: SEED_PAGE, key: editKey, changes: { widgets: [{ id: POINTS_CHART, group: POINTS_GROUP, order: 1, width: 3, height: 5 }] } };
      const res = await post(s, `dashboard/api/v1/${BASE}/flows`, change, 'PATCH');
      const flows = (await s.json('flows')).body as Array<Record<string, unknown>>;
      const chart = flows.find((n) => n.id === POINTS_CHART)!;
      return { start: start.status, config, status: res.status, width: chart.width, height: chart.height };
    }, 'an edit');
    expect(edited).toEqual({ start: 200, config: { path: '/', dashboard: BASE, page: SEED_PAGE }, status: 200, width: 3, height: 5 });
    // a modified-nodes deploy restarted the chart alone; it kept its points
    expect(await onBoth((s) => datastore(s, POINTS_CHART), 'points kept')).toHaveLength(3);
    await deployBoth([...SEED, ...POINTS_FLOW]);
  });

  it('keeps serving through an empty deploy and back', async () => {
    await Promise.all(servers.map((s) => s.deploy([])));
    await onBoth(async (s) => (await s.get('dashboard/_setup')).status, 'setup with no dashboard deployed');
    await deployBoth([...SEED, ...POINTS_FLOW]);
    await onBoth((s) => s.json('dashboard/_setup'), 'setup after');
  });

  describeE2E('in Chromium', { timeout: 180000 }, () => {
    let browser: Browser;
    beforeAll(async () => { browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }); }, 120000);
    afterAll(async () => { await browser?.close(); }, 60000);

    /** Opens the dashboard, waits until `check` holds for the points chart (polling), gives what the page shows. */
    async function visit(s: Server, check: (v: ChartView | undefined) => boolean, act?: () => Promise<unknown>) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const origin = new URL(s.url).origin;
      const problems: string[] = [];
      await context.route((u) => u.origin !== origin, (route) => { problems.push(`outside request ${route.request().url()}`); return route.abort(); });
      try {
        const page = await context.newPage();
        page.on('pageerror', (e) => problems.push(`page error ${e.message}`));
        page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error ${m.text()}`); });
        page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
        await page.goto(s.url + 'dashboard');
        await page.locator(`#nrdb-ui-widget-${POINTS_CHART} canvas`).waitFor({ timeout: 60000 });
        if (act) {
          await waitFor(async () => !!(await chartView(page, POINTS_CHART, SERIES_COLOUR))?.series.length, 30000, 'the chart');
          await act();
        }
        let chart: ChartView | undefined;
        await waitFor(async () => check(chart = await chartView(page, POINTS_CHART, SERIES_COLOUR)), 30000, `the chart on ${s.kind}`);
        return { view: await pageView(page), chart: chart!, problems };
      } finally {
        await context.close();
      }
    }
    const allDrawn = (n: number) => (v: ChartView | undefined) => v?.drawn.length === n && v.drawn.every(Boolean);

    it('shows the page with its widgets and draws the chart\'s points, then one more as it comes', async () => {
      await deployBoth([...SEED, ...POINTS_FLOW]);
      await Promise.all(servers.map((s) => post(s, `dashboard/chart/${POINTS_CHART}/clear`)));
      await Promise.all(servers.map((s) => post(s, `inject/${POINTS_INJECT}`)));
      await Promise.all(servers.map((s) => waitFor(async () => (await datastore(s, POINTS_CHART))?.length === 3, 20000, 'points')));
      const [c, n] = await Promise.all(servers.map((s) => visit(s, allDrawn(3))));
      expect(c).toEqual(n);
      expect(c!.problems).toEqual([]);
      expect(c!.view.title).toBe('Main');
      expect(c!.view.widgets).toEqual([
        `nrdb-ui-widget-${SEED_CHART} nrdb-ui-widget nrdb-ui-chart`,
        `nrdb-ui-widget-${POINTS_CHART} nrdb-ui-widget nrdb-ui-chart`,
      ]);
      expect(c!.view.text).toContain('NPM Downloads');
      expect(c!.chart).toEqual({
        series: [{ name: 'Series A', type: 'line', data: [[1, 5], [2, 7], [3, 4]] }], xAxis: ['value'], drawn: [true, true, true], drawnElsewhere: false,
      });
      // a point sent while the page is open is drawn as it arrives
      const [c2, n2] = await Promise.all(servers.map((s) => visit(s, allDrawn(4), () => post(s, `inject/${ONE_MORE_INJECT}`))));
      expect(c2).toEqual(n2);
      expect(c2!.chart.series[0]!.data).toEqual([[1, 5], [2, 7], [3, 4], [4, 9]]);
      expect(c2!.problems).toEqual([]);
    });
  });
});
