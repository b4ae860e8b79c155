// The debug module forwards the runtime's warn and error log entries to the debug sidebar (comms topic
// `debug`). Expected frames were read from /comms of Node-RED 4.1.15 for the same flows (no debug node in
// them: the module forwards from the moment it loads), timestamps and error stacks aside.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep, type TestClient } from '../comms/ws-client.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { createLogger, type LogHandler } from '../../src/runtime/logger.js';
import type { RED } from '../../src/registry/red-types.js';

const inject = (id: string, z: string, wires: string[]) =>
  ({ id, type: 'inject', z, once: false, repeat: '', payload: '', payloadType: 'date', topic: '', wires: [wires] });
const fn = (id: string, z: string, func: string, name = '') => ({ id, type: 'function', z, name, func, outputs: 1, wires: [[]] });

const flows = [
  { id: 't1', type: 'tab', label: 'T1' },
  { id: 't2', type: 'tab', label: 'T2' },
  { id: 't4', type: 'tab', label: 'T4' },
  inject('inj1', 't1', ['fn1', 'fnu']),
  inject('inj3', 't1', ['lw1']),
  fn('fn1', 't1', [
    'node.warn("x");', 'node.error("boom");', 'node.warn({a:1});', 'node.error(new Error("e"));', 'node.warn(42);',
    'node.warn(null);', 'node.warn("");', 'node.warn([1,2]);', 'node.log("info");', 'node.debug("dbg");', 'node.trace("trc");',
    'return null;',
  ].join('\n'), 'myfn'),
  { id: 'lw1', type: 'log-probe', z: 't1', wires: [] },
  // an error with a message and no catch node on its flow (the catch node of t2 does not see it)
  fn('fnu', 't1', 'node.error("uncaught-with-msg", msg);\nreturn null;'),
  inject('inj2', 't2', ['fn2']),
  fn('fn2', 't2', 'node.error("caught-err", msg);\nnode.warn("t2-ran");\nreturn null;', 'caughtfn'),
  { id: 'c2', type: 'catch', z: 't2', scope: null, uncaught: false, wires: [[]] },
  inject('inj4', 't4', ['fn4', 'fn5']),
  fn('fn4', 't4', 'node.error("uncaught-catch-err", msg);\nreturn null;'),
  fn('fn5', 't4', 'node.warn("t4-ran");\nreturn null;'),
  { id: 'c4', type: 'catch', z: 't4', scope: null, uncaught: true, wires: [[]] },
  inject('inj5', 't1', ['fnx']),
  inject('inj6', 't1', ['fne']),
  fn('fne', 't1', 'node.error();\nnode.warn("after");\nreturn null;'),
  fn('fnx', 't1', [
    "node.warn('a'.repeat(1005));", 'node.warn(Buffer.from([1,2]));', 'node.warn(true);', 'node.warn(undefined);',
    "node.error({message:'m', code:'C'});", "const e = new TypeError('te'); e.code = 'X'; node.error(e);", 'return null;',
  ].join('\n')),
];

/** A node package whose node logs through RED.log, as a runtime part would (no id, type or path). */
const logProbe = (R: RED) => {
  R.nodes.registerType('log-probe', function (this: any, config: any) {
    R.nodes.createNode(this, config);
    this.on('input', (_msg: unknown, _send: unknown, done: () => void) => {
      R.log.warn('plain warn');
      R.log.error(new Error('plain err'));
      R.log.info('plain info');
      R.log.log({ level: R.log.WARN, msg: 'custom', id: 'abc', foo: 1 });
      done();
    });
  });
};

let c: Started;
let ws: TestClient;
beforeAll(async () => {
  c = await startCrimson();
  await c.runtime.loadNodeModule({ name: 'log-probe', version: '1.0.0' }, { 'log-probe': logProbe });
  await c.deploy(flows);
  ws = await openComms(commsUrl(c.url));
  ws.send({ subscribe: 'debug' });
  await sleep(50); // the subscription is handled before the first inject
}, 20000);
afterAll(async () => { await ws?.close(); await c?.stop(); });

