// What each of the six npm packages does in a flow, on Crimson and on Node-RED 4.1.15 with the same flow
// (flows.ts): exact answers where the node is deterministic (base64, smooth, moment with fixed dates and
// time zones, data-generator with a seed, cron-plus commands), shapes and ranges where it is random
// (random, data-generator without a seed, cron-plus schedule times), and the same log lines (RED._ texts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../loader/servers.js';
import { askBoth, linesOf, postBoth, startOnPackages } from './helpers.js';
import type { Server } from './helpers.js';
import { PACKAGE_FLOWS } from './flows.js';

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startOnPackages(PACKAGE_FLOWS));
  for (const s of [crimson, nodeRed]) {
    await waitFor(() => s.logs().includes('[info] Started flows'), 30000, `${s.kind} to start the flows`)
      .catch((err) => { throw new Error(`${String(err)}:\n${s.logs().join('\n')}`); });
  }
}, 420000);
afterAll(async () => { await stopAll?.(); });

const text = (body: string) => ({ method: 'POST', headers: { 'content-type': 'text/plain' }, body });
const both = (p: string, init?: RequestInit) => askBoth(crimson, nodeRed, p, init);
/** Log lines after `from[kind]` matching, for both. */
const marks = () => ({ c: crimson.logs().length, n: nodeRed.logs().length });
const logsSince = (m: { c: number; n: number }, re: RegExp) => [linesOf(crimson, re, m.c), linesOf(nodeRed, re, m.n)];
async function logsEventually(m: { c: number; n: number }, re: RegExp, count = 1) {
  await waitFor(() => logsSince(m, re).every((l) => l.length >= count), 10000, `log ${re}`);
  return logsSince(m, re);
}

describe('node-red-node-random', () => {
  it('integers in the range, both ends reachable', async () => {
    for (const s of [crimson, nodeRed]) {
      const seen = new Set<number>();
      for (let i = 0; i < 60; i++) {
        const res = await fetch(s.url + 'random/int');
        const v = Number(await res.text());
        expect(res.status).toBe(200);
        expect(Number.isInteger(v) && v >= 1 && v <= 6, `${s.kind} ${v}`).toBe(true);
        seen.add(v);
      }
      expect(seen.size, s.kind).toBeGreaterThanOrEqual(4);
    }
  });

  it('floats in [low, high), and msg.from / msg.to when the node sets none', async () => {
    for (let i = 0; i < 20; i++) {
      const [a, b] = await both('random/float');
      for (const v of [Number(a.body), Number(b.body)]) expect(v >= 2.5 && v < 3.5 && !Number.isNaN(v), String(v)).toBe(true);
      expect(a.type).toBe(b.type);
      // from > to: swapped; the value lands where the node's `property` says (out.value)
      const [c, d] = await both('random/msg?from=20&to=10');
      for (const r of [c, d]) {
        const o = JSON.parse(r.body);
        expect(Object.keys(o)).toEqual(['value']);
        expect(Number.isInteger(o.value) && o.value >= 10 && o.value <= 20).toBe(true);
      }
    }
  });

  it('a non-number msg.from: the same error in the log', async () => {
    const m = marks();
    const [a, b] = await both('random/bad?from=abc');
    expect(a.status).toBe(b.status);
    const [lc, ln] = await logsEventually(m, /\[random:/);
    expect(lc).toEqual(ln);
    expect(lc[0]).toMatch(/^\[error\] \[random:[^\]]+\] Random: one of the input values is not a number\. {2}From: abc$/);
  });
});

