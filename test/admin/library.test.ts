// GET/POST /library/… on a real daemon; every expected answer is what Node-RED 4.1.15 answered for the
// same request (its user directory layout, status codes and bodies), except where a comment says otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { startCrimson } from '../helpers/start-crimson.js';
import type { Started } from '../helpers/start-crimson.js';
import type { Settings } from '../../src/settings/types.js';
import { corePackageDir } from '../../src/registry/core-definitions.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

interface Answer { status: number; type: string; text: string }
const answer = async (res: Response): Promise<Answer> => ({ status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() });
const get = async (p: string, headers: Record<string, string> = {}) => answer(await fetch(c!.url + p, { headers }));
const post = async (p: string, body: string, type = 'application/json', headers: Record<string, string> = {}) =>
  answer(await fetch(c!.url + p, { method: 'POST', headers: { 'content-type': type, ...headers }, body }));
const json = (a: Answer) => JSON.parse(a.text) as unknown;
const libFile = (rel: string) => fsp.readFile(path.join(c!.userDir, 'lib', rel), 'utf8');
const JSON_TYPE = 'application/json; charset=utf-8';

describe('local library: flows', () => {
  it('saves flows (pretty with flowFilePretty) and reads them back, with or without .json', async () => {
    c = await startCrimson({ settings: { flowFilePretty: true } });
    expect(await post('library/local/flows/myflow', '[{"id":"a","type":"inject","z":"t"}]')).toEqual({ status: 204, type: '', text: '' });
    expect((await post('library/local/flows/dir1/sub/nested.json', '[{"id":"b","type":"debug"}]')).status).toBe(204);
    const stored = '[\n    {\n        "id": "a",\n        "type": "inject",\n        "z": "t"\n    }\n]';
    expect(await libFile('flows/myflow.json')).toBe(stored);
    expect(await get('library/local/flows/myflow')).toEqual({ status: 200, type: 'application/json', text: stored });
    expect(await get('library/local/flows/myflow.json')).toEqual({ status: 200, type: 'application/json', text: stored });
    expect(await get('library/local/flows')).toEqual({ status: 200, type: JSON_TYPE, text: '["dir1",{"fn":"myflow.json"}]' });
    expect((await get('library/local/flows/')).text).toBe('["dir1",{"fn":"myflow.json"}]');
    expect((await get('library/local/flows/dir1')).text).toBe('["sub"]');
    expect((await get('library/local/flows/dir1/')).text).toBe('["sub"]');
    expect((await get('library/local/flows/dir1/sub')).text).toBe('[{"fn":"nested.json"}]');
    expect((await get('library/local/flows/dir1/sub/nested')).text).toBe('[\n    {\n        "id": "b",\n        "type": "debug"\n    }\n]');
  });

  it('saves compact JSON by default, whatever body was posted', async () => {
    c = await startCrimson();
    expect((await post('library/local/flows/y', '[{"id":"a","type":"x"}]')).status).toBe(204);
    expect(await libFile('flows/y.json')).toBe('[{"id":"a","type":"x"}]');
    // (quirk) a form or a text body is saved as the parsed object: {} for text
    expect((await post('library/local/flows/form', 'a=1&b=2', 'application/x-www-form-urlencoded')).status).toBe(204);
    expect(await libFile('flows/form.json')).toBe('{"a":"1","b":"2"}');
    expect((await post('library/local/flows/plain', 'xx', 'text/plain')).status).toBe(204);
    expect(await libFile('flows/plain.json')).toBe('{}');
    expect((await get('library/local/flows')).text).toBe('[{"fn":"form.json"},{"fn":"plain.json"},{"fn":"y.json"}]');
  });

  it('answers missing entries: an empty list for folders, 400 for entries', async () => {
    c = await startCrimson();
    expect(await get('library/local/flows')).toEqual({ status: 200, type: JSON_TYPE, text: '[]' });
    expect((await get('library/local/flows/missing/')).text).toBe('[]');
    expect((await get('library/local/functions')).text).toBe('[]');
    // Node-RED: {"code":"ENOENT","message":"ENOENT: no such file or directory, lstat '<its absolute path>'"}; the path is not sent here
    const missing = await get('library/local/flows/missing');
    expect(missing.status).toBe(400);
    expect(json(missing)).toEqual({ code: 'ENOENT', message: "ENOENT: no such file or directory, lstat '<path>'" });
    expect(missing.text).not.toContain(c.userDir);
    expect(await get('library/local/flows/missing.json')).toEqual({ status: 400, type: JSON_TYPE, text: '{"code":"unexpected_error","message":"Library Entry not found missing.json"}' });
    expect((await get('library/local/functions/missing')).text).toBe('{"code":"unexpected_error","message":"Library Entry not found missing"}');
  });
});

