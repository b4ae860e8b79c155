import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import register from '../../src/nodes/change.js';
import { eventually, fakeRed } from './fake-red.js';

// Each case was run on Node-RED 4.1.15 (http in -> function building the msg -> change -> function
// recording msg and context -> http response; a catch node recording errors). Values are tagged:
// {$buf:[bytes]}, {$undef:1}, {$num:"NaN"}, {$date:"date"}; `refs` lists message properties that are the
// very same object as another property or a context value.
interface Case {
  name: string;
  rules?: unknown[];
  node?: Record<string, unknown>;
  msg: unknown;
  flow?: Record<string, unknown>; global?: Record<string, unknown>;
  flowOther?: Record<string, unknown>; globalOther?: Record<string, unknown>;
  expect: Record<string, any>;
}
const cases: Case[] = JSON.parse(readFileSync(new URL('./change-cases.json', import.meta.url), 'utf8'));

const dec = (v: any): any => {
  if (Array.isArray(v)) return v.map(dec);
  if (v && typeof v === 'object') {
    if ('$buf' in v) return Buffer.from(v.$buf);
    if ('$undef' in v) return undefined;
    if ('$num' in v) return Number(v.$num);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dec(x)]));
  }
  return v;
};
const enc = (v: any): any => {
  if (v === undefined) return { $undef: 1 };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
  if (Buffer.isBuffer(v)) return { $buf: [...v] };
  if (v instanceof Date) return { $date: 'date' };
  if (v instanceof RegExp) return { $re: String(v) };
  if (typeof v === 'function') return { $fn: 1 };
  if (Array.isArray(v)) return v.map(enc);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).map((k) => [k, enc(v[k])]));
  return v;
};
const settle = () => new Promise((r) => setTimeout(r, 20));

function setup() {
  const red = fakeRed(register);
  red.flow.env = { FOO: 'bar', NUMV: '7' };
  red.flow.globalCtx.set('todos', [{ id: 1 }]);
  return red;
}

describe('change node: cases observed on Node-RED', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { flow, create } = setup();
      const presets: Array<[Record<string, unknown> | undefined, (k: string, v: unknown) => void]> = [
        [c.flow, (k, v) => flow.flowCtx.set(k, v)], [c.global, (k, v) => flow.globalCtx.set(k, v)],
        [c.flowOther, (k, v) => flow.flowCtx.set(k, v, 'other')], [c.globalOther, (k, v) => flow.globalCtx.set(k, v, 'other')],
      ];
      for (const [values, set] of presets) for (const [k, v] of Object.entries(values ?? {})) set(k, dec(v));

      const config = { type: 'change', name: 'case', ...(c.node ?? { rules: c.rules }) };
      if (c.expect.constructorThrows) {
        expect(() => create(config)).toThrow(TypeError);
        return;
      }
      const node = create(config);
      const deployErrors = flow.logged(20);
      if (c.expect.deployErrors) expect(deployErrors).toEqual(c.expect.deployErrors);
      else expect(deployErrors).toEqual([]);

      const msg = dec(c.msg) as Record<string, unknown>;
      msg._msgid = 'm1';
      node.receive(msg);
      const async = (c.rules ?? []).some((r: any) => r.tot === 'jsonata');
      if (!async && c.expect.sent) expect(flow.sent.length, 'sent in the same tick').toBe(1);
      // a dropped message shows as its error, or (a stall) as nothing happening for a while
      if (c.expect.sent) await eventually(() => expect(flow.sent.length).toBe(1));
      else if (c.expect.errors) await eventually(() => expect(flow.caught.length).toBe(c.expect.errors!.length));
      else await settle();

      const out = flow.sent[0]?.msg;
      if (c.expect.sent === null) {
        expect(out).toBeUndefined();
        expect(flow.completed).toEqual([]);
      } else {
        const { _msgid, ...rest } = out!;
        expect(_msgid).toBe('m1');
        const got = enc(rest);
        if (c.name === 'set date') {
          expect(typeof rest.payload).toBe('number');
          expect(rest.iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(rest.obj).toBeInstanceOf(Date);
        } else {
          expect(got).toEqual(c.expect.sent);
        }
        expect(flow.completed).toEqual([node.id]);
        const refs: string[] = [];
        const ctxValues: Array<[string, unknown]> = [['global.todos', flow.globalCtx.get('todos')]];
        for (const k of flow.flowCtx.keys() as string[]) ctxValues.push(['flow.' + k, flow.flowCtx.get(k)]);
        for (const k of flow.globalCtx.keys() as string[]) if (k !== 'todos') ctxValues.push(['global.' + k, flow.globalCtx.get(k)]);
        const keys = Object.keys(rest);
        for (const k of keys) {
          const v = rest[k];
          if (!v || typeof v !== 'object') continue;
          for (const k2 of keys) if (k2 > k && rest[k2] === v) refs.push(`${k}=${k2}`);
          for (const [n, cv] of ctxValues) if (cv === v) refs.push(`${k}=${n}`);
        }
        expect(refs).toEqual(c.expect.refs ?? []);
      }

      const state = (h: typeof flow.flowCtx, store?: string) => {
        const o: Record<string, unknown> = {};
        for (const k of h.keys(store) as string[]) if (k !== 'todos') o[k] = enc(h.get(k, store));
        return Object.keys(o).length ? o : undefined;
      };
      expect(state(flow.flowCtx)).toEqual(c.expect.flow);
      expect(state(flow.flowCtx, 'other')).toEqual(c.expect.flowOther);
      expect(state(flow.globalCtx)).toEqual(c.expect.global);
      expect(state(flow.globalCtx, 'other')).toEqual(c.expect.globalOther);
      const errors = flow.caught.map((e) => ({ message: e.message, msg: enc(Object.fromEntries(Object.entries(e.msg).filter(([k]) => k !== '_msgid'))) }));
      expect(errors).toEqual(c.expect.errors ?? []);
      expect(flow.logged(30)).toEqual(c.expect.warnings ?? []);
    });
  }
});

