// inject and split in a real runtime: the editor's button (POST /inject/:id), timers, and messages read
// back through an http in route (inject -> function storing messages in global context).
import { afterEach, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { jsonParseMessage } from '../helpers/json-error.js';

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

const ENC = `function enc(v){ if(v===undefined) return {$undef:1}; if(Buffer.isBuffer(v)) return {$buf:[...v]};
  if(Array.isArray(v)) return v.map(enc); if(v&&typeof v==='object'){const o={};for(const k of Object.keys(v)) o[k]=enc(v[k]);return o;} return v;}`;
const recorder = [
  { id: 'tab', type: 'tab', label: 'T' },
  { id: 'rec', type: 'function', z: 'tab', func: `${ENC}\nconst a = global.get('rec') || []; a.push(enc(msg)); global.set('rec', a); return null;`, outputs: 1, wires: [[]] },
  { id: 'cat', type: 'catch', z: 'tab', scope: null, wires: [['errf']] },
  { id: 'errf', type: 'function', z: 'tab', func: `const a = global.get('errs') || []; a.push(msg.error.message); global.set('errs', a); return null;`, outputs: 1, wires: [[]] },
  { id: 'hin', type: 'http in', z: 'tab', url: '/rec', method: 'get', wires: [['hf']] },
  { id: 'hf', type: 'function', z: 'tab', func: `msg.payload = { rec: global.get('rec') || [], errs: global.get('errs') || [] }; global.set('rec', []); global.set('errs', []); return msg;`, outputs: 1, wires: [['hres']] },
  { id: 'hres', type: 'http response', z: 'tab', wires: [] },
];
const node = (n: Record<string, unknown>) => ({ z: 'tab', wires: [['rec']], ...n });
const button = { id: 'i1', type: 'inject', props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], payload: 'hello', payloadType: 'str', topic: 'tp', repeat: '', crontab: '', once: false, onceDelay: 0.1 };

async function recorded(): Promise<{ rec: any[]; errs: string[] }> {
  return (await fetch(c!.url + 'rec')).json();
}
/** Collects recorded messages (and errors) until there are at least n of them, or 2 s have passed. */
async function collect(n: number, which: 'rec' | 'errs' = 'rec'): Promise<any[]> {
  const all: any[] = [];
  const end = Date.now() + 2000;
  while (all.length < n && Date.now() < end) {
    all.push(...(await recorded())[which]);
    if (all.length < n) await new Promise((r) => setTimeout(r, 10));
  }
  return all;
}
const waitForRecords = (n: number) => collect(n);
function post(path: string, body?: string, type = 'application/json', headers: Record<string, string> = {}) {
  return fetch(c!.url + path, { method: 'POST', headers: body === undefined ? headers : { 'content-type': type, ...headers }, body });
}
const noId = (m: any) => JSON.stringify({ ...m, _msgid: 'ID' });

