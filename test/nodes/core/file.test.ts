// file, file in and watch: Node-RED's implementations run by Crimson inside a temp directory — append,
// overwrite, delete, directories made on the way, msg.filename, encodings, RED.settings.fileWorkingDirectory
// for relative names; reading as one string, lines (msg.parts) or a buffer stream, read errors; watching a
// directory tree and files. Every expectation below was observed on Node-RED 4.1.15 running the same flows
// (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TAB, catchAll, debugNode, injectNode, props, useCoreHarness, withoutId, type NodeDef } from './harness.js';

const h = useCoreHarness({ settings: (tmp) => ({ fileWorkingDirectory: tmp }) });

const write = (id: string, file: string, extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'file', z: TAB, name: id, filename: file, filenameType: 'str', appendNewline: true, createDir: false, overwriteFile: 'false',
  encoding: 'none', wires: [[`d${id}`]], ...extra,
});
const read = (id: string, file: string, extra: Record<string, unknown> = {}): NodeDef => ({
  id, type: 'file in', z: TAB, name: id, filename: file, filenameType: 'str', format: 'utf8', chunk: false, sendError: false,
  encoding: 'none', allProps: false, wires: [[`d${id}`]], ...extra,
});
const at = (...p: string[]) => path.join(h.tmp, ...p);
const text = (...p: string[]) => fs.readFile(at(...p), 'utf8');

describe('file (write)', () => {
  it('appends each payload with a newline (objects as JSON, buffers as bytes); overwrite replaces', async () => {
    await h.deploy([injectNode('in', ['app']), injectNode('in2', ['ovr']), write('app', at('out.txt')),
      write('ovr', at('ovr.txt'), { overwriteFile: 'true', appendNewline: false }), debugNode('dapp'), debugNode('dovr')]);
    await h.inject('in', props('one', {}, 'str'));
    await h.waitFor('dapp', 1);
    await h.inject('in', props({ a: 1 }));
    await h.waitFor('dapp', 2);
    await h.inject('in', props('[1,2,10]', {}, 'bin'));
    const out = await h.waitFor('dapp', 3);
    expect(out.map(withoutId)).toEqual([
      { payload: 'one', filename: at('out.txt') }, { payload: { a: 1 }, filename: at('out.txt') }, { payload: Buffer.from([1, 2, 10]), filename: at('out.txt') },
    ]);
    // (no newline after a buffer)
    expect(await text('out.txt')).toBe('one\n{"a":1}\n\u0001\u0002\n');
    await h.inject('in2', props('first', {}, 'str'));
    await h.waitFor('dovr', 1);
    await h.inject('in2', props('second', {}, 'str'));
    await h.waitFor('dovr', 2);
    expect(await text('ovr.txt')).toBe('second');
  });

  it('deletes the file (an error to catch when it is not there); makes missing directories when asked', async () => {
    await fs.writeFile(at('gone.txt'), 'zz');
    await h.deploy([injectNode('in', ['del']), injectNode('in2', ['mk', 'nomk']), write('del', at('gone.txt'), { overwriteFile: 'delete' }),
      write('mk', at('sub', 'dir', 'f.txt'), { createDir: true }), write('nomk', at('none', 'f.txt')),
      debugNode('ddel'), debugNode('dmk'), debugNode('dnomk'), ...catchAll()]);
    await h.inject('in', props('x', {}, 'str'));
    await h.waitFor('ddel', 1);
    await expect(fs.stat(at('gone.txt'))).rejects.toThrow(/ENOENT/);
    await h.waitForLog(/\[file:del\] deleted file/);
    expect(h.logs().filter((l) => l.includes('[file:del]'))).toEqual([`[debug] [file:del] deleted file: ${at('gone.txt')}`]);
    await h.inject('in', props('x', {}, 'str'));
    const [c] = await h.waitFor('caught', 1);
    expect(c!.error).toEqual({
      message: `failed to delete file: Error: ENOENT: no such file or directory, unlink '${at('gone.txt')}'`, source: { id: 'del', type: 'file', name: 'del', count: 1 },
    });
    await h.inject('in2', props('deep', {}, 'str'));
    await h.waitFor('dmk', 1);
    expect(await text('sub', 'dir', 'f.txt')).toBe('deep\n');
    const errors = await h.waitFor('caught', 2);
    expect(errors[1]!.error).toEqual({
      message: `failed to append to file: Error: ENOENT: no such file or directory, open '${at('none', 'f.txt')}'`, source: { id: 'nomk', type: 'file', name: 'nomk', count: 1 },
    });
    // the message goes on all the same
    expect((await h.waitFor('dnomk', 1)).map(withoutId)).toEqual([{ payload: 'deep', filename: at('none', 'f.txt') }]);
  });

  it('msg.filename, an encoding, a name relative to fileWorkingDirectory; no name is a warning', async () => {
    await h.deploy([injectNode('in', ['dyn']), injectNode('in2', ['rel']),
      write('dyn', 'fname', { filenameType: 'msg', encoding: 'base64', appendNewline: false }), write('rel', 'rel.txt'),
      debugNode('ddyn'), debugNode('drel'), ...catchAll()]);
    await h.inject('in', props('aGVsbG8=', { fname: at('dyn.txt') }, 'str'));
    const [m] = await h.waitFor('ddyn', 1);
    expect(withoutId(m!)).toEqual({ payload: 'aGVsbG8=', fname: at('dyn.txt'), filename: at('dyn.txt') });
    expect(await text('dyn.txt')).toBe('hello');
    await h.inject('in2', props('relative', {}, 'str'));
    const [r] = await h.waitFor('drel', 1);
    expect(withoutId(r!)).toEqual({ payload: 'relative', filename: 'rel.txt' });
    expect(await text('rel.txt')).toBe('relative\n');
    await h.inject('in', props('x', {}, 'str'));
    await h.waitForLog(/\[file:dyn\] No filename/);
    expect(await h.waitForSidebar(1)).toEqual([{ level: 30, id: 'dyn', type: 'file', msg: 'No filename specified' }]);
  });
});

