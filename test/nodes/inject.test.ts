import { describe, it, expect, afterEach, vi } from 'vitest';
import register from '../../src/nodes/inject.js';
import { NO_SCHEDULE, missedCronTime, nextCronFire, startSchedule } from '../../src/nodes/inject/schedule.js';
import { eventually, fakeRed } from './fake-red.js';
import { jsonParseMessage } from '../helpers/json-error.js';

// Expectations were observed on Node-RED 4.1.15 (inject -> function recording the message with its key
// order; catch node recording errors), pressing the button with POST /inject/:id.
type Msg = Record<string, any>;

function setup() {
  const red = fakeRed(register);
  red.flow.env = { FOO_INJ: 'bar' };
  red.flow.globalCtx.set('gk', { sub: 42 });
  red.flow.flowCtx.set('fk', 'flowval');
  return red;
}
const inject = (props: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'inject', props, repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', ...extra,
});
/** Presses the button on a new node and returns what it sent (or undefined). */
async function press(config: Record<string, unknown>, msg?: Msg) {
  const red = setup();
  const node = red.create(config as never);
  node.receive(msg);
  await new Promise((r) => setTimeout(r, 5));
  return { ...red, node, sent: red.flow.sent[0]?.msg as Msg | undefined };
}
const withoutId = ({ _msgid, ...rest }: Msg) => rest;

describe('inject node: property types', () => {
  it('str, num, bool', async () => {
    const { sent } = await press(inject([{ p: 'payload', v: 'abc', vt: 'str' }, { p: 'n', v: '1.5e3', vt: 'num' },
      { p: 'nn', v: 'abc', vt: 'num' }, { p: 'b1', v: 'TRUE', vt: 'bool' }, { p: 'b2', v: 'yes', vt: 'bool' }]));
    expect(Object.keys(sent!)).toEqual(['_msgid', 'payload', 'n', 'nn', 'b1', 'b2']);
    expect(sent!._msgid).toMatch(/^[0-9a-f]{16}$/);
    expect(withoutId(sent!)).toEqual({ payload: 'abc', n: 1500, nn: NaN, b1: true, b2: false });
  });

  it('json and bin (Buffer from an array or a string)', async () => {
    const { sent } = await press(inject([{ p: 'j', v: '{"a":[1,{"b":2}],"c":"d"}', vt: 'json' },
      { p: 'bin', v: '[1,2,255]', vt: 'bin' }, { p: 'bin2', v: '"hi"', vt: 'bin' }]));
    expect(sent!.j).toEqual({ a: [1, { b: 2 }], c: 'd' });
    expect(Buffer.isBuffer(sent!.bin) && [...sent!.bin]).toEqual([1, 2, 255]);
    expect(String(sent!.bin2)).toBe('hi');
  });

  it('date: "" epoch ms, iso, object, a moment format', async () => {
    const before = Date.now();
    const { sent } = await press(inject([{ p: 'd1', v: '', vt: 'date' }, { p: 'd2', v: 'iso', vt: 'date' },
      { p: 'd3', v: 'object', vt: 'date' }, { p: 'd4', v: 'YYYY', vt: 'date' }]));
    expect(sent!.d1).toBeGreaterThanOrEqual(before);
    expect(sent!.d2).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(sent!.d3).toBeInstanceOf(Date);
    expect(sent!.d4).toBe(String(new Date().getFullYear()));
  });

  it('env, flow and global context (a missing global leaves the property out)', async () => {
    const { sent } = await press(inject([{ p: 'e1', v: 'FOO_INJ', vt: 'env' }, { p: 'e2', v: 'NOPE_X', vt: 'env' },
      { p: 'e3', v: '${FOO_INJ}-x', vt: 'env' }, { p: 'f', v: 'fk', vt: 'flow' }, { p: 'g', v: 'gk.sub', vt: 'global' },
      { p: 'gm', v: 'missing', vt: 'global' }]));
    expect(Object.keys(sent!)).toEqual(['_msgid', 'e1', 'e2', 'e3', 'f', 'g']);
    expect(withoutId(sent!)).toEqual({ e1: 'bar', e2: '', e3: 'bar-x', f: 'flowval', g: 42 });
  });

  it('reads an asynchronous context store, keeping the order', async () => {
    const red = setup();
    red.flow.globalCtx.set('slowkey', 'slowval', 'slow', () => {});
    await new Promise((r) => setTimeout(r, 5));
    const node = red.create(inject([{ p: 'a', v: '#:(slow)::slowkey', vt: 'global' }, { p: 'b', v: '1', vt: 'num' }]) as never);
    node.receive();
    await eventually(() => expect(red.flow.sent).toHaveLength(1));
    expect(Object.keys(red.flow.sent[0]!.msg)).toEqual(['_msgid', 'a', 'b']);
    expect(red.flow.sent[0]!.msg.a).toBe('slowval');
  });

  it('jsonata (sees earlier props) and msg (reads an earlier prop); an empty expression is skipped', async () => {
    const { sent } = await press(inject([{ p: 'payload', v: '1', vt: 'num' }, { p: 'j', v: 'payload + 1', vt: 'jsonata' },
      { p: 'j2', v: '$globalContext("gk")', vt: 'jsonata' }, { p: 'j3', v: '', vt: 'jsonata' }, { p: 'm', v: 'payload', vt: 'msg' }]));
    await eventually(() => expect(sent).toBeDefined());
    expect(Object.keys(sent!)).toEqual(['_msgid', 'payload', 'j', 'j2', 'm']);
    expect(withoutId(sent!)).toEqual({ payload: 1, j: 2, j2: { sub: 42 }, m: 1 });
  });

  it('unknown types keep the text; re gives a RegExp; missing v is "" and missing vt is str', async () => {
    const { sent } = await press(inject([{ p: 'payload', v: 'x', vt: 'foo' }, { p: 'u', v: '1', vt: 're' }, { p: 'x' }]));
    expect(sent!.payload).toBe('x');
    expect(sent!.u).toBeInstanceOf(RegExp);
    expect(sent!.x).toBe('');
  });

  it('nested paths create objects and arrays', async () => {
    const { sent } = await press(inject([{ p: 'nested.deep.x', v: '1', vt: 'num' }, { p: 'arr[2]', v: 'a' }, { p: 'payload' }, { p: 'topic', vt: 'str' }],
      { payload: 'PP', payloadType: 'str', topic: 'TT' }));
    expect(JSON.stringify(withoutId(sent!))).toBe('{"nested":{"deep":{"x":1}},"arr":[null,null,"a"],"payload":"PP","topic":"TT"}');
  });
});