describe('node-red-node-base64', () => {
  it('encodes and decodes as Node-RED does', async () => {
    for (const [p, body] of [['b64/toggle', 'SGVsbG8sIFdvcmxkIQ=='], ['b64/str', 'Hello, World!'], ['b64/str', 'SGVsbG8='], ['b64/b64', 'SGVsbG8sIFdvcmxkIQ=='], ['b64/b64', 'SGVs bG8s\nIFdv cmxkIQ==']]) {
      const [a, b] = await both(p, text(body));
      expect(a, `${p} ${body}`).toEqual(b);
      expect(a.status).toBe(200);
    }
    expect((await both('b64/str', text('Hello, World!')))[0].body).toBe('SGVsbG8sIFdvcmxkIQ==');
    expect((await both('b64/b64', text('SGVsbG8sIFdvcmxkIQ==')))[0].body).toBe('Hello, World!');
  });

  it('logs its own catalogue\'s text (RED._) when it has to encode a non-base64 string', async () => {
    const m = marks();
    const [a, b] = await both('b64/toggle', text('not base64!'));
    expect(a).toEqual(b);
    expect(a.body).toBe(Buffer.from('not base64!').toString('base64'));
    const [lc, ln] = await logsEventually(m, /\[base64:/);
    expect(lc).toEqual(ln);
    expect(lc).toEqual([expect.stringMatching(/^\[info\] \[base64:[^\]]+\] Not a Base64 string - maybe we should encode it\.\.\.$/)]);
  });

  it('reports invalid input with its message (to a catch node), and a missing property as a warning', async () => {
    const [a, b] = await both('b64/b64', text('%%%'));
    expect(a).toEqual(b);
    expect(JSON.parse(a.body)).toEqual({ error: expect.stringMatching(/\S/) });
    const m = marks();
    await both('b64/none', text('x'));
    const [lc, ln] = await logsEventually(m, /\[base64:/);
    expect(lc).toEqual(ln);
    expect(lc[0]).toMatch(/^\[warn\] \[base64:[^\]]+\] /);
  });
});

describe('node-red-node-smooth', () => {
  const series = [1, 5, 3, 8, 2, 7, 7, 4];
  it('the same running values for every function, per node', async () => {
    const out: Record<string, string[]> = {};
    for (const name of ['mean', 'max', 'min', 'sd', 'low', 'high']) {
      out[name] = [];
      for (const v of series) {
        const [a, b] = await both(`smooth/${name}`, text(String(v)));
        expect(a, `${name} ${v}`).toEqual(b);
        out[name].push(a.body);
      }
    }
    expect(out.mean.map(Number)).toEqual([1, 3, 3, 16 / 3, 13 / 3, 17 / 3, 16 / 3, 6].map((x) => expect.closeTo(x, 9)));
    expect(out.max.map(Number)).toEqual([1, 5, 5, 8, 8, 8, 7, 7]);
    expect(out.min.map(Number)).toEqual([1, 1, 1, 3, 2, 2, 2, 4]);
  });

  it('series per topic, and reduce sends one value per count', async () => {
    for (const [t, v] of [['a', 1], ['b', 10], ['a', 3], ['b', 20], ['a', 5]] as const) {
      const [a, b] = await both(`smooth/multi?t=${t}`, text(String(v)));
      expect(a).toEqual(b);
    }
    expect((await both('smooth/multi?t=a', text('7')))[0].body).toBe('6');
    for (const v of [2, 4, 6, 8, 10]) await both('smooth/reduce', text(String(v)));
    const [a, b] = await both('smooth/reduced');
    expect(a).toEqual(b);
    expect(JSON.parse(a.body)).toEqual([3, 7]);
  });
});