describe('local library: functions', () => {
  it('writes meta as `// key: value` header lines and lists it back with the file name', async () => {
    c = await startCrimson();
    const meta = { name: 'My Func', outputs: '2', initialize: '// init\nx=1', finalize: '', info: 'line1\nline2\\back' };
    expect((await post('library/local/functions/f1', JSON.stringify({ ...meta, text: 'return msg;\n// name: notmeta' }))).status).toBe(204);
    expect((await post('library/local/functions/dir/f2.js', '{"name":"F2","text":"return null;"}')).status).toBe(204);
    expect(await libFile('functions/f1')).toBe(
      '// name: My Func\n// outputs: 2\n// initialize: // init\\nx=1\n// finalize: \n// info: line1\\nline2\\\\back\nreturn msg;\n// name: notmeta');
    expect(await libFile('functions/dir/f2.js')).toBe('// name: F2\nreturn null;');
    expect(await get('library/local/functions')).toEqual({
      status: 200, type: JSON_TYPE,
      text: '["dir",{"name":"My Func","outputs":"2","initialize":"// init\\nx=1","finalize":"","info":"line1\\nline2\\\\back","fn":"f1"}]',
    });
    expect(await get('library/local/functions/f1')).toEqual({ status: 200, type: 'text/plain', text: 'return msg;\n// name: notmeta' });
    expect((await get('library/local/functions/dir')).text).toBe('[{"name":"F2","fn":"f2.js"}]');
    expect((await get('library/local/functions/dir/f2.js')).text).toBe('return null;');
    // no .json-like fallback for other types
    expect(await get('library/local/functions/dir/f2')).toEqual({ status: 400, type: JSON_TYPE, text: '{"code":"unexpected_error","message":"Library Entry not found dir/f2"}' });
  });

  it('handles odd bodies as Node-RED: array keys become meta, non-string meta fails, the text is stringified', async () => {
    c = await startCrimson();
    expect((await post('library/local/functions/arr', '["a","b"]')).status).toBe(204);
    // (Node-RED writes the word "undefined" as the body of an entry posted without text; Crimson writes nothing)
    expect(await libFile('functions/arr')).toBe('// 0: a\n// 1: b\n');
    expect((await post('library/local/functions/textnum', '{"name":"n","text":5}')).status).toBe(204);
    expect(await libFile('functions/textnum')).toBe('// name: n\n5');
    expect((await post('library/local/functions/form', 'name=FF&text=return 2;', 'application/x-www-form-urlencoded')).status).toBe(204);
    expect(await libFile('functions/form')).toBe('// name: FF\nreturn 2;');
    for (const body of ['{"name":"My Func","outputs":2,"text":"x"}', '{"name":null,"text":"x"}']) {
      expect(await post('library/local/functions/bad', body)).toEqual({ status: 400, type: JSON_TYPE, text: '{"code":"unexpected_error","message":"Error"}' });
    }
    await expect(libFile('functions/bad')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails a save onto the type folder or through a file with a clean 400 (Node-RED crashes on the first)', async () => {
    c = await startCrimson();
    expect((await post('library/local/functions/f1', '{"text":"x"}')).status).toBe(204);
    for (const p of ['library/local/functions/', 'library/local/functions/f1/x']) {
      expect(await post(p, '{"text":"x"}')).toEqual({ status: 400, type: JSON_TYPE, text: '{"code":"unexpected_error","message":"Error"}' });
    }
    expect((await get('library/local/functions')).text).toBe('[{"fn":"f1"}]');
  });
});

describe('library errors and paths', () => {
  it('checks the type first, then the library; examples are read-only', async () => {
    c = await startCrimson();
    const err = (message: string) => ({ status: 400, type: JSON_TYPE, text: JSON.stringify({ code: 'unexpected_error', message }) });
    expect(await get('library/local/bogustype/x')).toEqual(err('Unknown library type: bogustype'));
    expect(await get('library/nolib/flows/x')).toEqual(err('Unknown library: nolib'));
    expect(await get('library/_examples_/flows')).toEqual(err('Unknown library: _examples_'));
    expect(await get('library/flows/foo')).toEqual(err('Unknown library type: foo'));
    expect(await post('library/local/bogus/x', '{}')).toEqual(err('Unknown library type: bogus'));
    expect(await post('library/nolib/flows/x', '[]')).toEqual(err('Unknown library: nolib'));
    expect(await post('library/nolib/bogus/x', '[]')).toEqual(err('Unknown library type: bogus'));
    expect(await post('library/examples/flows/x', '[]')).toEqual(err('Library examples is read-only'));
    // the older /library/flows routes are gone in Node-RED 4.1; a POST needs an entry path
    expect((await get('library/flows')).status).toBe(404);
    expect((await post('library/local/flows', '[]')).status).toBe(404);
  });

  it('refuses every path that climbs out with 403 forbidden and writes nothing outside lib/<type>', async () => {
    c = await startCrimson();
    const forbidden = { status: 403, type: JSON_TYPE, text: '{"code":"forbidden","message":"Error"}' };
    const raw = async (method: string, p: string, body?: string) => {
      // fetch would normalise dot segments: send the path as typed
      const { request } = await import('node:http');
      const u = new URL(c!.url);
      return new Promise<Answer>((resolve, reject) => {
        const req = request({ host: u.hostname, port: u.port, method, path: p, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d) => { text += d; }).on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    };
    for (const p of ['/library/local/flows/../../evil', '/library/local/flows/..%2F..%2Fevil', '/library/local/functions/..%5c..%5cevil', '/library/local/functions/a../b']) {
      expect(await raw('POST', p, '{"text":"x"}')).toEqual(forbidden);
    }
    for (const p of ['/library/local/flows/..%2F..%2F', '/library/local/flows/../../', '/library/local/functions/..%5C..%5Cx']) {
      expect(await raw('GET', p)).toEqual(forbidden);
    }
    // (Node-RED lets a bare `..` through: it lists <userDir>/lib or lib/<type>; Crimson refuses it too)
    for (const p of ['/library/local/functions/..', '/library/local/functions/%2E%2E', '/library/local/functions/a/..']) {
      expect(await raw('GET', p)).toEqual(forbidden);
    }
    expect(await raw('GET', '/library/local/%2E%2E/settings.js')).toEqual({ status: 400, type: JSON_TYPE, text: '{"code":"unexpected_error","message":"Unknown library type: .."}' });
    // an absolute path lands inside lib/<type>
    expect((await raw('POST', '/library/local/functions/%2Ftmp%2Fabs', '{"text":"x"}')).status).toBe(204);
    expect(await libFile('functions/tmp/abs')).toBe('x');
    expect(await fsp.readdir(path.join(c.userDir, 'lib'))).toEqual(['functions']);
  });

  it('writes nothing in readOnly mode but answers 204, as Node-RED', async () => {
    c = await startCrimson({ settings: { readOnly: true } });
    expect((await post('library/local/flows/x', '[]')).status).toBe(204);
    await expect(fsp.stat(path.join(c.userDir, 'lib'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('examples library', () => {
  it('serves the core examples of @node-red/nodes as Node-RED does', async () => {
    c = await startCrimson();
    expect(await get('library/examples/flows')).toEqual({ status: 200, type: JSON_TYPE, text: '["node-red"]' });
    expect((await get('library/examples/flows/')).text).toBe('["node-red"]');
    const top = '["common","function","network","parser","sequence","storage"]';
    expect((await get('library/examples/flows/node-red')).text).toBe(top);
    // the type is not looked at beyond being known
    expect((await get('library/examples/functions/node-red')).text).toBe(top);
    expect((await get('library/examples/flows/node-red/common')).text).toBe('["catch","complete","debug","inject","link","status"]');
    expect((await get('library/examples/flows/node-red/common/catch')).text).toBe('[{"fn":"01 - Catch error"}]');
    const file = await fsp.readFile(path.join(corePackageDir(), 'examples/common/catch/01 - Catch error.json'), 'utf8');
    expect(await get('library/examples/flows/node-red/common/catch/01%20-%20Catch%20error')).toEqual({ status: 200, type: 'application/json', text: file });
    const notFound = { status: 404, type: JSON_TYPE, text: '{"code":"not_found","message":"not_found"}' };
    for (const p of ['nomod', 'node-red/nodir', 'node-red/common/nofile', 'node-red/common/catch/01%20-%20Catch%20error/x']) {
      expect(await get(`library/examples/flows/${p}`)).toEqual(notFound);
    }
  });

  it('adds the examples folder of a loaded module, scoped names included', async () => {
    c = await startCrimson();
    const mod = path.join(c.userDir, 'node_modules/@acme/node-red-demo');
    await fsp.mkdir(path.join(mod, 'examples/sub'), { recursive: true });
    await fsp.writeFile(path.join(mod, 'examples/top.json'), '[{"id":"x","type":"inject"}]\n');
    await fsp.writeFile(path.join(mod, 'examples/sub/A flow.json'), '[]\n');
    c.runtime.engine.registry.addModule({ name: '@acme/node-red-demo', version: '1.0.0', path: mod });
    expect((await get('library/examples/flows')).text).toBe('["node-red","@acme/node-red-demo"]');
    expect((await get('library/examples/flows/@acme/node-red-demo')).text).toBe('["sub",{"fn":"top"}]');
    expect((await get('library/examples/flows/@acme/node-red-demo/sub')).text).toBe('[{"fn":"A flow"}]');
    expect(await get('library/examples/flows/@acme/node-red-demo/top')).toEqual({ status: 200, type: 'application/json', text: '[{"id":"x","type":"inject"}]\n' });
    expect((await get('library/examples/flows/@acme')).status).toBe(404);
  });
});

describe('library permissions', () => {
  it('needs library.read to read and library.write to save', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    const users = [
      { username: 'admin', password: hash, permissions: '*' },
      { username: 'reader', password: hash, permissions: 'read' },
      { username: 'libr', password: hash, permissions: ['library.read'] },
      { username: 'libw', password: hash, permissions: ['library.write'] },
      { username: 'credr', password: hash, permissions: ['credentials.read'] },
    ];
    c = await startCrimson({ settings: { adminAuth: { type: 'credentials', users } } as Settings });
    const token = async (username: string) => {
      const res = await fetch(c!.url + 'auth/token', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '', username, password: 'pw' }).toString(),
      });
      return { authorization: `Bearer ${(await res.json()).access_token}` };
    };
    // [GET local, POST local, GET examples] as Node-RED answered for each user
    const expected: Record<string, number[]> = {
      none: [401, 401, 401], admin: [200, 204, 200], reader: [200, 401, 200], libr: [200, 401, 200], libw: [401, 204, 401], credr: [401, 401, 401],
    };
    for (const [user, codes] of Object.entries(expected)) {
      const h = user === 'none' ? {} : await token(user);
      const got = [
        (await get('library/local/flows', h)).status,
        (await post('library/local/flows/x', '[]', 'application/json', h)).status,
        (await get('library/examples/flows', h)).status,
      ];
      expect({ user, got }).toEqual({ user, got: codes });
    }
    expect(await get('library/local/flows')).toEqual({ status: 401, type: expect.any(String), text: 'Unauthorized' });
  });
});