describe('inject node: legacy form and defaults', () => {
  it('payload/payloadType/topic without props', async () => {
    const { sent } = await press({ type: 'inject', payload: '5', payloadType: 'num', topic: 'legacy' });
    expect(JSON.stringify(withoutId(sent!))).toBe('{"payload":5,"topic":"legacy"}');
    expect(Object.keys(sent!)[0]).toBe('_msgid');
  });

  it('legacy jsonata payload, and a legacy node without payloadType (str)', async () => {
    expect(withoutId((await press({ type: 'inject', payload: '1+1', payloadType: 'jsonata' })).sent!)).toEqual({ payload: 2, topic: '' });
    expect(withoutId((await press({ type: 'inject', payload: '' })).sent!)).toEqual({ payload: '', topic: '' });
    const empty = await press({ type: 'inject', payload: '', payloadType: 'jsonata' });
    expect(empty.flow.logged(20)).toEqual(['Invalid JSONata expression: Unexpected end of expression']);
    expect(withoutId(empty.sent!)).toEqual({ topic: '' });
  });

  it('a payload entry without v takes payload and payloadType (even over its own vt)', async () => {
    const { sent } = await press(inject([{ p: 'payload', vt: 'num' }, { p: 'topic', vt: 'str', v: 'own' }], { payload: 'true', payloadType: 'bool', topic: 'tp' }));
    expect(withoutId(sent!)).toEqual({ payload: true, topic: 'own' });
  });

  it('a topic entry takes topic only when its vt is str', async () => {
    const { sent } = await press(inject([{ p: 'payload', v: '', vt: 'str' }, { p: 'topic', vt: 'num' }], { payload: 'x', payloadType: 'str', topic: '12' }));
    expect(withoutId(sent!)).toEqual({ payload: '', topic: 0 });
  });

  it('does not change the config it was given', () => {
    const red = setup();
    const props = [{ p: 'payload' }];
    red.create(inject(props, { payload: 'x', payloadType: 'str' }) as never);
    expect(props).toEqual([{ p: 'payload' }]);
  });
});