const debugData = () => ws.messages().filter((m) => m.topic === 'debug').map((m) => m.data as Record<string, any>);

/** Presses an inject button; resolves with the sidebar messages that came until `last` matched. */
async function press(id: string, last: (d: Record<string, any>) => boolean): Promise<Array<Record<string, any>>> {
  const before = debugData().length;
  const res = await fetch(`${c.url}inject/${id}`, { method: 'POST' });
  expect(res.status).toBe(200);
  await ws.until(() => debugData().slice(before).some(last), 10000);
  await sleep(100); // nothing else is to come after it
  return debugData().slice(before);
}

/** The messages without their (checked) timestamps; encoded errors as their parsed JSON without the stack. */
function comparable(list: Array<Record<string, any>>): Array<Record<string, any>> {
  return list.map((d) => {
    expect(typeof d.timestamp).toBe('number');
    const out: Record<string, any> = { ...d, timestamp: 'T' };
    if (d.format === 'error') {
      const parsed = JSON.parse(d.msg);
      expect(parsed.data.stack).toMatch(new RegExp(`^${parsed.data.name}: ${parsed.data.message}\\n`));
      delete parsed.data.stack;
      out.msg = parsed;
    }
    return out;
  });
}

describe('debug sidebar: log entries', () => {
  it("a node's warn and error entries, encoded as the sidebar encodes values; info, debug and trace are not sent", async () => {
    const got = comparable(await press('inj1', (d) => d.id === 'fnu'));
    const fn1 = (level: number, msg: unknown, format: string) =>
      ({ level, id: 'fn1', type: 'function', msg, z: 't1', name: 'myfn', path: 't1', timestamp: 'T', format });
    const error = (name: string, message: string) => ({ __enc__: true, type: 'error', data: { name, message } });
    expect(got).toEqual([
      fn1(30, 'x', 'string[1]'),
      fn1(20, 'boom', 'string[4]'),
      fn1(30, '{"a":1}', 'Object'),
      fn1(20, error('Error', 'e'), 'error'),
      fn1(30, '42', 'number'),
      fn1(30, '(undefined)', 'null'),
      fn1(30, '', 'string[0]'),
      fn1(30, '[1,2]', 'array[2]'),
      // an unnamed node has no name field
      { level: 20, id: 'fnu', type: 'function', msg: 'uncaught-with-msg', z: 't1', path: 't1', timestamp: 'T', format: 'string[17]' },
    ]);
    // the exact frame text (key order included) of the first one
    const raw = ws.frames.map((f) => f.raw).find((r) => r.includes('"msg":"x"'))!;
    expect(raw).toMatch(/\{"topic":"debug","data":\{"level":30,"id":"fn1","type":"function","msg":"x","z":"t1","name":"myfn","path":"t1","timestamp":\d+,"format":"string\[1\]"\}\}/);
    // the console still shows the entries as logged (the sidebar encoding works on a copy)
    expect(c.logs.some((l) => / - \[error\] \[function:myfn\] Error: e$/.test(l))).toBe(true);
  });

  it('entries logged without a node are sent too, as they were logged', async () => {
    const got = comparable(await press('inj3', (d) => d.msg === 'custom'));
    const error = { __enc__: true, type: 'error', data: { name: 'Error', message: 'plain err' } };
    expect(got).toEqual([
      { level: 30, msg: 'plain warn', timestamp: 'T', format: 'string[10]' },
      { level: 20, msg: error, timestamp: 'T', format: 'error' },
      { level: 30, msg: 'custom', id: 'abc', foo: 1, timestamp: 'T', format: 'string[6]' },
    ]);
    expect(c.logs.some((l) => / - \[warn\] custom$/.test(l))).toBe(true);
  });

  it('an error a catch node handles is not logged, so not sent; an uncaught-only catch node handles it too', async () => {
    const caught = await press('inj2', (d) => d.msg === 't2-ran');
    expect(comparable(caught)).toEqual([
      { level: 30, id: 'fn2', type: 'function', msg: 't2-ran', z: 't2', name: 'caughtfn', path: 't2', timestamp: 'T', format: 'string[6]' },
    ]);
    const uncaught = await press('inj4', (d) => d.msg === 't4-ran');
    expect(uncaught.map((d) => d.msg)).toEqual(['t4-ran']);
  });

  it('values are cut at debugMaxLength and typed as for debug messages', async () => {
    const got = comparable(await press('inj5', (d) => d.format === 'error'));
    const fnx = (level: number, msg: unknown, format: string) =>
      ({ level, id: 'fnx', type: 'function', msg, z: 't1', path: 't1', timestamp: 'T', format });
    expect(got).toEqual([
      fnx(30, 'a'.repeat(1000) + '...', 'string[1005]'),
      fnx(30, '0102', 'buffer[2]'),
      fnx(30, 'true', 'boolean'),
      fnx(30, '(undefined)', 'undefined'),
      fnx(20, '{"message":"m","code":"C"}', 'Object'),
      fnx(20, { __enc__: true, type: 'error', data: { name: 'TypeError', message: 'te', code: 'X' } }, 'error'),
    ]);
  });
});

