// The local library files (<userDir>/lib/<type>/…) and the examples tree, checked against what Node-RED
// 4.1.15 writes and reads back for the same calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalLibrary, isClimbing } from '../../src/storage/library.js';
import { formatHeaders, fromSingleLine, parseBody, readMeta, toSingleLine } from '../../src/storage/library-format.js';
import { getExampleEntry } from '../../src/storage/library-examples.js';

let dir: string;
beforeEach(async () => { dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'crimson-lib-')); });
afterEach(async () => { await fsp.rm(dir, { recursive: true, force: true }); });

const read = (rel: string) => fsp.readFile(path.join(dir, 'lib', rel), 'utf8');
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e) => (e as { code?: string }).code ?? String(e));

describe('entry format', () => {
  it('escapes backslashes and newlines onto one line and back', () => {
    expect(toSingleLine('line1\nline2\\back')).toBe('line1\\nline2\\\\back');
    expect(fromSingleLine('line1\\nline2\\\\back')).toBe('line1\nline2\\back');
    expect(formatHeaders({ name: 'My Func', finalize: '' })).toBe('// name: My Func\n// finalize: \n');
  });

  it('refuses meta values that are not strings, as Node-RED fails on them', () => {
    for (const v of [2, null, true, {}, ['a']]) expect(() => toSingleLine(v)).toThrow(TypeError);
  });

  it('reads the body after the headers, dropping blank lines right after them', () => {
    expect(parseBody('// name: x\n// outputs: 2\n\n\nreturn msg;\n\n// name: notmeta')).toBe('return msg;\n\n// name: notmeta');
    expect(parseBody('[\n    {}\n]')).toBe('[\n    {}\n]');
  });

  it('reads meta only from leading header lines that end with a newline', async () => {
    const f = path.join(dir, 'f');
    await fsp.writeFile(f, '// name: A\n// info: a\\nb\nbody\n// late: no\n');
    expect(await readMeta(f)).toEqual({ name: 'A', info: 'a\nb' });
    await fsp.writeFile(f, '// name: no newline');
    expect(await readMeta(f)).toEqual({});
    // a long header block crosses read chunks
    const long = 'x'.repeat(10000);
    await fsp.writeFile(f, `// a: ${long}\n// b: é\nbody`);
    expect(await readMeta(f)).toEqual({ a: long, b: 'é' });
  });
});

