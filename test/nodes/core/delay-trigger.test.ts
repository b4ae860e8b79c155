// delay and trigger: Node-RED's implementations run by Crimson — timers, queues, msg.flush/reset/toFront,
// rate limiting with drops, per-topic queues and timers, status texts, typed values (context, env, JSONata-free
// typed inputs, mustache) and done() for complete nodes.
// Every expectation below was observed on Node-RED 4.1.15 running the same flows (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, debugNode, injectNode, pause, props, useCoreHarness, withoutId, type NodeDef } from './harness.js';

const h = useCoreHarness();

const delay = (id: string, extra: Record<string, unknown>): NodeDef => ({
  id, type: 'delay', z: TAB, name: id, pauseType: 'delay', timeout: '100', timeoutUnits: 'milliseconds', rate: '1', nbRateUnits: '1',
  rateUnits: 'second', randomFirst: '1', randomLast: '5', randomUnits: 'seconds', drop: false, allowrate: false, outputs: 1,
  wires: [[`d${id}`]], ...extra,
});
const trigger = (id: string, extra: Record<string, unknown>): NodeDef => ({
  id, type: 'trigger', z: TAB, name: id, op1: '1', op2: '0', op1type: 'str', op2type: 'str', duration: '100', extend: false,
  overrideDelay: false, units: 'ms', reset: '', bytopic: 'all', topic: 'topic', outputs: 1, wires: [[`d${id}`]], ...extra,
});
const payloads = (id: string) => h.shown(id).map((m) => m.payload);

