// The switch node's pace, compared with Node-RED 4.1.15 (CORE_ORACLE=node-red runs the same file against it):
// a burst reaching a switch is handled one message at once, then one per turn of the event loop, so the order
// in which debug nodes behind switches and beside them show the messages is Node-RED's.
import { describe, expect, it } from 'vitest';
import { TAB, debugNode, injectNode, pause, useCoreHarness, type NodeDef } from './harness.js';

const h = useCoreHarness();

const sw = (id: string, wires: string[][], rule: Record<string, unknown> = { t: 'nnull' }): NodeDef => ({
  id, type: 'switch', z: TAB, name: id, property: 'payload', propertyType: 'msg', rules: wires.map(() => rule), checkall: 'true',
  repair: false, outputs: wires.length, wires,
});
/** A function node sending payloads 1..3 one after the other, to `wires`. */
const burst = (wires: string[]): NodeDef => ({
  id: 'f', type: 'function', z: TAB, name: 'f', func: 'for (let i = 1; i <= 3; i++) node.send({ payload: i }); return null;', outputs: 1, wires: [wires],
});
const fn = (id: string, wires: string[]): NodeDef => ({ id, type: 'function', z: TAB, name: id, func: 'return msg;', outputs: 1, wires: [wires] });
const change = (id: string, wires: string[]): NodeDef => ({
  id, type: 'change', z: TAB, name: id, rules: [{ t: 'set', p: 'topic', pt: 'msg', to: id, tot: 'str' }], wires: [wires],
});

/** Runs the flow from inject `in` and gives the debug messages in the order shown: "<debug id><payload>". */
async function shownOrder(nodes: NodeDef[], count: number): Promise<string> {
  await h.deploy([injectNode('in', ['f']), ...nodes]);
  const start = h.ws.messages().length;
  await h.inject('in');
  const shown = () => h.ws.messages().slice(start).filter((m) => m.topic === 'debug').map((m) => m.data as { id: string; msg: string });
  for (let i = 0; i < 60 && shown().length < count; i++) await pause(50);
  return shown().map((d) => d.id + (JSON.parse(d.msg) as { payload: unknown }).payload).join(' ');
}

describe('switch: one message per turn of the event loop while they queue (as Node-RED)', () => {
  it('a switch beside a debug node', async () => {
    expect(await shownOrder([burst(['s1', 'B']), sw('s1', [['A']]), debugNode('A'), debugNode('B')], 6)).toBe('B1 B2 B3 A1 A2 A3');
  });

  it('two switches in a chain, each with a debug node behind', async () => {
    const order = await shownOrder([burst(['s1', 'B']), sw('s1', [['s2', 'A']]), sw('s2', [['C']]), debugNode('A'), debugNode('B'), debugNode('C')], 9);
    expect(order).toBe('B1 B2 B3 A1 C1 A2 C2 A3 C3');
  });

  it('two switches side by side, then a function and a change node', async () => {
    const order = await shownOrder([burst(['s1', 's2']), sw('s1', [['fa']]), sw('s2', [['cb']]), fn('fa', ['A']), change('cb', ['B']), debugNode('A'), debugNode('B')], 6);
    expect(order).toBe('A1 B1 A2 B2 A3 B3');
  });

  it('a switch with two outputs, one to another switch', async () => {
    const order = await shownOrder([burst(['s1']), sw('s1', [['A'], ['s2']]), sw('s2', [['B']]), debugNode('A'), debugNode('B')], 6);
    expect(order).toBe('A1 B1 A2 B2 A3 B3');
  });

  it('a JSONata rule in a chain', async () => {
    const rule = { t: 'jsonata_exp', v: 'payload > 0', vt: 'jsonata' };
    const order = await shownOrder([burst(['s1', 'B']), sw('s1', [['s2', 'A']], rule), sw('s2', [['C']]), debugNode('A'), debugNode('B'), debugNode('C')], 9);
    expect(order).toBe('B1 B2 B3 A1 C1 A2 C2 A3 C3');
  });

  it('its next step comes between the deliveries queued before and after it', async () => {
    const order = await shownOrder([burst(['s1', 'q']), sw('s1', [['s2', 'A']]), sw('s2', [['C']]), fn('q', ['r', 'B']), fn('r', ['D']),
      debugNode('A'), debugNode('B'), debugNode('C'), debugNode('D')], 12);
    expect(order).toBe('A1 B1 B2 B3 C1 A2 D1 D2 D3 C2 A3 C3');
  });
});
