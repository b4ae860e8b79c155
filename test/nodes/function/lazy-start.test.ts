// A function node without On Start/On Stop code or modules makes its vm context at its first message;
// compile errors are still reported at deploy, every time, and On Start code still runs at deploy.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../../helpers/start-crimson.js';
import { withProbeNodes } from '../../helpers/probe-nodes.js';

let c: Started;
let probes: Awaited<ReturnType<typeof withProbeNodes>>;
beforeEach(async () => { c = await startCrimson(); probes = await withProbeNodes(c); });
afterEach(async () => { await c.stop(); });

const fn = (id: string, func: string, extra: Record<string, unknown> = {}) =>
  ({ id, type: 'function', z: 't', x: 1, y: 1, func, outputs: 1, wires: [['p']], ...extra });

describe('function node start', () => {
  it('nodes sharing code each work on their first message, with their own globals', async () => {
    const code = 'if (typeof seen === "undefined") { seen = 0; } seen++; msg.payload = seen; return msg;';
    await c.deploy([{ id: 't', type: 'tab' }, fn('f1', code), fn('f2', code), { id: 'p', type: 'probe', z: 't', x: 1, y: 1, wires: [] }]);
    const f1 = c.runtime.engine.nodes.get('f1')!;
    const f2 = c.runtime.engine.nodes.get('f2')!;
    f1.receive({}); f1.receive({}); f2.receive({});
    await probes.settle();
    expect(probes.of('p').map((m) => m.payload)).toEqual([1, 2, 1]);
  });

  it('a syntax error is logged at every deploy, before any message', async () => {
    const flows = [{ id: 't', type: 'tab' }, fn('bad', 'return msg +;'), { id: 'p', type: 'probe', z: 't', x: 1, y: 1, wires: [] }];
    await c.deploy(flows);
    await probes.settle();
    const errors = () => c.logs.filter((l) => l.includes('[function:bad]') && l.includes('SyntaxError')).length;
    expect(errors()).toBe(1);
    await c.deploy(flows);
    await probes.settle();
    expect(errors()).toBe(2);
  });

  it('On Start code runs at deploy', async () => {
    await c.deploy([{ id: 't', type: 'tab' }, fn('ini', 'return msg;', { initialize: 'global.set("started", true);' }),
      { id: 'p', type: 'probe', z: 't', x: 1, y: 1, wires: [] }]);
    await probes.settle();
    expect(c.runtime.engine.contexts.global.get('started')).toBe(true);
  });
});