describe('node-red-node-data-generator', () => {
  it('without a seed: values of the template\'s shape and ranges', async () => {
    for (let i = 0; i < 10; i++) {
      const [a, b] = await both('gen/json');
      for (const r of [a, b]) {
        expect(r.status).toBe(200);
        const o = JSON.parse(r.body);
        expect(Object.keys(o)).toEqual(['name', 'age', 'email', 'score', 'ok', 'tags']);
        expect(o.name).toMatch(/^\S+ \S+$/);
        expect(Number.isInteger(o.age) && o.age >= 18 && o.age <= 65).toBe(true);
        expect(o.email).toMatch(/^[^@\s]+@[^@\s]+\.\w+$/);
        expect(o.score >= 0 && o.score <= 1).toBe(true);
        expect(typeof o.ok).toBe('boolean');
        expect(o.tags).toHaveLength(3);
      }
      expect(a.type).toBe(b.type);
      const [c, d] = await both('gen/text');
      for (const r of [c, d]) expect(r.body).toMatch(/^Hello \S+, you are [1-9]$/);
    }
  });

  it('with msg.seed: the same values on both', async () => {
    const [a, b] = await both('gen/seeded');
    expect(a).toEqual(b);
    const [c] = await both('gen/seeded');
    expect(c.body).toBe(a.body);
    // the message is the template's mock data
    const [d, e] = await both('gen/mockdata?who=Ada');
    expect(d).toEqual(e);
    expect(d.body).toBe('Hi Ada');
  });

  it('a template that is not JSON: its catalogue\'s error text in the log, the text passed on', async () => {
    const m = marks();
    const [a, b] = await both('gen/badjson');
    expect(a).toEqual(b);
    const [lc, ln] = await logsEventually(m, /\[data-generator:/);
    expect(lc).toEqual(ln);
    expect(lc[0]).toMatch(/^\[error\] \[data-generator:[^\]]+\] /);
    expect(lc[0]).not.toContain('datagen.errors');
  });

  it('registers its library type (RED.library.register)', async () => {
    const [a, b] = await both('library/local/datagenerator/');
    expect(a).toEqual(b);
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '{{firstName}}', name: 'first' }) };
    const [c, d] = await both('library/local/datagenerator/mine/first', post);
    expect(c).toEqual(d);
    // Node-RED answers the save before it has renamed its temporary file (first.$$$) into place
    await waitFor(async () => !(await both('library/local/datagenerator/mine'))[1].body.includes('$$$'), 5000, 'the saved entry');
    for (const p of ['library/local/datagenerator/', 'library/local/datagenerator/mine', 'library/local/datagenerator/mine/first']) {
      const [e, f] = await both(p);
      expect(e, p).toEqual(f);
    }
  });
});

describe('node-red-contrib-moment', () => {
  it('the same dates for fixed inputs, time zones, adjustments and locales', async () => {
    const m = marks();
    const inputs = ['2024-03-31T00:30:00', '2024-10-27 01:30', '1999-12-31T23:59:59.999Z', '15/08/2023 14:05', 'Tue, 05 Nov 2024 10:00:00 GMT'];
    for (const name of ['ny', 'iso', 'de', 'object', 'us', 'badtz', 'add']) {
      for (const input of inputs) {
        const [a, b] = await both(`moment/${name}`, text(input));
        expect(a, `${name} ${input}`).toEqual(b);
        expect(a.status).toBe(200);
      }
    }
    const first = JSON.parse((await both('moment/ny', text('2024-03-31T00:30:00')))[0].body);
    expect(first.payload).toBe('2024-03-30 20:30:00 -04:00');
    expect(first.settings).toMatchObject({ input_tz: 'Europe/London', output_tz: 'America/New_York', output_locale: 'en' });
    expect(JSON.parse((await both('moment/iso', text('2024-01-01T00:00:00')))[0].body).payload).toBe('2023-12-31T22:30:00.000Z');
    expect(JSON.parse((await both('moment/de', text('2024-03-31T12:00:00')))[0].body).payload).toBe('Sonntag, 31. März 2024 12:00');
    // an unknown time zone: warned of once (the node then keeps UTC)
    const [lc, ln] = logsSince(m, /\[moment:/);
    expect(lc).toEqual(ln);
    expect(lc).toEqual([
      expect.stringMatching(/^\[warn\] \[moment:[^\]]+\] Moment: Input Timezone Invalid, reset to UTC/),
      expect.stringMatching(/^\[warn\] \[moment:[^\]]+\] Moment: Output Timezone Invalid, reset to UTC/),
    ]);
  });

  it('humanizer', async () => {
    for (const s of [45, 3600, 86400 * 3, 86400 * 400]) {
      const [a, b] = await postBoth(crimson, nodeRed, 'humanize', { seconds: s });
      expect(a).toEqual(b);
    }
    expect(JSON.parse((await postBoth(crimson, nodeRed, 'humanize', { seconds: 3600 }))[0].body)).toEqual({ seconds: 3600, humanized: 'an hour' });
  });
});

