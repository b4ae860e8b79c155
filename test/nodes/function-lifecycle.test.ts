// The function node's life: On Start (queueing, failure), On Stop, timers, close handlers, node.on and
// `libs` modules (builtins, <userDir>/node_modules, functionExternalModules: false).
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHarness, functionNode, settle, waitFor } from './function-harness.js';

describe('function node On Start', () => {
  it('queues messages until it resolves, then processes them in order; its node.send works', async () => {
    const { node, out, flow } = await functionNode({
      initialize: `node.warn(Object.keys(node).join()); node.send({ payload: 'from-start' });
        await new Promise((r) => global.set('go', r)); ready = true;`,
      func: 'msg.ready = ready; return msg;',
    });
    node.receive({ n: 1 });
    node.receive({ n: 2 });
    await settle();
    expect(out[0]!.map((m) => m.payload)).toEqual(['from-start']);
    expect(out[0]![0]!._msgid).toMatch(/^[0-9a-f]{16}$/);
    (flow.contexts.global.get('go') as () => void)();
    await waitFor(() => out[0]!.length === 3);
    expect(out[0]!.slice(1).map((m) => [m.n, m.ready])).toEqual([[1, true], [2, true]]);
    expect(flow.logText(30)).toEqual(['id,name,path,outputCount,log,error,warn,debug,trace,status,send']);
  });

  it('when it rejects, the error is logged and later messages are discarded', async () => {
    const { node, out, flow } = await functionNode({ initialize: 'throw new Error("inifail")', func: 'return msg;' });
    expect(flow.logText()).toEqual(['Error: inifail']);
    node.receive({});
    await settle(5);
    expect(out[0]).toEqual([]);
    expect(flow.completes).toEqual([]);
  });
});

describe('function node close', () => {
  it('runs On Stop, where node.send logs an error, then the close handlers the code added', async () => {
    const { node, flow } = await functionNode({
      func: `node.on('close', function (removed, done) { node.warn('closed ' + removed); done(); }); return msg;`,
      finalize: `node.warn('fin ' + typeof node.done + typeof node.on); node.send({ payload: 1 });`,
    });
    node.receive({});
    await waitFor(() => flow.completes.length === 1);
    await node.close(true);
    expect(flow.logText(30)).toEqual(['fin undefinedundefined', 'closed true']);
    expect(flow.logText()).toEqual(['Cannot send from close function']);
  });

  it('clears pending timers and intervals and the status the code set', async () => {
    const { node, flow } = await functionNode({
      func: `node.status({ text: 'busy' }); setInterval(() => context.set('ticks', (context.get('ticks') || 0) + 1), 5);
        setTimeout(() => node.warn('late'), 150); return msg;`,
    });
    node.receive({});
    await waitFor(() => ((node.context().get('ticks') as number) ?? 0) >= 2);
    await node.close(false);
    const ticks = node.context().get('ticks');
    await new Promise((r) => setTimeout(r, 200));
    expect(node.context().get('ticks')).toBe(ticks);
    expect(flow.logText(30)).toEqual([]);
    expect(flow.statuses.map((s) => s.status)).toEqual([{ text: 'busy' }, {}]);
  });

  it("refuses node.on('input') from the code", async () => {
    const { node, out } = await functionNode({
      func: `try { node.on('input', () => {}); } catch (e) { msg.payload = e.message; } return msg;`,
    });
    node.receive({});
    await waitFor(() => out[0]!.length === 1);
    expect(out[0]![0]!.payload).toBe("Cannot add listener to 'input' event within Function");
  });
});

describe('function node timers', () => {
  it('runs callbacks with this = the node and extra arguments; promisify(setTimeout) works', async () => {
    const { node, out } = await functionNode({
      func: `const got = await new Promise((r) => setTimeout(function (a, b) { r([this.type, a, b]); }, 1, 'x', 'y'));
        msg.payload = [got, await promisify(setTimeout)(1, 'value')]; return msg;`,
    });
    node.receive({});
    await waitFor(() => out[0]!.length === 1);
    expect(out[0]![0]!.payload).toEqual([['function', 'x', 'y'], 'value']);
  });

  it('reports an error thrown or rejected in a callback to node.error(err, {})', async () => {
    const { node, flow } = await functionNode({
      func: `setTimeout(() => { throw new Error('tmr'); }, 1); setTimeout(async () => { throw new Error('async tmr'); }, 2);
        const i = setInterval(() => { clearInterval(i); throw new Error('iv'); }, 3); return msg;`,
    });
    node.receive({});
    await waitFor(() => flow.errors.length === 3);
    expect(flow.errors.map((e) => String(e.err)).sort()).toEqual(['Error: async tmr', 'Error: iv', 'Error: tmr']);
    expect(flow.errors.every((e) => Object.keys(e.msg).length === 0)).toBe(true);
  });
});

describe('function node libs', () => {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-fn-libs-'));
  const mod = (name: string, main: string) => {
    fs.mkdirSync(path.join(userDir, 'node_modules', name), { recursive: true });
    fs.writeFileSync(path.join(userDir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(userDir, 'node_modules', name, 'index.js'), main);
  };
  mod('goodmod', 'module.exports = { hi: () => "hi" };');
  mod('badmod', 'throw new Error("bad load");');
  afterAll(() => fs.rmSync(userDir, { recursive: true, force: true }));

  it('gives builtins and packages of <userDir>/node_modules to the code under their var names', async () => {
    const { node, out } = await functionNode({
      libs: [{ var: 'fs', module: 'fs' }, { var: 'cr', module: 'node:crypto' }, { var: 'good', module: 'goodmod' }],
      func: `msg.payload = [typeof fs.readFileSync, cr.createHash('sha1').update('a').digest('hex').length, good.hi()]; return msg;`,
    }, { userDir });
    node.receive({});
    await waitFor(() => out[0]!.length === 1);
    expect(out[0]![0]!.payload).toEqual(['function', 40, 'hi']);
  });

  it('rejects var names the sandbox uses and fails to create the node', () => {
    const h = createHarness({ userDir });
    expect(() => h.create({ func: 'return msg;', libs: [{ var: 'util', module: 'fs' }, { var: 'node', module: 'fs' }] }))
      .toThrow('Function node failed to load external modules');
    expect(h.flow.logText()).toEqual(['Invalid module variable name: util', 'Invalid module variable name: node']);
  });

  it('fails to create the node when functionExternalModules is false', () => {
    const h = createHarness({ settings: { functionExternalModules: false } });
    expect(() => h.create({ func: 'return msg;', libs: [{ var: 'x', module: 'fs' }] }))
      .toThrow('Function node not allowed to load external modules');
    expect(() => h.create({ func: 'return msg;', libs: [] })).not.toThrow();
  });

  it('logs a module that fails to load, then never processes messages', async () => {
    const { node, flow, out } = await functionNode({ func: 'return msg;', libs: [{ var: 'bad', module: 'badmod' }] }, { userDir });
    await waitFor(() => flow.logs.length === 2);
    expect(flow.logText()).toEqual(['Failed to load module : Error: bad load', 'Function node failed to load external modules']);
    node.receive({});
    await settle(5);
    expect(out[0]).toEqual([]);
  });

  it('fails to create the node for a package that is not installed', () => {
    const h = createHarness({ userDir });
    expect(() => h.create({ func: 'return msg;', libs: [{ var: 'nope', module: 'crimson-no-such-package' }] })).toThrow(/Cannot find module/);
  });
});
