// The function node's error paths: thrown values, ReferenceError positions, syntax errors at deploy,
// timeouts, unhandled rejections and code that misbehaves on every message.
import { describe, it, expect, vi } from 'vitest';
import vm from 'node:vm';
import { createHarness, functionNode, settle, waitFor } from './function-harness.js';
import { functionRejectionListener } from '../../src/nodes/function/rejections.js';

type Msg = Record<string, any>;

async function errorFor(func: string, input: Msg = {}) {
  const { node, flow } = await functionNode({ func });
  node.receive(input);
  await waitFor(() => flow.errors.length + flow.completes.length > 0);
  return { flow, input, err: flow.errors[0]?.err as any, errMsg: flow.errors[0]?.msg };
}

describe('function node thrown values', () => {
  it('an Error goes to done(err) and onto the input message as msg.error', async () => {
    const { err, input, errMsg } = await errorFor('var x = 1;\nthrow new Error("boom");');
    expect(err.message).toBe('boom');
    expect(String(err)).toBe('Error: boom');
    expect(input.error).toBe(err);
    expect(errMsg).toBe(input);
    expect(err.stack).toMatch(/^Error: boom\n {4}at Function node:fn:3:7/);
  });

  it('a ReferenceError gets " (line L, col C)" of the body, the text as the message', async () => {
    const { err } = await errorFor('var x = 1;\n  x = foo + 1;\nreturn msg;');
    expect(err.message).toBe('ReferenceError: foo is not defined (line 2, col 3)');
    const nested = await errorFor('function f() { return bar; }\nf();');
    expect(nested.err.message).toBe('ReferenceError: bar is not defined');
  });

  it('an error after an await is reported the same way', async () => {
    const { err, input } = await errorFor('await null;\nthrow new TypeError("late")');
    expect(String(err)).toBe('TypeError: late');
    expect(input.error).toBe(err);
  });

  it('strings as they are, other values JSON-stringified, undefined completes the message', async () => {
    expect((await errorFor('throw "str"')).err).toBe('str');
    expect((await errorFor('throw {a:1}')).err).toBe('{"a":1}');
    expect((await errorFor('throw 5')).err).toBe('5');
    expect((await errorFor('throw null')).err).toBe('null');
    expect((await errorFor('throw Object.create(null)')).err).toBe('{}');
    expect((await errorFor('throw 10n')).err).toBe('10');
    const undef = await errorFor('throw undefined');
    expect(undef.flow.errors).toEqual([]);
    expect(undef.flow.completes).toHaveLength(1);
  });
});

describe('function node syntax errors', () => {
  it('logs the error with its body line and never processes messages', async () => {
    const { node, flow, out } = await functionNode({ func: 'var a = 1;\nvar b = ;\nreturn msg;' });
    expect(flow.logText()).toEqual(["SyntaxError: Unexpected token ';' (body:line 2)"]);
    node.receive({});
    await settle(5);
    expect(out[0]).toEqual([]);
    expect(flow.completes).toEqual([]);
    expect(flow.errors).toEqual([]);
  });

  it('numbers On Start and On Stop lines as Node-RED does', async () => {
    const setup = await functionNode({ func: 'return msg;', initialize: 'var a = 1;\nvar b = ;' });
    expect(setup.flow.logText()).toEqual(["SyntaxError: Unexpected token ';' (setup:line 18)"]);
    const cleanup = await functionNode({ func: 'return msg;', finalize: 'x = 1;\ny = ;' });
    expect(cleanup.flow.logText()).toEqual(["SyntaxError: Unexpected token ';' (cleanup:line 17)"]);
  });

  it('fails to create the node when code that mentions node.done() does not parse', () => {
    const h = createHarness();
    expect(() => h.create({ func: 'var a = 1;\nnode.done();\nvar b = ;' })).toThrow("Unexpected token ';' (4:8)");
  });
});

describe('function node timeout', () => {
  const busy = 'const t = Date.now(); while (Date.now() - t < 2000) {} return msg;';

  it('aborts a long synchronous run with a catchable error and keeps working', async () => {
    const { node, flow, out } = await functionNode({ timeout: 0.1, func: `if (msg.busy) { ${busy} } return msg;` });
    const started = Date.now();
    node.receive({ busy: true });
    await waitFor(() => flow.errors.length === 1);
    expect(Date.now() - started).toBeLessThan(1500);
    const err = flow.errors[0]!.err as any;
    expect(err.message).toBe('Script execution timed out after 100ms');
    expect(err.code).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
    expect(flow.errors[0]!.msg.error).toBeUndefined();
    node.receive({ n: 2 });
    await waitFor(() => out[0]!.length === 1);
  });

  it('applies globalFunctionTimeout (seconds) when the node has none', async () => {
    const { node, flow } = await functionNode({ func: busy }, { settings: { globalFunctionTimeout: 0.1 } });
    const spy = vi.spyOn(vm.Script.prototype, 'runInContext');
    try {
      node.receive({});
      await waitFor(() => flow.errors.length === 1);
      expect((flow.errors[0]!.err as Error).message).toBe('Script execution timed out after 100ms');
      // one timed run (the others set the node up on its first message)
      expect(spy.mock.calls.filter((c) => (c[1] as { timeout?: number } | undefined)?.timeout === 100)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('function node code that misbehaves', () => {
  it('reports an unhandled rejection of its code to node.error(err, {})', async () => {
    const others = process.listeners('unhandledRejection').filter((l) => l !== functionRejectionListener);
    for (const l of others) process.off('unhandledRejection', l);
    try {
      const { node, flow, out } = await functionNode({ func: `Promise.reject(new Error('floating')); return msg;` });
      if (!process.listeners('unhandledRejection').includes(functionRejectionListener)) {
        process.on('unhandledRejection', functionRejectionListener);
      }
      node.receive({});
      await waitFor(() => flow.errors.length === 1 && out[0]!.length === 1);
      expect(String(flow.errors[0]!.err)).toBe('Error: floating');
      expect(flow.errors[0]!.msg).toEqual({});
      expect(out[0]).toHaveLength(1);
    } finally {
      for (const l of others) process.on('unhandledRejection', l);
    }
  });

  it('survives a node that throws on every message', async () => {
    const { node, flow } = await functionNode({ func: 'throw new Error("again " + msg.n);' });
    for (let n = 0; n < 200; n++) node.receive({ n });
    await waitFor(() => flow.errors.length === 200);
    expect(String(flow.errors[199]!.err)).toBe('Error: again 199');
  });

  it('survives garbage: uncloneable, hostile and circular values', async () => {
    const { node, flow, out } = await functionNode({
      func: `if (msg.k === 1) { const c = { payload: 1 }; c.self = c; node.send(c); return null; }
        if (msg.k === 2) return new Proxy({}, { get() { throw new Error('hostile'); }, set() { throw new Error('no set'); } });
        if (msg.k === 3) return Object.freeze({ payload: 'frozen' });
        if (msg.k === 4) return [[Symbol('s'), () => 1]];
        return msg;`,
    });
    for (let k = 1; k <= 5; k++) node.receive({ k });
    await waitFor(() => flow.completes.length + flow.errors.length === 5 && out[0]!.length === 2);
    expect(out[0]![0]!.self).toBe(out[0]![0]);
    expect(flow.errors.map((e) => String(e.err))).toEqual(['Error: hostile', expect.stringMatching(/^TypeError: Cannot add property _msgid/)]);
    expect(flow.logText()).toEqual(expect.arrayContaining(['Function tried to send a message of type symbol', 'Function tried to send a message of type function']));
  });
});