describe('POST /inject/:id', () => {
  it('injects the configured props (200 OK), _msgid first; unknown ids are 404 Not Found', async () => {
    c = await startCrimson({ flows: [...recorder, node(button)] });
    const res = await post('inject/i1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('OK');
    const missing = await post('inject/nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Not Found');
    const [m] = await waitForRecords(1);
    expect(m._msgid).toMatch(/^[0-9a-f]{16}$/);
    expect(noId(m)).toBe('{"_msgid":"ID","payload":"hello","topic":"tp"}');
  });

  it('__user_inject_props__ (JSON or urlencoded) replace the props; other body keys come first', async () => {
    c = await startCrimson({ flows: [...recorder, node(button)] });
    const json = await post('inject/i1', JSON.stringify({ __user_inject_props__: [{ p: 'a.b', v: '1', vt: 'num' }, { p: 'x' }], extra: 5 }));
    expect(json.status).toBe(200);
    expect(noId((await waitForRecords(1))[0])).toBe('{"extra":5,"_msgid":"ID","a":{"b":1},"x":""}');
    const form = await post('inject/i1', '__user_inject_props__[0][p]=a&__user_inject_props__[0][v]=1&z=2', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(200);
    expect(noId((await waitForRecords(1))[0])).toBe('{"z":"2","_msgid":"ID","a":"1"}');
  });

  it('a body without __user_inject_props__ is ignored; a kept _msgid stays; bad JSON is a 400', async () => {
    c = await startCrimson({ flows: [...recorder, node(button)] });
    expect((await post('inject/i1', JSON.stringify({ foo: 1 }))).status).toBe(200);
    expect((await post('inject/i1', '[1,2]')).status).toBe(200);
    expect((await post('inject/i1', JSON.stringify({ _msgid: 'abc', __user_inject_props__: [{ p: 'payload', v: '3', vt: 'num' }] }))).status).toBe(200);
    const bad = await post('inject/i1', '{bad');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('Bad Request');
    const recs = await waitForRecords(3);
    expect(recs.map(noId)).toEqual([
      '{"_msgid":"ID","payload":"hello","topic":"tp"}', '{"_msgid":"ID","payload":"hello","topic":"tp"}', '{"_msgid":"ID","payload":3}',
    ]);
    expect(recs[2]._msgid).toBe('abc');
  });

  it('prototype keys in the body never reach the message', async () => {
    c = await startCrimson({ flows: [...recorder, node(button)] });
    const res = await post('inject/i1', '{"__proto__":{"polluted":1},"constructor":{"x":1},"__user_inject_props__":[{"p":"ok","v":"1"}]}');
    expect(res.status).toBe(200);
    const [m] = await waitForRecords(1);
    expect(noId(m)).toBe('{"_msgid":"ID","ok":"1"}');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('evaluation errors reach a catch node, joined with "; "', async () => {
    c = await startCrimson({ flows: [...recorder, node({ ...button, props: [{ p: 'payload', v: '{bad', vt: 'json' }, { p: 'q', v: '', vt: 'msg' }] })] });
    expect((await post('inject/i1')).status).toBe(200);
    const errs = await collect(1, 'errs');
    expect(errs).toEqual([`SyntaxError: ${jsonParseMessage('{bad')}; Error: Invalid property expression: zero-length`]);
  });

  it('needs inject.write when adminAuth is on', async () => {
    const adminAuth = { type: 'credentials' as const, users: [{ username: 'admin', password: bcrypt.hashSync('secret', 4), permissions: '*' }] };
    c = await startCrimson({ flows: [...recorder, node(button)], settings: { adminAuth } });
    const anon = await post('inject/i1');
    expect(anon.status).toBe(401);
    const tok = await fetch(c.url + 'auth/token', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'admin', password: 'secret' }).toString(),
    });
    const { access_token: token } = await tok.json();
    expect((await post('inject/i1', undefined, undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
  });
});

describe('inject timers in a running flow', () => {
  it('once fires with _msgid last; a repeat stops when the flow is redeployed', async () => {
    c = await startCrimson({ flows: [...recorder, node({ id: 'o1', type: 'inject', props: [{ p: 'payload', v: 'o', vt: 'str' }], once: true, onceDelay: 0.05, repeat: '0.05' })] });
    const recs = await waitForRecords(3);
    expect(recs.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(recs[0])).toEqual(['payload', '_msgid']);
    expect(c.logs.some((l) => l.includes('[inject:o1] repeat = 50'))).toBe(true);
    await c.deploy(recorder);
    await recorded();
    await new Promise((r) => setTimeout(r, 200));
    expect((await recorded()).rec).toEqual([]);
  });

  it('an invalid crontab: the node is not started (404 for its button), the error is logged', async () => {
    c = await startCrimson({ flows: [...recorder, node({ id: 'bad', type: 'inject', props: [{ p: 'payload', v: 'c' }], crontab: 'bad cron' })] });
    expect((await post('inject/bad')).status).toBe(404);
    expect(c.logs.some((l) => l.includes('Expression must have at least 5 fields, and no more than 7 fields'))).toBe(true);
  });
});

describe('split in a running flow', () => {
  it('inject -> split -> recorder: parts with new ids, in order', async () => {
    c = await startCrimson({ flows: [...recorder,
      node({ ...button, props: [{ p: 'payload', v: '[1,{"a":2},"x"]', vt: 'json' }, { p: 'topic', v: 't', vt: 'str' }], wires: [['sp']] }),
      node({ id: 'sp', type: 'split', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload' }),
    ] });
    expect((await post('inject/i1')).status).toBe(200);
    const recs = await waitForRecords(3);
    const ids = new Set(recs.map((m) => m._msgid));
    expect(ids.size).toBe(3);
    const id = recs[0].parts.id;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(recs.map((m) => JSON.stringify({ ...m, _msgid: 'ID', parts: { ...m.parts, id: 'P' } }))).toEqual([
      '{"payload":1,"topic":"t","parts":{"id":"P","type":"array","count":3,"len":1,"index":0},"_msgid":"ID"}',
      '{"payload":{"a":2},"topic":"t","parts":{"id":"P","type":"array","count":3,"len":1,"index":1},"_msgid":"ID"}',
      '{"payload":"x","topic":"t","parts":{"id":"P","type":"array","count":3,"len":1,"index":2},"_msgid":"ID"}',
    ]);
    expect(recs.every((m) => m.parts.id === id)).toBe(true);
  });
});