describe('delay', () => {
  it('delays each message by the fixed time, in order', async () => {
    await h.deploy([injectNode('in', ['dl']), delay('dl', {}), debugNode('ddl')]);
    const start = Date.now();
    await h.inject('in', props(1));
    await h.inject('in', props(2));
    const out = await h.waitFor('ddl', 2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(95);
    expect(out.map(withoutId)).toEqual([{ payload: 1 }, { payload: 2 }]);
    // under a second of delay there is no status
    expect(h.statuses('dl')).toEqual([]);
  });

  it('msg.flush sends what waits now, msg.reset drops it; over a second the status counts the waiting messages', async () => {
    await h.deploy([injectNode('in', ['dl']), delay('dl', { timeout: '5', timeoutUnits: 'seconds' }), debugNode('ddl')]);
    await h.inject('in', props(3));
    await h.inject('in', [{ p: 'flush', v: 'true', vt: 'bool' }]);
    await h.waitFor('ddl', 1);
    await h.inject('in', props(4));
    await h.inject('in', [{ p: 'reset', v: 'true', vt: 'bool' }]);
    await h.inject('in', props(5));
    await h.inject('in', [{ p: 'flush', v: 'true', vt: 'bool' }]);
    await h.waitFor('ddl', 2);
    // 4 was dropped by the reset: the second flush sends only 5
    expect(payloads('ddl')).toEqual([3, 5]);
    // a flush shows the count twice: once from the released message, once from the flush
    const [one, zero, ring] = [{ text: '1', fill: 'blue', shape: 'dot' }, { text: '0', fill: 'blue', shape: 'dot' }, { text: '0', fill: 'blue', shape: 'ring' }];
    expect(h.statuses('dl')).toEqual([one, zero, zero, one, ring, one, zero, zero]);
  });

  it('msg.delay sets the delay (delayv); a non-number keeps the node\'s', async () => {
    await h.deploy([injectNode('in', ['dv']), delay('dv', { pauseType: 'delayv', timeout: '5', timeoutUnits: 'seconds' }), debugNode('ddv')]);
    await h.inject('in', props(10, { delay: 50 }));
    await h.inject('in', props(11, { delay: 'x' }));
    const [m] = await h.waitFor('ddv', 1);
    expect(withoutId(m!)).toEqual({ payload: 10, delay: 50 });
    await h.inject('in', [{ p: 'flush', v: 'true', vt: 'bool' }]);
    await h.waitFor('ddv', 2);
    expect(withoutId(h.shown('ddv')[1]!)).toEqual({ payload: 11, delay: 'x' });
    const count = (n: number) => ({ text: String(n), fill: 'blue', shape: 'dot' });
    // the last waiting message clears the status before the counts of the flush
    expect(h.statuses('dv')).toEqual([count(1), count(2), count(1), {}, count(0), count(0), count(0)]);
  });

  it('rate limit: queues the rest, msg.toFront jumps the queue, msg.flush=n sends n, msg.reset empties it', async () => {
    await h.deploy([injectNode('in', ['rq']), delay('rq', { pauseType: 'rate', rate: '1', nbRateUnits: '1', rateUnits: 'hour' }), debugNode('drq')]);
    for (const p of [20, 21, 22]) await h.inject('in', props(p));
    await h.inject('in', props(23, { toFront: true }));
    await h.waitFor('drq', 1);
    await h.inject('in', [{ p: 'flush', v: '1', vt: 'num' }]);
    await h.waitFor('drq', 2);
    await h.inject('in', props(24, { reset: true }));
    await h.inject('in', props(25));
    await h.waitFor('drq', 3);
    // 21 and 22 went with the reset (and 24, which carried it); after the reset the next message passes at once
    expect(h.shown('drq').map(withoutId)).toEqual([{ payload: 20 }, { payload: 23, toFront: true }, { payload: 25 }]);
    await h.waitForStatus('rq', (s) => s.shape === 'ring');
    expect(h.statuses('rq')).toContainEqual({ text: '0', fill: 'blue', shape: 'ring' });
  });

  it('rate limit with drops on a second output', async () => {
    await h.deploy([injectNode('in', ['rd']), delay('rd', { pauseType: 'rate', rate: '1', nbRateUnits: '1', rateUnits: 'hour', drop: true, outputs: 2, wires: [['drd'], ['drd2']] }),
      debugNode('drd'), debugNode('drd2')]);
    for (const p of [30, 31, 32]) await h.inject('in', props(p));
    await h.waitFor('drd2', 2);
    expect(payloads('drd')).toEqual([30]);
    expect(payloads('drd2')).toEqual([31, 32]);
  });

  it('per-topic queue: the latest message of each topic; msg.flush sends them', async () => {
    await h.deploy([injectNode('in', ['qt']), delay('qt', { pauseType: 'queue', rate: '1', nbRateUnits: '1', rateUnits: 'hour' }), debugNode('dqt')]);
    await h.inject('in', props(40, { topic: 'a' }));
    await h.inject('in', props(41, { topic: 'a' }));
    await h.inject('in', props(42, { topic: 'b' }));
    await h.inject('in', [{ p: 'flush', v: 'true', vt: 'bool' }]);
    await h.waitFor('dqt', 2);
    expect(h.shown('dqt').map(withoutId)).toEqual([{ payload: 41, topic: 'a' }, { payload: 42, topic: 'b' }]);
  });
});

describe('trigger', () => {
  it('sends op1 at once and op2 after the time, on the same message id; status while waiting', async () => {
    await h.deploy([injectNode('in', ['tr']), trigger('tr', {}), debugNode('dtr')]);
    const start = Date.now();
    await h.inject('in', props('A', { topic: 't1' }, 'str'));
    const out = await h.waitFor('dtr', 2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(95);
    expect(out.map(withoutId)).toEqual([{ payload: '1', topic: 't1' }, { payload: '0', topic: 't1' }]);
    expect(out[0]!._msgid).toBe(out[1]!._msgid);
    expect(h.statuses('tr')).toEqual([{ fill: 'blue', shape: 'dot' }, {}]);
  });

  it('ignores messages while waiting; extend restarts the wait', async () => {
    await h.deploy([injectNode('in', ['tr', 'ext']), trigger('tr', { duration: '150' }),
      trigger('ext', { extend: true, op1type: 'nul', op2: 'done', duration: '150' }), debugNode('dtr'), debugNode('dext')]);
    await h.inject('in', props('A', {}, 'str'));
    await h.waitFor('dtr', 1);
    await h.inject('in', props('B', {}, 'str'));
    const lastAt = Date.now();
    await h.waitFor('dext', 1);
    expect(Date.now() - lastAt).toBeGreaterThanOrEqual(145);
    await h.waitFor('dtr', 2);
    expect(payloads('dtr')).toEqual(['1', '0']);
    expect(h.shown('dext').map(withoutId)).toEqual([{ payload: 'done' }]);
  });

  it('per topic: independent timers; a reset value or msg.reset cancels', async () => {
    await h.deploy([injectNode('in', ['bt']), trigger('bt', { bytopic: 'topic', op1: '{"a":1}', op1type: 'json', reset: 'stop', duration: '200' }), debugNode('dbt')]);
    await h.inject('in', props('A', { topic: 't1' }, 'str'));
    await h.inject('in', props('B', { topic: 't2' }, 'str'));
    await h.waitFor('dbt', 2);
    await h.inject('in', props('stop', { topic: 't2' }, 'str'));
    await h.waitFor('dbt', 3);
    await h.inject('in', props('C', { topic: 't2' }, 'str'));
    await h.inject('in', [{ p: 'reset', v: '', vt: 'str' }, { p: 'topic', v: 't2', vt: 'str' }]);
    await h.inject('in', props('D', { topic: 't2' }, 'str'));
    await h.waitFor('dbt', 6);
    expect(h.shown('dbt').map((m) => [m.topic, m.payload])).toEqual([
      ['t1', { a: 1 }], ['t2', { a: 1 }], ['t1', '0'], ['t2', { a: 1 }], ['t2', { a: 1 }], ['t2', '0'],
    ]);
    expect(h.statuses('bt')[1]).toEqual({ text: '2', fill: 'blue', shape: 'dot' });
  });

  it('second output, typed values (global, env, date, buffer, mustache), latest payload and msg.delay', async () => {
    await h.deploy([
      injectNode('in', ['ctx']),
      { id: 'ctx', type: 'change', z: TAB, rules: [{ t: 'set', p: 'gv', pt: 'global', to: '{"k":1}', tot: 'json' }, { t: 'set', p: 'fv', pt: 'flow', to: 'flowval', tot: 'str' }], wires: [['two', 'mus', 'payl', 'ovr']] },
      trigger('two', { outputs: 2, op1: 'gv', op1type: 'global', op2: 'E', op2type: 'env', wires: [['dtwo'], ['dtwo2']] }),
      trigger('mus', { op1: 'hi {{payload}} {{topic}}', op2: '[1,2]', op2type: 'bin' }),
      trigger('payl', { op1type: 'pay', op2type: 'payl', duration: '200' }),
      trigger('ovr', { overrideDelay: true, op1: '', op1type: 'date', op2: 'fv', op2type: 'flow' }),
      debugNode('dtwo'), debugNode('dtwo2'), debugNode('dmus'), debugNode('dpayl'), debugNode('dovr'),
    ], { tabEnv: [{ name: 'E', value: 'envv', type: 'str' }] });
    const start = Date.now();
    await h.inject('in', props('A', { topic: 't', delay: 300 }, 'str'));
    await h.waitFor('dpayl', 1);
    await h.inject('in', props('B', { topic: 't', delay: 300 }, 'str'));
    expect(payloads('dtwo')).toEqual([{ k: 1 }]);
    await h.waitFor('dtwo2', 1);
    expect(payloads('dtwo2')).toEqual(['envv']);
    await h.waitFor('dmus', 2);
    expect(payloads('dmus')).toEqual(['hi A t', Buffer.from([1, 2])]);
    await h.waitFor('dpayl', 2);
    expect(payloads('dpayl')).toEqual(['A', 'B']);
    const ovr = await h.waitFor('dovr', 2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(295);
    expect(typeof ovr[0]!.payload).toBe('number');
    expect(Math.abs(ovr[0]!.payload - start)).toBeLessThan(5000);
    expect(withoutId(ovr[1]!)).toEqual({ payload: 'flowval', topic: 't', delay: 300 });
  });

  it('a negative time repeats op1 until reset; a zero time sends op1 only', async () => {
    await h.deploy([injectNode('in', ['rep', 'once']), trigger('rep', { duration: '-40', op1: 'x', op2type: 'nul' }),
      trigger('once', { duration: '0', op1: '7', op1type: 'num', op2type: 'nul' }), debugNode('drep'), debugNode('donce')]);
    await h.inject('in', props('A', {}, 'str'));
    await h.waitFor('drep', 4);
    await h.inject('in', [{ p: 'reset', v: 'true', vt: 'bool' }]);
    await h.waitForStatus('rep', (s) => s.fill === undefined);
    const count = h.shown('drep').length;
    // one more may already be on its way; after three repeat periods no more have come
    await pause(120);
    expect(h.shown('drep').length - count).toBeLessThanOrEqual(1);
    expect(new Set(payloads('drep'))).toEqual(new Set(['x']));
    expect(h.shown('donce').map(withoutId)).toEqual([{ payload: 7 }]);
  });
});
