// The runtime Node's own state, as Node-RED's Node keeps it: EventEmitter's methods without its constructor
// (no `_events` table until something listens to an event other than input/close), input handlers called
// in the order added with the list a message started with, wiring resolved to arrays of the nodes found.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { Node, initNode, inheritNode } from '../../src/runtime/node.js';
import type { FlowHost } from '../../src/runtime/flow-host.js';
import type { NodeConfig } from '../../src/runtime/types.js';

function host(delivered: Array<[string, unknown]> = []): FlowHost {
  return {
    id: 'f', path: 'f', closeTimeout: 1000,
    getNode: () => undefined,
    deliver: (_from, to, msg) => { delivered.push([to.id, msg]); },
    clone: (m) => JSON.parse(JSON.stringify(m)),
    handleError: () => false, handleStatus: () => false, handleComplete: () => {},
    nodeContext: () => { throw new Error('no context'); }, flowContext: () => { throw new Error('no context'); },
    log: () => {}, getEnv: () => undefined,
  };
}
const config = (id: string, wires: string[][] = []): NodeConfig => ({ id, type: 't', wires } as NodeConfig);

describe('Node', () => {
  it('is an EventEmitter whose table of events is made by the first listener that is not input or close', () => {
    const n = new Node(config('a'), host());
    expect(n).toBeInstanceOf(EventEmitter);
    n.on('input', () => {});
    n.on('close', () => {});
    expect(Object.hasOwn(n, '_events')).toBe(false);
    expect(n.listenerCount('input')).toBe(0);
    expect(n.emit('other')).toBe(false);
    const seen: unknown[] = [];
    n.on('other', (v: unknown) => seen.push(v));
    expect(Object.hasOwn(n, '_events')).toBe(true);
    expect(n.emit('other', 1)).toBe(true);
    expect(n.listenerCount('other')).toBe(1);
    n.removeAllListeners('other');
    n.emit('other', 2);
    expect(seen).toEqual([1]);
    n.on('x', () => seen.push('x'));
    n.on('y', () => seen.push('y'));
    n.removeAllListeners();
    expect(n.emit('x')).toBe(false);
    expect(n.emit('y')).toBe(false);
    expect(n.eventNames()).toEqual([]);
  });

  it('works the same for a constructor function that calls createNode (initNode)', () => {
    function Custom(this: Node, c: NodeConfig) { initNode(this, c, host()); }
    inheritNode(Custom);
    const n = new (Custom as unknown as new (c: NodeConfig) => Node)(config('b'));
    const got: unknown[] = [];
    n.once('ping', (v: unknown) => got.push(v));
    n.emit('ping', 'x');
    n.emit('ping', 'y');
    expect(got).toEqual(['x']);
    expect(n.id).toBe('b');
  });

  it('calls input handlers in order; one added while a message is handled waits for the next message', () => {
    const n = new Node(config('c'), host());
    const calls: string[] = [];
    n.on('input', (m: { v: number }) => {
      calls.push(`first ${m.v}`);
      if (m.v === 1) n.on('input', (m2: { v: number }) => calls.push(`late ${m2.v}`));
    });
    n.on('input', (m: { v: number }) => calls.push(`second ${m.v}`));
    n.receive({ v: 1 });
    n.receive({ v: 2 });
    expect(calls).toEqual(['first 1', 'second 1', 'first 2', 'second 2', 'late 2']);
    n.removeAllListeners('input');
    n.receive({ v: 3 });
    expect(calls).toHaveLength(5);
  });

  it('resolves wires to the nodes that exist, port by port', () => {
    const delivered: Array<[string, unknown]> = [];
    const flow = host(delivered);
    const b = new Node(config('b'), flow), c = new Node(config('c'), flow);
    const a = new Node(config('a', [['b', 'missing', 'c'], [], ['missing']]), flow);
    const lookup = (id: string) => ({ b, c } as Record<string, Node>)[id];
    a._resolveWires(lookup);
    a.send([{ p: 1 }, { p: 2 }, { p: 3 }]);
    expect(delivered.map(([id, m]) => [id, (m as { p: number }).p])).toEqual([['b', 1], ['c', 1]]);
    const none = new Node(config('d'), flow);
    none._resolveWires(lookup);
    none.send({ p: 4 });
    expect(delivered).toHaveLength(2);
  });
});