describe('inject node: errors', () => {
  it('joins every failure with "; " and sends nothing', async () => {
    const { sent, flow } = await press(inject([{ p: 'payload', v: '{bad', vt: 'json' }, { p: 'topic', v: 'x', vt: 'str' }, { p: 'q', v: '[1', vt: 'bin' }]));
    expect(sent).toBeUndefined();
    expect(flow.caught.map((e) => e.message)).toEqual([
      `SyntaxError: ${jsonParseMessage('{bad')}; SyntaxError: ${jsonParseMessage('[1')}`,
    ]);
    expect(withoutId(flow.caught[0]!.msg)).toEqual({ topic: 'x' });
    expect(flow.completed).toEqual([]);
  });

  it('JSONata: bad syntax at deploy and per message, $error at run time', async () => {
    const red = setup();
    const node = red.create(inject([{ p: 'payload', v: '$$$ bad(', vt: 'jsonata' }, { p: 'x', v: '$error("boom")', vt: 'jsonata' }]) as never);
    expect(red.flow.logged(20)).toEqual(['Invalid JSONata expression: Syntax error: "bad"']);
    node.receive();
    await eventually(() => expect(red.flow.caught).toHaveLength(1));
    expect(red.flow.caught[0]!.message).toBe('Syntax error: "bad"; Invalid JSONata expression: boom');
    expect(red.flow.sent).toEqual([]);
  });

  it('bad paths and missing msg parents are errors; prototype keys are skipped', async () => {
    const a = await press(inject([{ p: 'a..b', v: '1' }, { p: 'ok', v: '1' }]));
    expect(a.flow.caught.map((e) => e.message)).toEqual(['Error: Invalid property expression: unexpected . at position 2']);
    const b = await press(inject([{ p: 'k', v: 'x' }, { p: 'y', v: 'k', vt: 'msg' }, { p: 'w', v: 'nope.deeper', vt: 'msg' }]));
    expect(b.flow.caught.map((e) => e.message)).toEqual(["TypeError: Cannot read properties of undefined (reading 'deeper')"]);
    expect(withoutId(b.flow.caught[0]!.msg)).toEqual({ k: 'x', y: 'x' });
    const c = await press(inject([{ p: '__proto__.x', v: '1' }, { p: 'ok', v: '1' }]));
    expect(withoutId(c.sent!)).toEqual({ ok: '1' });
    expect(({} as Msg).x).toBeUndefined();
  });

  it('a null entry in the props is a TypeError for that message', async () => {
    const { flow, sent } = await press(inject([{ p: 'payload', v: 'x' }]), { __user_inject_props__: [null, { p: 'ok', v: '1' }] });
    expect(sent).toBeUndefined();
    expect(flow.caught.map((e) => e.message)).toEqual(["TypeError: Cannot read properties of null (reading 'p')"]);
  });
});

describe('inject node: __user_inject_props__', () => {
  it('replaces the props for one message; other keys of the message stay in front', async () => {
    const { sent } = await press(inject([{ p: 'payload', v: 'hello' }]), { __user_inject_props__: [{ p: 'a.b', v: '1', vt: 'num' }, { p: 'x' }], extra: 5 });
    expect(JSON.stringify({ ...sent!, _msgid: 'ID' })).toBe('{"extra":5,"_msgid":"ID","a":{"b":1},"x":""}');
  });

  it('a non-array value is ignored (configured props used) and removed', async () => {
    const { sent } = await press(inject([{ p: 'payload', v: 'hello' }]), { __user_inject_props__: 'x', extra: 1 });
    expect(JSON.stringify({ ...sent!, _msgid: 'ID' })).toBe('{"extra":1,"_msgid":"ID","payload":"hello"}');
  });
});