describe('debug sidebar: node.error() without a message', () => {
  it('is an empty string, as Node-RED logs it', async () => {
    const got = comparable(await press('inj6', (d) => d.msg === 'after'));
    expect(got[0]).toEqual({ level: 20, id: 'fne', type: 'function', msg: '', z: 't1', path: 't1', timestamp: 'T', format: 'string[0]' });
  });
});

describe('debug sidebar: log forwarding per runtime', () => {
  const started: Started[] = [];
  afterEach(async () => { for (const s of started.splice(0)) await s.stop(); });

  it("one runtime's entries never reach another runtime's sidebar", async () => {
    const [a, b] = await Promise.all([startCrimson(), startCrimson()]);
    started.push(a!, b!);
    const flow = [{ id: 't', type: 'tab', label: 'T' }, inject('i', 't', ['w']), fn('w', 't', 'node.warn("only-a");\nreturn null;')];
    await a!.deploy(flow);
    await b!.deploy(flow);
    const [wa, wb] = await Promise.all([openComms(commsUrl(a!.url)), openComms(commsUrl(b!.url))]);
    try {
      wa.send({ subscribe: 'debug' });
      wb.send({ subscribe: 'debug' });
      await sleep(50);
      expect((await fetch(`${a!.url}inject/i`, { method: 'POST' })).status).toBe(200);
      await wa.message('debug', (d) => d.msg === 'only-a', 10000);
      await sleep(200);
      expect(wb.messages().filter((m) => m.topic === 'debug')).toEqual([]);
      expect(wa.messages().filter((m) => m.topic === 'debug').length).toBe(1);
    } finally {
      await wa.close();
      await wb.close();
    }
  });

  it('the handler is added when the debug module loads and removed when the runtime stops', async () => {
    const userDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-test-'));
    const logger = createLogger({ logging: { console: { level: 'info' } }, write: () => {} });
    const extra = new Set<LogHandler>();
    const add = logger.addHandler;
    const remove = logger.removeHandler;
    logger.addHandler = (h) => { extra.add(h); add(h); };
    logger.removeHandler = (h) => { extra.delete(h); remove(h); };
    try {
      const runtime = createRuntime({ uiHost: '127.0.0.1', uiPort: 0 }, { userDir, logger });
      await runtime.start();
      expect(extra.size).toBe(1);
      await runtime.stop();
      expect(extra.size).toBe(0);
    } finally {
      await fs.rm(userDir, { recursive: true, force: true });
    }
  });
});