describe('node-red-contrib-cron-plus', () => {
  const cmd = async (topic: string | undefined, payload?: unknown) => {
    const [a, b] = await postBoth(crimson, nodeRed, 'cron', { topic, payload });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    return [JSON.parse(a.body), JSON.parse(b.body)];
  };
  /** A list answer without the times that depend on when it ran. */
  const stable = (r: any) => ({ ...r, payload: { ...r.payload, result: r.payload.result.map((x: any) => ({ config: x.config, statusKeys: Object.keys(x.status).sort(), isRunning: x.status.isRunning })) } });

  it('lists its static schedule', async () => {
    const [a, b] = await cmd('list-all');
    expect(stable(a)).toEqual(stable(b));
    expect(a.payload.result).toHaveLength(1);
    expect(a.payload.result[0].config).toMatchObject({ name: 'static1', topic: 'staticTopic', expression: '0 0 12 * * *', isDynamic: false });
    for (const r of [a, b]) {
      const next = new Date(r.payload.result[0].status.nextDate).getTime();
      expect(next - Date.now()).toBeGreaterThan(0);
      expect(next - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
      expect(new Date(next).getUTCHours()).toBe(12);
    }
  });

  it('adds a dynamic schedule by command; it fires; status and export answer for it', async () => {
    const m = marks();
    const add = { command: 'add', name: 'dyn1', topic: 'dynTopic', expressionType: 'cron', expression: '* * * * * *', payloadType: 'str', payload: 'tick' };
    const [a, b] = await cmd(undefined, [add, { command: 'list-all-dynamic' }]);
    expect(stable(a)).toEqual(stable(b));
    expect(a.payload.result.map((x: any) => x.config.name)).toEqual(['dyn1']);
    const [lc, ln] = logsSince(m, /createTask/);
    expect(lc).toEqual(ln);
    const fired = async (s: Server) => JSON.parse((await (await fetch(s.url + 'cron/fired')).text()) || '[]') as any[];
    await waitFor(async () => (await fired(crimson)).length >= 2 && (await fired(nodeRed)).length >= 2, 10000, 'dyn1 to fire');
    const [fa, fb] = [await fired(crimson), await fired(nodeRed)];
    expect(fa[0]).toEqual(fb[0]);
    expect(fa[0]).toMatchObject({ topic: 'dynTopic', payload: 'string' });
    const [e1, e2] = await cmd(undefined, { command: 'export', name: 'dyn1' });
    expect(e1).toEqual(e2);
    expect(e1.payload.result).toEqual({ topic: 'dynTopic', name: 'dyn1', payloadType: 'str', payload: 'tick', limit: null, expressionType: 'cron', expression: '* * * * * *' });
    const [s1, s2] = await cmd('status', 'nope');
    expect(s1).toEqual(s2);
    expect(s1.error).toBe('nope not found');
  });

  it('removes it by msg.topic command; it stops firing', async () => {
    const [a, b] = await cmd(undefined, [{ command: 'remove', name: 'dyn1' }, { command: 'list-all' }]);
    expect(stable(a)).toEqual(stable(b));
    expect(a.payload.result.map((x: any) => x.config.name)).toEqual(['static1']);
    const count = async (s: Server) => (JSON.parse((await (await fetch(s.url + 'cron/fired')).text()) || '[]') as any[]).length;
    const before = [await count(crimson), await count(nodeRed)];
    await new Promise((r) => setTimeout(r, 2200));
    // a run already under way when the schedule went may still land
    expect((await count(crimson)) - before[0]).toBeLessThanOrEqual(1);
    expect((await count(nodeRed)) - before[1]).toBeLessThanOrEqual(1);
    const [c, d] = await cmd('list-all');
    expect(stable(c)).toEqual(stable(d));
  });

  it('reports a single-schedule command without a name as the same error, with the message', async () => {
    const m = marks();
    const [a, b] = await postBoth(crimson, nodeRed, 'cron', { topic: 'status' });
    expect(a).toEqual(b);
    expect(JSON.parse(a.body)).toEqual({ error: "Invalid payload! Control topic 'status' expects the name of the schedule to be in msg.payload" });
    // a catch node took it: not logged
    expect(logsSince(m, /\[error\] \[cronplus:/)).toEqual([[], []]);
  });
});