describe('inject node: timers', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('once fires after onceDelay with the _msgid added last, then repeats', async () => {
    vi.useFakeTimers();
    const red = setup();
    const node = red.create(inject([{ p: 'payload', v: 'o', vt: 'str' }], { once: true, onceDelay: '0.3', repeat: '0.5' }) as never);
    vi.advanceTimersByTime(299);
    expect(red.flow.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(red.flow.sent).toHaveLength(1);
    expect(Object.keys(red.flow.sent[0]!.msg)).toEqual(['payload', '_msgid']);
    expect(red.flow.logged(50)).toEqual(['repeat = 500']);
    vi.advanceTimersByTime(1000);
    expect(red.flow.sent).toHaveLength(3);
    await node.close(false);
    vi.advanceTimersByTime(5000);
    expect(red.flow.sent).toHaveLength(3);
  });

  it('firstRepeatInMs: the first repeat after that many ms (0: at once, at most an interval), then every interval', () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    const hooks = { fire: () => { fired.push(Date.now()); }, debug() {}, error() {} };
    const start = Date.now();
    const stopNow = startSchedule({ repeat: '1', once: false }, hooks, { firstRepeatInMs: 0 });
    vi.advanceTimersByTime(0);
    expect(fired.map((t) => t - start)).toEqual([0]);
    vi.advanceTimersByTime(2000);
    expect(fired.map((t) => t - start)).toEqual([0, 1000, 2000]);
    stopNow();
    fired.length = 0;
    const later = Date.now();
    const stopLater = startSchedule({ repeat: '1', once: false }, hooks, { firstRepeatInMs: 300 });
    vi.advanceTimersByTime(1300);
    expect(fired.map((t) => t - later)).toEqual([300, 1300]);
    stopLater();
    vi.advanceTimersByTime(5000);
    expect(fired).toHaveLength(2);
    // more than an interval is one interval; stopped before the first repeat, nothing fires
    fired.length = 0;
    const capped = Date.now();
    startSchedule({ repeat: '1', once: false }, hooks, { firstRepeatInMs: 60000 })();
    const stopCapped = startSchedule({ repeat: '1', once: false }, hooks, { firstRepeatInMs: 60000 });
    vi.advanceTimersByTime(1000);
    expect(fired.map((t) => t - capped)).toEqual([1000]);
    stopCapped();
  });

  it('a button-only inject schedules nothing and keeps no close handler', async () => {
    vi.useFakeTimers();
    const red = setup();
    const node = red.create(inject([{ p: 'payload', v: 'b', vt: 'str' }], { repeat: '0', crontab: '' }) as never);
    expect(vi.getTimerCount()).toBe(0);
    expect(startSchedule({ repeat: '', crontab: '', once: false }, { fire() {}, debug() {}, error() {} })).toBe(NO_SCHEDULE);
    expect(startSchedule({ repeat: '2', once: false }, { fire() {}, debug() {}, error() {} })).not.toBe(NO_SCHEDULE);
    vi.clearAllTimers();
    node.receive({});
    expect(red.flow.sent.map((s) => s.msg.payload)).toEqual(['b']);
    await node.close(false);
    expect(red.flow.logged(50)).toEqual([]);
  });

  it('onceDelay defaults to 0.1 s (also for 0)', () => {
    vi.useFakeTimers();
    const red = setup();
    red.create(inject([{ p: 'payload', v: 'o' }], { once: true, onceDelay: 0 }) as never);
    vi.advanceTimersByTime(99);
    expect(red.flow.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(red.flow.sent).toHaveLength(1);
  });

  it('closing before the once delay cancels it', async () => {
    vi.useFakeTimers();
    const red = setup();
    const node = red.create(inject([{ p: 'payload', v: 'o' }], { once: true, onceDelay: 1, repeat: '1' }) as never);
    await node.close(false);
    vi.advanceTimersByTime(10_000);
    expect(red.flow.sent).toHaveLength(0);
  });

  it('repeat interval in seconds (fractions allowed)', () => {
    vi.useFakeTimers();
    const red = setup();
    red.create(inject([{ p: 'payload', v: 'q' }], { repeat: '0.2' }) as never);
    vi.advanceTimersByTime(1000);
    expect(red.flow.sent.map((s) => s.msg.payload)).toEqual(['q', 'q', 'q', 'q', 'q']);
  });

  it('repeat over 2147483 s is rejected with "Interval too large" and nothing repeats', () => {
    vi.useFakeTimers();
    const red = setup();
    red.create(inject([{ p: 'payload', v: 'r' }], { repeat: '3000000' }) as never);
    expect(red.flow.logged(20)).toEqual(['Interval too large']);
    vi.advanceTimersByTime(3_000_000_000);
    expect(red.flow.sent).toHaveLength(0);
  });

  it('crontab fires on schedule, is logged at debug, and stops on close', async () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 5, 10, 0, 30) });
    const red = setup();
    const node = red.create(inject([{ p: 'payload', v: 'c' }], { crontab: '*/5 * * * *' }) as never);
    expect(red.flow.logged(50)).toEqual(['crontab = */5 * * * *']);
    vi.advanceTimersByTime(4 * 60_000 + 29_000); // 10:04:59
    expect(red.flow.sent).toHaveLength(0);
    vi.advanceTimersByTime(1000); // 10:05:00
    expect(red.flow.sent).toHaveLength(1);
    expect(Object.keys(red.flow.sent[0]!.msg)).toEqual(['payload', '_msgid']);
    vi.advanceTimersByTime(5 * 60_000);
    expect(red.flow.sent).toHaveLength(2);
    await node.close(false);
    vi.advanceTimersByTime(60 * 60_000);
    expect(red.flow.sent).toHaveLength(2);
  });

  it('six-field crontab (seconds) fires every second', async () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 5, 10, 0, 0, 500) });
    const red = setup();
    const node = red.create(inject([{ p: 'payload', v: 's' }], { crontab: '* * * * * *' }) as never);
    vi.advanceTimersByTime(3000);
    expect(red.flow.sent).toHaveLength(3);
    await node.close(false);
  });

  it('an invalid crontab makes the node fail to start', () => {
    const red = setup();
    expect(() => red.create(inject([{ p: 'payload', v: 'c' }], { crontab: 'bad cron' }) as never))
      .toThrow('Expression must have at least 5 fields, and no more than 7 fields');
  });

  it('an invalid crontab after once is reported, not thrown', () => {
    vi.useFakeTimers();
    const red = setup();
    red.create(inject([{ p: 'payload', v: 'c' }], { once: true, crontab: 'bad cron' }) as never);
    vi.advanceTimersByTime(100);
    expect(red.flow.sent).toHaveLength(1);
    expect(red.flow.logged(20)).toEqual(['Error: Expression must have at least 5 fields, and no more than 7 fields']);
  });
});