describe('change node: evaluation time and references', () => {
  it('parses json anew for every message, so messages never share the object', () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"a":[1]}', tot: 'json' }] });
    node.receive({});
    node.receive({});
    expect(flow.sent[0]!.msg.payload).toEqual({ a: [1] });
    expect(flow.sent[0]!.msg.payload).not.toBe(flow.sent[1]!.msg.payload);
  });

  it('reads env once, when the node is created', () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'FOO', tot: 'env' }] });
    flow.env.FOO = 'changed';
    node.receive({});
    expect(flow.sent[0]!.msg.payload).toBe('bar');
  });

  it('reads context per message and hands out the stored object itself', () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'todos', tot: 'global' }] });
    node.receive({});
    const second = [{ id: 2 }];
    flow.globalCtx.set('todos', second);
    node.receive({});
    expect(flow.sent[1]!.msg.payload).toBe(second);
  });

  it('deep-copies a message reference with dc', () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [{ t: 'set', p: 'b', pt: 'msg', to: 'a', tot: 'msg', dc: true }] });
    const a = { x: { y: 1 } };
    node.receive({ a });
    expect(flow.sent[0]!.msg.b).toEqual(a);
    expect(flow.sent[0]!.msg.b).not.toBe(a);
  });

  it('a JSONata failure reports the message (earlier rules applied) and never completes it', async () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [
      { t: 'set', p: 'payload', pt: 'msg', to: 'first', tot: 'str' },
      { t: 'set', p: 'y', pt: 'msg', to: "$error('boom')", tot: 'jsonata' },
    ] });
    flow.catching = false;
    node.receive({});
    await eventually(() => expect(flow.logged(20)).toEqual(['Invalid JSONata expression: boom']));
    await settle();
    expect(flow.sent).toEqual([]);
    expect(flow.completed).toEqual([]);
  });

  it('a node with an invalid rule reports every problem and ignores its input', () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [
      { t: 'change', p: 'payload', pt: 'msg', from: '(', fromt: 're', to: '{', tot: 'json' },
      { t: 'set', p: 'payload', pt: 'msg', to: 'x', tot: 'str' },
    ] });
    expect(flow.logged(20)).toEqual([
      "Invalid 'from' property: Invalid regular expression: /(/g: Unterminated group",
      "Invalid 'to' JSON property",
    ]);
    node.receive({});
    expect(flow.sent).toEqual([]);
  });
});

describe('change node: asynchronous context stores', () => {
  it('reads a value through the callback form and sends the message later', async () => {
    const { flow, create } = setup();
    flow.globalCtx.set('k', 'slow value', 'slow', () => undefined);
    await settle();
    const node = create({ type: 'change', rules: [
      { t: 'set', p: 'payload', pt: 'msg', to: '#:(slow)::k', tot: 'global' },
      { t: 'set', p: 'topic', pt: 'msg', to: 't', tot: 'str' },
    ] });
    node.receive({});
    expect(flow.sent).toEqual([]);
    await eventually(() => expect(flow.sent.length).toBe(1));
    expect(flow.sent.map((s) => s.msg)).toEqual([{ _msgid: expect.any(String), payload: 'slow value', topic: 't' }]);
  });

  it('writes, changes and deletes context entries of an async store', async () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [
      { t: 'set', p: '#:(slow)::a', pt: 'flow', to: 'banana', tot: 'str' },
      { t: 'change', p: '#:(slow)::a', pt: 'flow', from: 'a', fromt: 'str', to: 'o', tot: 'str' },
      { t: 'move', p: '#:(slow)::a', pt: 'flow', to: 'moved', tot: 'msg' },
    ] });
    node.receive({});
    await eventually(() => expect(flow.sent.length).toBe(1));
    expect(flow.sent[0]!.msg.moved).toBe('bonono');
    const left = await new Promise((r) => flow.flowCtx.get('a', 'slow', (_e, v) => r(v)));
    expect(left).toBeUndefined();
  });

  it('messages keep their order through synchronous rules', () => {
    const { flow, create } = setup();
    const node = create({ type: 'change', rules: [{ t: 'set', p: 'n', pt: 'msg', to: 'n', tot: 'flow' }] });
    for (let i = 0; i < 3; i++) { flow.flowCtx.set('n', i); node.receive({}); }
    expect(flow.sent.map((s) => s.msg.n)).toEqual([0, 1, 2]);
  });
});
