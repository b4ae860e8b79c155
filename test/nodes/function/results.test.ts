// sendResults / errorForDone: the shapes a function's result may take and what a thrown value becomes.
import { describe, it, expect } from 'vitest';
import { sendResults, errorForDone } from '../../../src/nodes/function/results.js';

function sink() {
  const errors: unknown[] = [];
  const sent: unknown[] = [];
  return { node: { error: (e: unknown) => { errors.push(e); } }, send: (m: unknown) => { sent.push(m); }, errors, sent };
}

describe('sendResults', () => {
  it('sends one message as it is (or a clone), stamped with the id', () => {
    const s = sink();
    const m = { payload: 1 };
    sendResults(s.node, s.send, 'id1', m, false);
    expect(s.sent[0]).toBe(m);
    sendResults(s.node, s.send, 'id2', m, undefined);
    expect(s.sent[1]).not.toBe(m);
    expect(s.sent[1]).toEqual({ payload: 1, _msgid: 'id2' });
  });

  it('wraps single entries per output in place, clones only the first message, skips falsy outputs', () => {
    const s = sink();
    const a: Record<string, unknown> = { a: 1 }; const b: Record<string, unknown> = { b: 1 }; const c: Record<string, unknown> = { c: 1 };
    const results: unknown[] = [a, null, [b, c], 0];
    sendResults(s.node, s.send, 'id', results, true);
    expect(s.sent[0]).toBe(results);
    expect((results[0] as unknown[])[0]).not.toBe(a);
    expect((results[2] as unknown[])[0]).toBe(b);
    expect([b, c].map((m) => m._msgid)).toEqual(['id', 'id']);
    expect(results[3]).toBe(0);
  });

  it('reports non-messages, leaves them in place and sends only when a message remains', () => {
    const s = sink();
    sendResults(s.node, s.send, 'id', [['x', Buffer.from('b')]], false);
    expect(s.sent).toEqual([]);
    const mixed: unknown[] = [[{ ok: 1 }, 7]];
    sendResults(s.node, s.send, 'id', mixed, false);
    expect(s.sent).toEqual([mixed]);
    expect(s.errors).toEqual(['Function tried to send a message of type string', 'Function tried to send a message of type Buffer',
      'Function tried to send a message of type number']);
  });
});

describe('errorForDone', () => {
  it('stores an error on the message and drops the last stack line (Node-RED trims its own frames)', () => {
    const err = new Error('x');
    err.stack = 'Error: x\n    at a (f:1:1)\n    at b (g:2:2)';
    const msg: Record<string, unknown> = {};
    expect(errorForDone(err, msg)).toBe(err);
    expect(msg.error).toBe(err);
    expect(err.stack).toBe('Error: x\n    at a (f:1:1)');
  });

  it('gives a ReferenceError the line (minus the wrapper line) and column of its first frame', () => {
    const err = new ReferenceError('foo is not defined');
    err.stack = 'ReferenceError: foo is not defined\n    at Function node:n1:4:9\n    at x (y:1:1)';
    errorForDone(err, {});
    expect(err.message).toBe('ReferenceError: foo is not defined (line 3, col 9)');
  });

  it('maps other thrown values without throwing itself', () => {
    expect(errorForDone('s', {})).toBe('s');
    expect(errorForDone({ a: 1 }, {})).toBe('{"a":1}');
    expect(errorForDone(undefined, {})).toBeUndefined();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorForDone(cyclic, {})).toBe('[object Object]');
    const frozen = Object.freeze(Object.assign(new Error('f'), {}));
    expect(errorForDone(frozen, Object.freeze({}))).toBe(frozen);
  });
});