describe('local library', () => {
  it('saves a function with header lines and reads it back as Node-RED does', async () => {
    const lib = createLocalLibrary({ userDir: dir });
    const meta = { name: 'My Func', outputs: '2', initialize: '// init\nx=1', finalize: '', info: 'line1\nline2\\back' };
    await lib.saveEntry('functions', 'f1', meta, 'return msg;\n// name: notmeta');
    expect(await read('functions/f1')).toBe(
      '// name: My Func\n// outputs: 2\n// initialize: // init\\nx=1\n// finalize: \n// info: line1\\nline2\\\\back\nreturn msg;\n// name: notmeta');
    expect(await lib.getEntry('functions', 'f1')).toBe('return msg;\n// name: notmeta');
    expect(await lib.getEntry('functions', '')).toEqual([{ ...meta, fn: 'f1' }]);
  });

  it('saves flows as .json, compact or with 4-space indent, and finds them with or without .json', async () => {
    await createLocalLibrary({ userDir: dir }).saveEntry('flows', 'a', {}, '[{"id":"a"}]');
    expect(await read('flows/a.json')).toBe('[{"id":"a"}]');
    const pretty = createLocalLibrary({ userDir: dir, pretty: true });
    await pretty.saveEntry('flows', 'dir1/sub/b.json', {}, '[{"id":"b"}]');
    expect(await read('flows/dir1/sub/b.json')).toBe('[\n    {\n        "id": "b"\n    }\n]');
    expect(await pretty.getEntry('flows', 'a')).toBe('[{"id":"a"}]');
    expect(await pretty.getEntry('flows', 'dir1/sub/b')).toBe(await read('flows/dir1/sub/b.json'));
  });

  it('lists folders first, then files, each sorted; hidden entries are skipped', async () => {
    const lib = createLocalLibrary({ userDir: dir });
    await lib.saveEntry('functions', 'b', { name: 'B' }, 'x');
    await lib.saveEntry('functions', 'a', {}, 'x');
    await lib.saveEntry('functions', 'z/one', {}, 'x');
    await lib.saveEntry('functions', 'c/two', {}, 'x');
    await lib.saveEntry('functions', '.hidden', {}, 'x');
    expect(await lib.getEntry('functions', '')).toEqual(['c', 'z', { fn: 'a' }, { name: 'B', fn: 'b' }]);
    expect(await lib.getEntry('functions', 'z')).toEqual([{ fn: 'one' }]);
    expect(await lib.getEntry('functions', 'z/')).toEqual([{ fn: 'one' }]);
  });

  it('lists a symbolically linked folder as a folder', async () => {
    const lib = createLocalLibrary({ userDir: dir });
    await lib.saveEntry('functions', 'real/f', {}, 'x');
    await fsp.symlink(path.join(dir, 'lib/functions/real'), path.join(dir, 'lib/functions/linked'));
    expect(await lib.getEntry('functions', '')).toEqual(['linked', 'real']);
    expect(await lib.getEntry('functions', 'linked/f')).toBe('x');
  });

  it('answers a missing entry as Node-RED: empty for folders, errors for entries', async () => {
    const lib = createLocalLibrary({ userDir: dir });
    expect(await lib.getEntry('flows', '')).toEqual([]);
    expect(await lib.getEntry('flows', 'missing/')).toEqual([]);
    await expect(lib.getEntry('flows', 'missing')).rejects.toMatchObject({ code: 'ENOENT', status: 400 });
    await expect(lib.getEntry('flows', 'missing')).rejects.not.toHaveProperty('message', expect.stringContaining(dir));
    await expect(lib.getEntry('flows', 'missing.json')).rejects.toMatchObject({ code: 'unexpected_error', message: 'Library Entry not found missing.json' });
    await expect(lib.getEntry('functions', 'missing')).rejects.toMatchObject({ code: 'unexpected_error', message: 'Library Entry not found missing' });
  });

  it('never leaves lib/<type>: climbing paths are forbidden, absolute ones stay inside', async () => {
    const lib = createLocalLibrary({ userDir: dir });
    for (const p of ['../x', '../../settings.js', 'a/../../x', '..\\x', 'a../b', '..', 'a/..']) {
      expect(isClimbing(p)).toBe(true);
      expect(await codeOf(lib.getEntry('functions', p))).toBe('forbidden');
      expect(await codeOf(lib.saveEntry('functions', p, {}, 'x'))).toBe('forbidden');
    }
    await lib.saveEntry('functions', '/tmp/abs', {}, 'x');
    expect(await read('functions/tmp/abs')).toBe('x');
    expect((await fsp.readdir(dir)).sort()).toEqual(['lib']);
    expect(await fsp.readdir(path.join(dir, 'lib'))).toEqual(['functions']);
  });

  it('fails cleanly for a save onto the type folder, a folder name, or through a file', async () => {
    const lib = createLocalLibrary({ userDir: dir });
    await lib.saveEntry('functions', 'f1', {}, 'x');
    await fsp.mkdir(path.join(dir, 'lib/functions/d'));
    expect(await codeOf(lib.saveEntry('functions', '', {}, 'x'))).toBe('unexpected_error');
    expect(await codeOf(lib.saveEntry('functions', 'new/', {}, 'x'))).toBe('unexpected_error');
    expect(await codeOf(lib.saveEntry('functions', 'd', {}, 'x'))).not.toBe('resolved');
    expect(await codeOf(lib.saveEntry('functions', 'f1/x', {}, 'x'))).not.toBe('resolved');
    await expect(lib.saveEntry('functions', 'n', { name: 2 }, 'x')).rejects.toThrow(TypeError);
    expect((await fsp.readdir(path.join(dir, 'lib/functions'))).sort()).toEqual(['d', 'f1']);
  });

  it('writes nothing when read-only', async () => {
    const lib = createLocalLibrary({ userDir: dir, readOnly: true });
    await lib.saveEntry('flows', 'a', {}, '[]');
    expect(await fsp.readdir(dir)).toEqual([]);
  });
});

describe('examples library', () => {
  async function makeModule(name: string, files: Record<string, string>): Promise<string> {
    const root = path.join(dir, name, 'examples');
    for (const [rel, text] of Object.entries(files)) {
      await fsp.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await fsp.writeFile(path.join(root, rel), text);
    }
    return root;
  }

  it('lists modules with flows, their folders and flows, and reads a flow', async () => {
    const demo = await makeModule('demo', {
      'top.json': '[{"id":"x"}]', 'sub/A flow.json': '[]', 'sub/deeper/z.json': '[1]', 'sub/readme.txt': 'no', 'empty/.keep': '',
    });
    const none = await makeModule('none', { 'readme.txt': 'no' });
    const roots = [{ module: '@acme/node-red-demo', dir: demo }, { module: 'none', dir: none }, { module: 'gone', dir: path.join(dir, 'gone') }];
    // what Node-RED answered for the same module tree
    expect(await getExampleEntry(roots, '')).toEqual(['@acme/node-red-demo']);
    expect(await getExampleEntry(roots, '@acme/node-red-demo')).toEqual(['empty', 'sub', { fn: 'top' }]);
    expect(await getExampleEntry(roots, '@acme/node-red-demo/')).toEqual(['empty', 'sub', { fn: 'top' }]);
    expect(await getExampleEntry(roots, '@acme/node-red-demo/sub')).toEqual(['deeper', { fn: 'A flow' }]);
    expect(await getExampleEntry(roots, '@acme/node-red-demo/empty')).toEqual([]);
    expect(await getExampleEntry(roots, '@acme/node-red-demo/sub/A flow')).toBe('[]');
    for (const p of ['@acme', '@acme/', 'none', 'gone', '@acme/node-red-demo/top/x', '@acme/node-red-demo/nope',
      '@acme/node-red-demo/constructor', '@acme/node-red-demo/../demo/top', '@acme/node-red-demo/sub/readme.txt']) {
      await expect(getExampleEntry(roots, p)).rejects.toMatchObject({ code: 'not_found', message: 'not_found', status: 404 });
    }
  });
});