describe('file in (read)', () => {
  it('reads a whole file as a string or a buffer; lines as a sequence (msg.parts), with or without the other properties', async () => {
    await fs.writeFile(at('in.txt'), 'line1\nline2\nline3');
    await h.deploy([injectNode('in', ['rd', 'buf', 'lines', 'linesAll']), read('rd', at('in.txt')), read('buf', at('in.txt'), { format: '' }),
      read('lines', at('in.txt'), { format: 'lines' }), read('linesAll', at('in.txt'), { format: 'lines', allProps: true }),
      debugNode('drd'), debugNode('dbuf'), debugNode('dlines'), debugNode('dlinesAll')]);
    await h.inject('in', props('P', { topic: 'tp' }, 'str'));
    const [rd] = await h.waitFor('drd', 1);
    expect(withoutId(rd!)).toEqual({ payload: 'line1\nline2\nline3', topic: 'tp', filename: at('in.txt') });
    expect((await h.waitFor('dbuf', 1))[0]!.payload).toEqual(Buffer.from('line1\nline2\nline3'));
    const lines = await h.waitFor('dlines', 3);
    const id = lines[0]!.parts.id;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(lines.map(withoutId)).toEqual([
      { payload: 'line1', topic: 'tp', filename: at('in.txt'), parts: { index: 0, ch: '\n', type: 'string', id } },
      { payload: 'line2', topic: 'tp', filename: at('in.txt'), parts: { index: 1, ch: '\n', type: 'string', id } },
      { payload: 'line3', topic: 'tp', filename: at('in.txt'), parts: { index: 2, count: 3, ch: '\n', type: 'string', id } },
    ]);
    const all = await h.waitFor('dlinesAll', 3);
    expect(all.map((m) => m.payload)).toEqual(['line1', 'line2', 'line3']);
    expect(all[2]!.topic).toBe('tp');
  });

  it('a big file as a buffer stream: 64 kB chunks in msg.parts', async () => {
    await fs.writeFile(at('big.bin'), Buffer.alloc(70000, 120));
    await h.deploy([injectNode('in', ['st']), read('st', at('big.bin'), { format: 'stream' }), debugNode('dst')]);
    await h.inject('in', props('P', {}, 'str'));
    const chunks = await h.waitFor('dst', 2);
    // (the sidebar shows the first 1000 bytes of each, and the length)
    expect(chunks.map((m) => m.payload.length)).toEqual([65536, 70000 - 65536]);
    const id = chunks[0]!.parts.id;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(chunks.map((m) => m.parts)).toEqual([{ index: 0, ch: '', type: 'buffer', id }, { index: 1, count: 2, ch: '', type: 'buffer', id }]);
  });

  it('a missing file: an error to catch, or sent on with msg.error; an encoding; no name is a warning and a status', async () => {
    await fs.writeFile(at('lat.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await h.deploy([injectNode('in', ['miss', 'missE', 'enc', 'nof']), read('miss', at('nope.txt')), read('missE', at('nope.txt'), { sendError: true }),
      read('enc', at('lat.txt'), { encoding: 'latin1' }), read('nof', ''),
      debugNode('dmiss'), debugNode('dmissE'), debugNode('denc'), debugNode('dnof'), ...catchAll()]);
    await h.inject('in', props('P', { topic: 'tp' }, 'str'));
    const caught = await h.waitFor('caught', 2);
    for (const src of ['miss', 'missE']) {
      expect(caught.find((m) => m.error.source.id === src)!.error).toEqual({
        message: `Error: ENOENT: no such file or directory, open '${at('nope.txt')}'`, source: { id: src, type: 'file in', name: src, count: 1 },
        code: 'ENOENT', stack: expect.any(String),
      });
    }
    const [sent] = await h.waitFor('dmissE', 1);
    expect(sent!.payload).toBeUndefined();
    expect(sent!.error).toEqual({ __enc__: true, type: 'error', data: { name: 'Error', message: `ENOENT: no such file or directory, open '${at('nope.txt')}'`, code: 'ENOENT', stack: expect.any(String) } });
    expect(h.shown('dmiss')).toEqual([]);
    expect((await h.waitFor('denc', 1))[0]!.payload).toBe('café');
    await h.waitForLog(/\[file in:nof\]/);
    expect(h.logs().filter((l) => l.includes('[file in:nof]'))).toEqual(['[warn] [file in:nof] No filename specified']);
    expect(h.statuses('nof')).toEqual([{ text: '', fill: 'grey', shape: 'dot' }]);
  });
});

