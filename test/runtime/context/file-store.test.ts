// The localfilesystem store: the shared contract (cached and uncached), Node-RED's layout on disk, flush
// timing, reading files Node-RED wrote, clean-up of removed flows/nodes, and its error texts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFileStore, ASYNC_ONLY } from '../../../src/runtime/context/file-store.js';
import type { ContextStore, StoreConfig } from '../../../src/runtime/context/store.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { describeStoreSuite } from './store-suite.js';

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'crimson-ctx-'));
const quietLogger = () => createLogger({ write: () => {} });

function fileStoreUnderTest(config: Record<string, unknown>) {
  return async () => {
    const userDir = await tmp();
    const conf = (): StoreConfig => ({ ...config, settings: { userDir } });
    let store: ContextStore = createFileStore(conf(), quietLogger());
    return {
      store,
      async reopen() {
        await store.close();
        store = createFileStore(conf(), quietLogger());
        await store.open();
        return store;
      },
      dispose: () => fs.rm(userDir, { recursive: true, force: true }),
    };
  };
}

describeStoreSuite('localfilesystem (cache)', fileStoreUnderTest({}), { sync: true });
describeStoreSuite('localfilesystem (no cache)', fileStoreUnderTest({ cache: false }), { sync: false });

const NODE_RED_GLOBAL = '{\n    "gf": "x",\n    "obj": {\n        "arr": [\n            1,\n            2,\n            3\n        ],\n        "o": {\n            "a": 1\n        },\n        "s": "str",\n        "nul": null\n    }\n}';

const setCb = (s: ContextStore, scope: string, key: string, value: unknown) =>
  new Promise<void>((resolve, reject) => s.set(scope, key, value, (err) => (err ? reject(err) : resolve())));
const getCb = (s: ContextStore, scope: string, key: string) =>
  new Promise<unknown>((resolve, reject) => s.get(scope, key, (err, v) => (err ? reject(err) : resolve(v))));
const exists = (f: string) => fs.access(f).then(() => true, () => false);
const ticks = async (until: () => Promise<boolean>) => {
  for (let i = 0; i < 500; i++) {
    if (await until()) return true;
    await new Promise((r) => setImmediate(r));
  }
  return false;
};

