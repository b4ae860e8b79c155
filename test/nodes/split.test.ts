import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import register from '../../src/nodes/split.js';
import { fakeRed } from './fake-red.js';

// Each case was run on Node-RED 4.1.15: http in -> function sending the decoded input -> split -> function
// recording every output (key order kept); a complete node scoped to the split recording `msg.tag` of each
// completed input; a catch node recording errors. One input per step, outputs collected after each step.
// Generated _msgids are "$msgid" (checked 16-hex, all different); generated parts ids "$id<n>" by first use.
interface Step { input: unknown; out: unknown[]; completes: unknown[]; errors: string[] }
interface Case { name: string; node: Record<string, unknown>; steps: Step[] }
const cases: Case[] = JSON.parse(readFileSync(new URL('./split-cases.json', import.meta.url), 'utf8'));

const dec = (v: any): any => {
  if (Array.isArray(v)) return v.map(dec);
  if (v && typeof v === 'object') {
    if ('$buf' in v) return Buffer.from(v.$buf);
    if ('$undef' in v) return undefined;
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = dec(v[k]);
    return o;
  }
  return v;
};
const enc = (v: any): any => {
  if (v === undefined) return { $undef: 1 };
  if (Buffer.isBuffer(v)) return { $buf: [...v] };
  if (Array.isArray(v)) return v.map(enc);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = enc(v[k]);
    return o;
  }
  return v;
};
const HEX16 = /^[0-9a-f]{16}$/;
const tick = () => new Promise((r) => setImmediate(r));

const splitConfig = (c: Record<string, unknown>) => ({
  type: 'split', name: '', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false,
  addname: '', property: 'payload', ...c,
});

function setup(config: Record<string, unknown>) {
  const red = fakeRed(register);
  const completes: unknown[] = [];
  red.flow.handleComplete = (_node, msg?: Record<string, unknown>) => { completes.push(msg?.tag ?? null); };
  const node = red.create(splitConfig(config) as never);
  return { ...red, node, completes };
}

describe('split node: cases observed on Node-RED', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { flow, node, completes } = setup(c.node);
      expect(flow.logged(20)).toEqual([]);
      const ids = new Map<string, string>();
      const msgids = new Set<string>();
      for (const [i, step] of c.steps.entries()) {
        const sentBefore = flow.sent.length;
        const caughtBefore = flow.caught.length;
        completes.length = 0;
        node.receive(dec(step.input));
        await tick();
        const out = flow.sent.slice(sentBefore).map(({ msg }) => {
          const m = enc(msg);
          expect(m._msgid).toMatch(HEX16);
          expect(msgids.has(m._msgid), 'each part has its own _msgid').toBe(false);
          msgids.add(m._msgid);
          m._msgid = '$msgid';
          expect(m.parts.id).toMatch(HEX16);
          if (!ids.has(m.parts.id)) ids.set(m.parts.id, `$id${ids.size + 1}`);
          m.parts.id = ids.get(m.parts.id);
          return m;
        });
        // JSON text comparison: key order is part of the expectation
        expect(JSON.stringify(out), `step ${i} output`).toBe(JSON.stringify(step.out));
        expect(completes, `step ${i} completed inputs`).toEqual(step.completes);
        expect(flow.caught.slice(caughtBefore).map((e) => e.message), `step ${i} errors`).toEqual(step.errors);
      }
    });
  }
});

describe('split node: configuration errors (texts as Node-RED logs them)', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ spltType: 'len', splt: '0' }, 'Invalid split property: Error: invalid split length: 0'],
    [{ spltType: 'len', splt: 'abc' }, 'Invalid split property: Error: invalid split length: abc'],
    [{ spltType: 'bin', splt: 'notjson' }, `Invalid split property: SyntaxError: Unexpected token 'o', "notjson" is not valid JSON`],
    [{ spltType: 'bin', splt: '5' }, 'Invalid split property: Error: not an array'],
    [{ spltType: 'bin', splt: '"ab"' }, 'Invalid split property: Error: not an array'],
    [{ arraySplt: 'x' }, 'Invalid split property: Error: invalid array split length: x'],
    [{ arraySplt: 0 }, 'Invalid split property: Error: invalid array split length: 0'],
    [{ arraySplt: '' }, 'Invalid split property: Error: invalid array split length: '],
  ];
  for (const [config, text] of bad) {
    it(`${JSON.stringify(config)} -> logged error, messages dropped`, async () => {
      const { flow, node } = setup(config);
      expect(flow.logged(20)).toEqual([text]);
      node.receive({ payload: 'a\nb' });
      await tick();
      expect(flow.sent).toEqual([]);
    });
  }

  it('accepts an empty separator (default newline) and a fractional length (truncated)', async () => {
    const a = setup({ splt: '' });
    const b = setup({ spltType: 'len', splt: '2.7' });
    expect(a.flow.logged(20)).toEqual([]);
    expect(b.flow.logged(20)).toEqual([]);
    a.node.receive({ payload: 'x\ny' });
    b.node.receive({ payload: 'abcde' });
    expect(a.flow.sent.map((s) => s.msg.payload)).toEqual(['x', 'y']);
    expect(b.flow.sent.map((s) => s.msg.payload)).toEqual(['ab', 'cd', 'e']);
  });

  it('does not hang on an empty byte separator for Buffers', () => {
    const { flow, node } = setup({ spltType: 'bin', splt: '[]' });
    node.receive({ payload: Buffer.from('abc') });
    expect(flow.sent.map((s) => String(s.msg.payload))).toEqual(['abc']);
  });
});

describe('split node: parts are independent copies', () => {
  it('deep-copies each element and the rest of the message', () => {
    const { flow, node } = setup({});
    const shared = { deep: { x: 1 } };
    const items = [{ a: 1 }, { b: 2 }];
    node.receive({ payload: items, shared });
    const [p0, p1] = flow.sent.map((s) => s.msg);
    expect(p0!.payload).toEqual({ a: 1 });
    expect(p0!.payload).not.toBe(items[0]);
    expect(p0!.shared).not.toBe(shared);
    expect(p0!.shared).not.toBe(p1!.shared);
    expect(p0!.parts).not.toBe(p1!.parts);
  });

  it('splits 10,000 items quickly and in order', () => {
    const { flow, node } = setup({});
    const payload = Array.from({ length: 10_000 }, (_, i) => ({ i, name: `item ${i}` }));
    const started = performance.now();
    node.receive({ payload, topic: 'bench', headers: { a: 'b' } });
    const took = performance.now() - started;
    expect(flow.sent).toHaveLength(10_000);
    expect(flow.sent[9999]!.msg.payload).toEqual({ i: 9999, name: 'item 9999' });
    expect((flow.sent[9999]!.msg.parts as any).index).toBe(9999);
    expect(took).toBeLessThan(3000);
  });
});