describe('inject node: crontab strings the editor builds (next fire times from Node-RED\'s cronosjs 1.7.1)', () => {
  // after Monday 2026-01-05 10:07:30 local time; [month(0-based), day, hour, minute, second] of the next three
  const after = new Date(2026, 0, 5, 10, 7, 30);
  const table: Array<[string, number[][]]> = [
    ['*/5 * * * *', [[0, 5, 10, 10, 0], [0, 5, 10, 15, 0], [0, 5, 10, 20, 0]]],
    ['00 12 * * 1,2', [[0, 5, 12, 0, 0], [0, 6, 12, 0, 0], [0, 12, 12, 0, 0]]], // at a time, on days
    ['*/1 8-9 * * *', [[0, 6, 8, 0, 0], [0, 6, 8, 1, 0], [0, 6, 8, 2, 0]]], // every minute between 8 and 10
    ['0 9-17 * * 1,2,3,4,5', [[0, 5, 11, 0, 0], [0, 5, 12, 0, 0], [0, 5, 13, 0, 0]]], // interval "0": on the hour
    ['*/10 22-23,0-5 * * *', [[0, 5, 22, 0, 0], [0, 5, 22, 10, 0], [0, 5, 22, 20, 0]]], // range over midnight
    ['*/15 23,0 * * *', [[0, 5, 23, 0, 0], [0, 5, 23, 15, 0], [0, 5, 23, 30, 0]]],
    ['30 07 * * 6', [[0, 10, 7, 30, 0], [0, 17, 7, 30, 0], [0, 24, 7, 30, 0]]],
    ['0 */2 * * *', [[0, 5, 12, 0, 0], [0, 5, 14, 0, 0], [0, 5, 16, 0, 0]]],
    ['* * * * * *', [[0, 5, 10, 7, 31], [0, 5, 10, 7, 32], [0, 5, 10, 7, 33]]],
  ];
  for (const [crontab, expected] of table) {
    it(crontab, () => {
      const got: number[][] = [];
      let at = after;
      for (let i = 0; i < 3; i++) {
        at = nextCronFire(crontab, at)!;
        got.push([at.getMonth(), at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds()]);
      }
      expect(got).toEqual(expected);
    });
  }

  it('rejects bad syntax', () => {
    expect(() => nextCronFire('bad cron')).toThrow('Expression must have at least 5 fields, and no more than 7 fields');
  });
});

describe('missedCronTime (a cluster leader taking over)', () => {
  const now = new Date(2026, 5, 5, 10, 7, 30, 500).getTime();
  it('is true when a time fell after the last tick and is past, within a minute', () => {
    // every 10 s: last tick at :20, :30 fell 0.5 s ago
    expect(missedCronTime('*/10 * * * * *', 10500, now)).toBe(true);
    // last tick at :30 (0.5 s ago): :40 is still to come
    expect(missedCronTime('*/10 * * * * *', 500, now)).toBe(false);
    // every minute: last tick at 10:06:00, 10:07:00 fell 30.5 s ago
    expect(missedCronTime('* * * * *', 90500, now)).toBe(true);
  });
  it('is false for a time missed more than a minute ago, and for a bad crontab', () => {
    // every 5 minutes: last tick at 10:00, 10:05 fell 150.5 s ago
    expect(missedCronTime('*/5 * * * *', 450500, now)).toBe(false);
    expect(missedCronTime('bad cron', 10000, now)).toBe(false);
  });
});