describe('localfilesystem store', () => {
  let userDir: string;
  let lines: string[];
  const logger = () => createLogger({ logging: { console: { level: 'debug' } }, write: (l) => lines.push(l) });
  const make = (config: Record<string, unknown> = {}) => createFileStore({ ...config, settings: { userDir } }, logger());
  beforeEach(async () => { userDir = await tmp(); lines = []; });
  afterEach(async () => { vi.useRealTimers(); await fs.rm(userDir, { recursive: true, force: true }); });

  it("writes Node-RED's layout: global/global.json, <flow>/flow.json, <flow>/<node>.json, 4-space JSON", async () => {
    const s = make();
    await s.open();
    s.set('global', 'gf', 'x');
    s.set('global', 'obj', { arr: [1, 2, 3], o: { a: 1 }, s: 'str', nul: null });
    s.set('t1', 'f', [1, 2, 3]);
    s.set('f1:t1', 'a', 1);
    await s.close();
    const base = path.join(userDir, 'context');
    expect(await fs.readFile(path.join(base, 'global', 'global.json'), 'utf8')).toBe(NODE_RED_GLOBAL);
    expect(await fs.readFile(path.join(base, 't1', 'flow.json'), 'utf8')).toBe('{\n    "f": [\n        1,\n        2,\n        3\n    ]\n}');
    expect(await fs.readFile(path.join(base, 't1', 'f1.json'), 'utf8')).toBe('{\n    "a": 1\n}');
    // written through a temp file that does not stay behind
    expect((await fs.readdir(path.join(base, 't1'))).sort()).toEqual(['f1.json', 'flow.json']);
  });

  it('honours dir and base', async () => {
    const s = make({ dir: path.join(userDir, 'elsewhere'), base: 'ctx2', cache: false });
    await s.open();
    await setCb(s, 'n:f', 'v', 1);
    expect(JSON.parse(await fs.readFile(path.join(userDir, 'elsewhere', 'ctx2', 'f', 'n.json'), 'utf8'))).toEqual({ v: 1 });
  });

  it('reads the files of a Node-RED userDir as they are', async () => {
    await fs.mkdir(path.join(userDir, 'context', 'global'), { recursive: true });
    await fs.mkdir(path.join(userDir, 'context', 't1'), { recursive: true });
    await fs.writeFile(path.join(userDir, 'context', 'global', 'global.json'), NODE_RED_GLOBAL);
    await fs.writeFile(path.join(userDir, 'context', 't1', 'flow.json'), '{\n    "f": [\n        1\n    ]\n}');
    await fs.writeFile(path.join(userDir, 'context', 't1', 'f1.json'), '');
    for (const cache of [true, false]) {
      const s = make({ cache });
      await s.open();
      expect(await getCb(s, 'global', 'obj.arr[2]')).toBe(3);
      expect(await getCb(s, 't1', 'f')).toEqual([1]);
      expect(await getCb(s, 'f1:t1', 'a')).toBeUndefined();
      await s.close();
    }
  });

  it('writes a changed scope flushInterval seconds after the first change, and at close', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = make({ flushInterval: 30 });
    await s.open();
    const file = path.join(userDir, 'context', 't1', 'flow.json');
    s.set('t1', 'a', 1);
    vi.advanceTimersByTime(29_999);
    expect(await ticks(() => exists(file))).toBe(false);
    s.set('t1', 'b', 2);
    vi.advanceTimersByTime(1);
    expect(await ticks(() => exists(file))).toBe(true);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({ a: 1, b: 2 });
    s.set('t1', 'c', 3);
    await s.close();
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({ a: 1, b: 2, c: 3 });
    expect(lines.some((l) => l.includes('[debug] Flushing localfilesystem context scope t1'))).toBe(true);
  });

  it('without cache, synchronous get/keys throw as in Node-RED and set without a callback still writes', async () => {
    const s = make({ cache: false });
    await s.open();
    expect(() => s.get('f1', 'a')).toThrow(ASYNC_ONLY);
    expect(ASYNC_ONLY).toBe('File Store cache disabled - only asynchronous access supported');
    expect(() => s.keys('f1')).toThrow('Callback must be a function');
    s.set('f1', 'a', 7);
    expect(await getCb(s, 'f1', 'a')).toBe(7);
    expect(await fs.readFile(path.join(userDir, 'context', 'f1', 'flow.json'), 'utf8')).toBe('{\n    "a": 7\n}');
  });

  it('drops circular references from the file and warns once per scope', async () => {
    const s = make();
    await s.open();
    const loop: Record<string, unknown> = { x: 1, arr: [1] };
    loop.self = loop;
    (loop.arr as unknown[]).push(loop);
    s.set('global', 'loop', loop);
    await s.close();
    expect(JSON.parse(await fs.readFile(path.join(userDir, 'context', 'global', 'global.json'), 'utf8')))
      .toEqual({ loop: { x: 1, arr: [1, null] } });
    expect(lines.filter((l) => l.includes('[warn] Context global contains a circular reference that cannot be persisted'))).toHaveLength(1);
  });

  it('clean() deletes the files of removed flows and nodes, never global or other files', async () => {
    const base = path.join(userDir, 'context');
    const write = async (rel: string) => {
      await fs.mkdir(path.dirname(path.join(base, rel)), { recursive: true });
      await fs.writeFile(path.join(base, rel), '{"q":1}');
    };
    for (const f of ['global/global.json', 't1/flow.json', 't1/n1.json', 't1/gone.json', 't1/.hidden.json', 't1/notes.txt', 'old/flow.json', 'old/n9.json', '.dot/x.json']) await write(f);
    for (const cache of [true, false]) {
      const s = make({ cache });
      await s.open();
      await s.clean(['t1', 'n1']);
      await s.close();
    }
    const left: string[] = [];
    for (const d of await fs.readdir(base)) for (const f of await fs.readdir(path.join(base, d))) left.push(`${d}/${f}`);
    expect(left.sort()).toEqual(['.dot/x.json', 'global/global.json', 't1/flow.json', 't1/n1.json', 't1/notes.txt']);
  });

  it('a removed node does not come back from a pending write', async () => {
    const s = make();
    await s.open();
    s.set('n2:t1', 'v', 1);
    await s.clean(['t1']);
    await s.close();
    expect(await exists(path.join(userDir, 'context', 't1', 'n2.json'))).toBe(false);
  });

  it('refuses a bad JSON file at open with the file named', async () => {
    await fs.mkdir(path.join(userDir, 'context', 't1'), { recursive: true });
    const file = path.join(userDir, 'context', 't1', 'flow.json');
    await fs.writeFile(file, '{"broken"');
    await expect(make().open()).rejects.toThrow(`Invalid JSON in context file '${file}'`);
  });

  it('never writes outside its directory for ids that are not file names', async () => {
    const s = make({ cache: false });
    await s.open();
    await expect(setCb(s, '..', 'v', 1)).rejects.toThrow("Invalid context scope '..'");
    await expect(setCb(s, 'n:../../escape', 'v', 1)).rejects.toThrow(/Invalid context scope/);
    const c = make({ cache: true });
    await c.open();
    c.set('../../escape', 'v', 1);
    await c.close();
    expect(await exists(path.join(userDir, 'escape.json'))).toBe(false);
    expect(await exists(path.join(path.dirname(userDir), 'escape.json'))).toBe(false);
    expect(lines.some((l) => l.includes('Error writing context'))).toBe(true);
  });

  it('creates its directory at open', async () => {
    const s = make({ base: 'fresh' });
    await s.open();
    expect((await fs.stat(path.join(userDir, 'fresh'))).isDirectory()).toBe(true);
    await s.close();
  });
});
