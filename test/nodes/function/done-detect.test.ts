// callsNodeDone: Node-RED's "does this code call node.done() itself" check, without a JS parser.
import { describe, it, expect } from 'vitest';
import { callsNodeDone } from '../../../src/nodes/function/done-detect.js';

describe('callsNodeDone', () => {
  it('finds real calls, with or without arguments, once the text mentions node.done()', () => {
    expect(callsNodeDone('node.done();')).toBe(true);
    expect(callsNodeDone('setTimeout(() => { node.done ( ) }, 1)')).toBe(true);
    expect(callsNodeDone('if (x) node.done(err); // node.done()')).toBe(true);
    expect(callsNodeDone('node?.done(); node.done ()')).toBe(true);
    expect(callsNodeDone('const s = `${node.done()}`;')).toBe(true);
    expect(callsNodeDone('x = a / b; node.done()')).toBe(true);
  });

  it('ignores comments, strings, templates, regexes and other objects', () => {
    expect(callsNodeDone('// node.done()\nreturn msg;')).toBe(false);
    expect(callsNodeDone('/* node.done() */ return msg;')).toBe(false);
    expect(callsNodeDone('const s = "node.done()"; const t = \'node.done()\';')).toBe(false);
    expect(callsNodeDone('const s = `text node.done() ${1 + 2} more`;')).toBe(false);
    expect(callsNodeDone('const r = /node.done()/; return msg;')).toBe(false);
    expect(callsNodeDone('other.node.done(); // node.done()')).toBe(false);
    expect(callsNodeDone('new node.done(); // node.done()')).toBe(false);
  });

  it('needs the literal text node.done() somewhere, as Node-RED does', () => {
    expect(callsNodeDone('node.done(err);')).toBe(false);
    expect(callsNodeDone('node?.done();')).toBe(false);
    expect(callsNodeDone('node . done();')).toBe(false);
    expect(callsNodeDone('return msg;')).toBe(false);
  });
});