describe('watch', () => {
  it('reports changes in a directory tree, and in listed files; a missing file is an error', async () => {
    await fs.mkdir(at('w'), { recursive: true });
    await fs.writeFile(at('w', 'a.txt'), 'a');
    await fs.writeFile(at('f.txt'), 'f');
    await h.deploy([
      { id: 'wd', type: 'watch', z: TAB, name: 'wd', files: at('w'), recursive: true, wires: [['dwd']] },
      { id: 'wf', type: 'watch', z: TAB, name: 'wf', files: `${at('f.txt')}, ${at('missing.txt')}`, recursive: '', wires: [['dwf']] },
      debugNode('dwd'), debugNode('dwf'), ...catchAll()]);
    const [c] = await h.waitFor('caught', 1);
    expect(withoutId(c!)).toEqual({
      payload: '', error: { message: `Error: ${at('missing.txt')} does not exist.`, source: { id: 'wf', type: 'watch', name: 'wf', count: 1 }, stack: expect.any(String) },
    });
    const event = (file: string, e: string, type: string, size?: number) => ({
      payload: at('w', file), topic: at('w'), file: path.basename(file), filename: at('w', file), event: e, ...(size === undefined ? {} : { size }), type,
    });
    await fs.writeFile(at('w', 'b.txt'), 'new');
    await h.waitFor('dwd', 1);
    await fs.appendFile(at('w', 'a.txt'), 'more');
    await h.waitFor('dwd', 2);
    await fs.mkdir(at('w', 'sub'));
    await h.waitFor('dwd', 3);
    await fs.writeFile(at('w', 'sub', 'c.txt'), 'c');
    await h.waitFor('dwd', 4);
    await fs.rm(at('w', 'b.txt'));
    await h.waitFor('dwd', 5);
    expect(h.shown('dwd').map(withoutId)).toEqual([
      event('b.txt', 'update', 'file', 3), event('a.txt', 'update', 'file', 5), event('sub', 'update', 'directory'),
      event('sub/c.txt', 'update', 'file', 1), event('b.txt', 'remove', 'none'),
    ]);
    await fs.writeFile(at('f.txt'), 'ff');
    const [f] = await h.waitFor('dwf', 1);
    expect(withoutId(f!)).toEqual({
      payload: at('f.txt'), topic: JSON.stringify([at('f.txt'), at('missing.txt')]), file: 'f.txt', filename: at('f.txt'), event: 'update', size: 2, type: 'file',
    });
  });

  it('a deploy closes the watchers (the watch node replaces close()): the next flows run, and see one event', async () => {
    await fs.mkdir(at('w2'), { recursive: true });
    const watcher = (id: string): NodeDef => ({ id, type: 'watch', z: TAB, name: id, files: at('w2'), recursive: false, wires: [['dw']] });
    await h.deploy([watcher('w1'), debugNode('dw')]);
    await fs.writeFile(at('w2', 'x.txt'), 'x');
    await h.waitFor('dw', 1);
    await h.deploy([watcher('w2'), debugNode('dw'), injectNode('in', ['dw'])]);
    await h.inject('in', props('after', {}, 'str'));
    await h.waitFor('dw', 1);
    await fs.writeFile(at('w2', 'y.txt'), 'y');
    await h.waitFor('dw', 2);
    await h.inject('in', props('end', {}, 'str'));
    await h.waitFor('dw', 3);
    expect(h.shown('dw').map((m) => m.payload)).toEqual(['after', at('w2', 'y.txt'), 'end']);
  });
});
