// The function node: sandbox contents, return / node.send semantics, node.done() detection, context and
// env access, and that a message costs no vm call beyond invoking the compiled function.
import { describe, it, expect, vi } from 'vitest';
import vm from 'node:vm';
import { functionNode, settle, waitFor } from './function-harness.js';

describe('function node sandbox', () => {
  it('offers exactly the Node-RED sandbox names and hides require/process/fetch…', async () => {
    const { node, out } = await functionNode({
      func: `msg.payload = {
        absent: [typeof require, typeof process, typeof setImmediate, typeof fetch, typeof structuredClone,
          typeof TextEncoder, typeof module, typeof exports, typeof queueMicrotask, typeof atob],
        present: [typeof console.log, typeof util.inspect, typeof Buffer.from, typeof URL, typeof URLSearchParams,
          typeof Date.now, typeof promisify, typeof setTimeout, typeof clearTimeout, typeof setInterval,
          typeof clearInterval, typeof env.get, typeof RED.util.cloneMessage, typeof JSON.parse, typeof Promise],
        node: Object.keys(node), context: Object.keys(context), global: Object.keys(global), env: Object.keys(env),
        self: this === globalThis,
        lower: Object.keys(globalThis).filter((k) => /^[a-z_]/.test(k) && !/^__crimson/.test(k)),
      };
      return msg;`,
    });
    node.receive({});
    await waitFor(() => out[0]!.length === 1);
    const p = out[0]![0]!.payload;
    expect(p.absent.every((t: string) => t === 'undefined')).toBe(true);
    expect(p.present.every((t: string) => t === 'function' || t === 'object')).toBe(true);
    expect(p.node).toEqual(['id', 'name', 'path', 'outputCount', 'log', 'error', 'warn', 'debug', 'trace', 'on', 'status', 'send', 'done']);
    expect(p.context).toEqual(['set', 'get', 'keys', 'global', 'flow']);
    expect(p.global).toEqual(['set', 'get', 'keys']);
    expect(p.env).toEqual(['get']);
    expect(p.self).toBe(true);
    // the sandbox's own (enumerable) names, in order; JavaScript's own globals are not enumerable
    expect(p.lower).toEqual(['console', 'util', '__node__', 'context', 'flow', 'global', 'env', 'setTimeout',
      'clearTimeout', 'setInterval', 'clearInterval', 'promisify']);
  });

  it('node fields, env.get and RED.util.getSetting are bound to this node', async () => {
    const { node, out } = await functionNode({
      name: 'nm', outputs: 2,
      func: `msg.payload = [node.id, node.name, node.path, node.outputCount, env.get('NR_NODE_NAME'),
        RED.util.getSetting(null, 'NR_NODE_ID'), env.get('FN_TEST_VAR')]; return msg;`,
    });
    node._flow.getEnv = (n: string) => (n === 'FN_TEST_VAR' ? 'tab-value' : undefined);
    node.receive({});
    await waitFor(() => out[0]!.length === 1);
    expect(out[0]![0]!.payload).toEqual(['fn', 'nm', 't1/fn', 2, 'nm', 'fn', 'tab-value']);
  });

  it('context, flow and global reach the node, flow and global scopes; global is not the JS global', async () => {
    const { node, out, flow } = await functionNode({
      func: `context.set('n', (context.get('n') || 0) + 1); flow.set('f', 'F'); global.set('g', 'G');
        msg.payload = { set: context.set('x', 1), n: context.get('n'), keys: context.keys(), seeded: global.get('seeded'),
          viaContext: context.global.get('g'), viaFlow: context.flow.get('f') };
        return msg;`,
    });
    node.receive({});
    node.receive({});
    await waitFor(() => out[0]!.length === 2);
    expect(out[0]![1]!.payload).toEqual({ set: undefined, n: 2, keys: ['n', 'x'], seeded: 42, viaContext: 'G', viaFlow: 'F' });
    expect(flow.contexts.global.get('g')).toBe('G');
    expect(flow.flowContext().get('f')).toBe('F');
  });

  it('keeps undeclared globals between messages, while var/let in the body are per call', async () => {
    const { node, out } = await functionNode({
      func: `var local = (typeof local === 'undefined') ? 0 : 99; let seen = globalThis.seen; globalThis.seen = 1;
        count = (typeof count === 'undefined') ? 1 : count + 1;
        msg.payload = [count, local, globalThis.count, seen]; return msg;`,
    });
    for (let i = 0; i < 3; i++) node.receive({});
    await waitFor(() => out[0]!.length === 3);
    expect(out[0]!.map((m) => m.payload)).toEqual([[1, 0, 1, undefined], [2, 0, 2, 1], [3, 0, 3, 1]]);
  });

  it('a reassigned sandbox name stays reassigned for later messages', async () => {
    const { node, out } = await functionNode({ func: `if (msg.first) { JSON = { stringify: () => 'mine' }; } msg.payload = JSON.stringify(1); return msg;` });
    node.receive({ first: true });
    node.receive({});
    await waitFor(() => out[0]!.length === 2);
    expect(out[0]!.map((m) => m.payload)).toEqual(['mine', 'mine']);
  });

  it('makes no vm call per message unless the node has a timeout', async () => {
    const { node, out } = await functionNode({ func: 'msg.payload = (msg.payload || 0) + 1; return msg;' });
    node.receive({ payload: -1 }); // the first message starts the node (its vm context is made then)
    await waitFor(() => out[0]!.length === 1);
    const spy = vi.spyOn(vm.Script.prototype, 'runInContext');
    try {
      for (let i = 0; i < 50; i++) node.receive({ payload: i });
      await waitFor(() => out[0]!.length === 51);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('function node results', () => {
  it('return msg sends the same object with the input _msgid it has when the body resolves', async () => {
    const { node, out } = await functionNode({ func: `flow.set('orig', msg); if (msg.change) msg._msgid = 'changed'; return msg;` });
    const a = { _msgid: 'in-1' };
    node.receive(a);
    node.receive({ _msgid: 'in-2', change: true });
    await waitFor(() => out[0]!.length === 2);
    expect(out[0]![0]).toBe(a);
    expect(out[0]![1]!._msgid).toBe('changed');
  });

  it('node.send clones the first message unless send(msg, false); ids are the input id taken at start', async () => {
    const { node, out } = await functionNode({
      outputs: 2,
      func: `msg._msgid = 'changed';
        node.send(msg); node.send(msg, false); node.send([null, { payload: 'x', _msgid: 'mine' }]);
        node.send([[{ p: 1 }, { p: 2 }]]);
        const o = { p: 3 }; node.send(o); msg.sentWasCloned = o._msgid === undefined;
        return [null, { payload: 'second', _msgid: 'zzz' }];`,
    });
    const input = { _msgid: 'orig' };
    node.receive(input);
    await waitFor(() => out[0]!.length === 5 && out[1]!.length === 2);
    const o0 = out[0]!;
    expect(o0[0]).not.toBe(input);
    expect(o0[1]).toBe(input);
    expect(o0.map((m) => m._msgid)).toEqual(['orig', 'orig', 'orig', 'orig', 'orig']);
    expect(o0.slice(2).map((m) => m.p)).toEqual([1, 2, 3]);
    expect(out[1]!.map((m) => [m.payload, m._msgid])).toEqual([['x', 'orig'], ['second', 'orig']]);
    expect((input as any).sentWasCloned).toBe(true);
  });

  it('sends node.send messages first and the returned message after the body resolves', async () => {
    const { node, out } = await functionNode({ func: `node.send({ n: 1 }); await null; node.send({ n: 2 }); return { n: 3 };` });
    node.receive({});
    await waitFor(() => out[0]!.length === 3);
    expect(out[0]!.map((m) => m.n)).toEqual([1, 2, 3]);
  });

  it('reports values that are not messages and sends nothing for falsy ones', async () => {
    const { node, out, flow } = await functionNode({
      func: `if (msg.k === 1) return 'str'; if (msg.k === 2) return 5; if (msg.k === 3) return [[Buffer.from('b'), [1]]];
        if (msg.k === 4) return [0, false, '']; if (msg.k === 5) return true; return null;`,
    });
    for (let k = 1; k <= 6; k++) node.receive({ k });
    await waitFor(() => flow.completes.length === 6);
    expect(flow.logText()).toEqual([
      'Function tried to send a message of type string', 'Function tried to send a message of type number',
      'Function tried to send a message of type Buffer', 'Function tried to send a message of type Array',
      'Function tried to send a message of type boolean',
    ]);
    expect(out[0]).toEqual([]);
  });

  it('completes each message once the body resolves', async () => {
    const { node, flow } = await functionNode({ func: `await new Promise((r) => global.set('release', r)); return msg;` });
    node.receive({ _msgid: 'a' });
    await settle();
    expect(flow.completes).toEqual([]);
    (flow.contexts.global.get('release') as () => void)();
    await waitFor(() => flow.completes.length === 1);
    expect(flow.completes[0]!.msg._msgid).toBe('a');
  });
});

describe('node.done() in the code', () => {
  it('leaves completion to the code when it calls node.done()', async () => {
    const { node, flow } = await functionNode({ func: `global.set('finish', () => node.done()); return msg;` });
    node.receive({ _msgid: 'a' });
    await settle();
    expect(flow.completes).toEqual([]);
    (flow.contexts.global.get('finish') as () => void)();
    await waitFor(() => flow.completes.length === 1);
  });

  it('still completes by itself when node.done() is only in a comment or a string', async () => {
    const { node, flow } = await functionNode({ func: `// node.done()\nconst s = "node.done()"; return msg;` });
    node.receive({});
    await waitFor(() => flow.completes.length === 1);
  });

  it('node.done(err) reports the error for the message', async () => {
    const { node, flow } = await functionNode({ func: `node.done('bad'); return null; // node.done()` });
    node.receive({ _msgid: 'a' });
    await waitFor(() => flow.errors.length === 1);
    expect(flow.errors[0]!.err).toBe('bad');
    expect(flow.completes).toEqual([]);
  });
});
