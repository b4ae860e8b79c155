import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, rawRequest, type Harness, type Msg } from './http/harness.js';

// Status lines, header names/order/values and bodies below are what Node-RED 4.1.15 answered to the
// same flows (http in -> set msg fields -> http response), byte for byte.
let h: Harness;
const scenarios: Record<string, (msg: Msg) => void> = {
  obj: (m) => { m.payload = { a: 1, b: 'x' }; },
  arr: (m) => { m.payload = [1, 2]; },
  null: (m) => { m.payload = null; },
  date: (m) => { m.payload = new Date(0); },
  buf: (m) => { m.payload = Buffer.from('hello'); },
  str: (m) => { m.payload = 'héllo'; },
  num: (m) => { m.payload = 42; },
  empty: (m) => { m.payload = ''; },
  missing: (m) => { delete m.payload; },
  bool: (m) => { m.payload = true; },
  nores: (m) => { delete m.res; },
};
const touched: Msg[] = [];
const setter = (msg: Msg, node: { send(m: Msg): void }) => {
  const q = msg.req.query;
  if (q.status) msg.statusCode = q.status;
  if (q.hdr) msg.headers = JSON.parse(q.hdr);
  if (q.ck) msg.cookies = JSON.parse(q.ck);
  scenarios[q.t]?.(msg);
  touched.push(msg);
  node.send(msg);
};

beforeAll(async () => {
  h = await startHarness({});
  h.deploy([
    { id: 'in1', type: 'http in', method: 'get', url: '/resp', wires: [['set1']] },
    h.probe('set1', setter, [['out1']]),
    { id: 'out1', type: 'http response', statusCode: '', headers: {}, wires: [] },
    { id: 'in2', type: 'http in', method: 'get', url: '/resp2', wires: [['set2']] },
    h.probe('set2', setter, [['out2']]),
    { id: 'out2', type: 'http response', statusCode: '201', headers: { 'x-a': 'node', 'Content-Type': 'text/plain' }, wires: [] },
  ]);
});
afterAll(async () => { await h.stop(); });

const get = (path: string) => rawRequest(h.url + path);
const STR_ETAG = ['ETag', 'W/"6-NbXqRcXkH3i0apN8x01B3+qSCJA"'];

describe('http response: payload encodings', () => {
  it.each([
    ['obj', [['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', '15'], ['ETag', 'W/"f-Z3P1N+EogTIaxayndMmsLdgPOhI"']], '{"a":1,"b":"x"}'],
    ['arr', [['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', '5'], ['ETag', 'W/"5-uHSpyyNvyIpjb61lakAeI7ZDANo"']], '[1,2]'],
    ['null', [['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', '4'], ['ETag', 'W/"4-K+iMpCQsduglOsYkdIUQZQMtaDM"']], 'null'],
    ['date', [['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', '26'], ['ETag', 'W/"1a-ngLRKDZRZUTYZSmaNhIE2wXoK8w"']], '"1970-01-01T00:00:00.000Z"'],
    ['buf', [['Content-Length', '5'], ['Content-Type', 'application/octet-stream'], ['ETag', 'W/"5-qvTGHdzF6KLavt4PO0gs2a6pQ00"']], 'hello'],
    ['str', [['Content-Length', '6'], ['Content-Type', 'text/html; charset=utf-8'], STR_ETAG], 'héllo'],
    ['num', [['Content-Length', '2'], ['Content-Type', 'text/html; charset=utf-8'], ['ETag', 'W/"2-ks/Os51X2RTtixTQ43ZD3geXrlY"']], '42'],
    ['empty', [['Content-Length', '0'], ['Content-Type', 'text/html; charset=utf-8'], ['ETag', 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"']], ''],
    ['missing', [['content-length', '0']], ''],
  ])('%s', async (t, headers, body) => {
    const r = await get(`resp?t=${t}`);
    expect(r.status).toBe(200);
    expect(r.headers).toEqual(headers);
    expect(r.text).toBe(body);
  });

  it('turns a number payload into its string on the message', async () => {
    await get('resp?t=num');
    expect(touched[touched.length - 1]!.payload).toBe('42');
  });

  it('answers objects as JSONP when ?callback= is given', async () => {
    const r = await get('resp?t=arr&callback=cb&status=202');
    expect(r.status).toBe(202);
    expect(r.headers).toEqual([['X-Content-Type-Options', 'nosniff'], ['Content-Type', 'text/javascript; charset=utf-8'], ['Content-Length', '43'], ['ETag', 'W/"2b-bnGoK/XA5s9iAhqoA2dsxn/E6KQ"']]);
    expect(r.text).toBe("/**/ typeof cb === 'function' && cb([1,2]);");
    expect((await get('resp?t=str&callback=cb')).text).toBe('héllo');
  });

  it('logs an error and sends nothing for a boolean payload (Node-RED quirk)', async () => {
    await expect(rawRequest(h.url + 'resp?t=bool', { timeout: 300 })).rejects.toThrow('timeout');
    const errors = h.logs.filter((l) => l.level === 20).map((l) => [l.id, l.text]);
    expect(errors).toContainEqual(['out1', 'TypeError [ERR_INVALID_ARG_TYPE]: The "string" argument must be of type string or an instance of Buffer or ArrayBuffer. Received type boolean (true)']);
  });

  it('warns "No response object" without msg.res', async () => {
    const warned = h.warnings().length;
    await expect(rawRequest(h.url + 'resp?t=nores', { timeout: 300 })).rejects.toThrow('timeout');
    expect(h.warnings().slice(warned)).toEqual(['No response object']);
  });
});

describe('http response: status, headers, cookies', () => {
  it('takes the node status first, then msg.statusCode (parseInt), else 200', async () => {
    expect((await get('resp2?t=str&status=404')).status).toBe(201);
    expect((await get('resp?t=str&status=404')).status).toBe(404);
    expect((await get('resp?t=str&status=abc')).status).toBe(200);
    expect((await get('resp?t=str&status=0x1F4')).status).toBe(500);
  });

  it('sets node headers, then msg headers only for keys the node lacks (exact key)', async () => {
    const r = await get('resp2?t=str&hdr=' + encodeURIComponent('{"x-a":"msg","content-type":"text/csv","X-A":"msg2"}'));
    expect(r.headers).toEqual([['X-A', 'msg2'], ['Content-Type', 'text/csv; charset=utf-8'], ['Content-Length', '6'], STR_ETAG]);
    const node = await get('resp2?t=obj');
    expect(node.headers).toEqual([['x-a', 'node'], ['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', '15'], ['ETag', 'W/"f-Z3P1N+EogTIaxayndMmsLdgPOhI"']]);
    const multi = await get('resp?t=str&hdr=' + encodeURIComponent('{"content-type":"text/plain","X-B":"1","x-multi":["a","b"]}'));
    expect(multi.headers).toEqual([['Content-Type', 'text/plain; charset=utf-8'], ['X-B', '1'], ['x-multi', 'a'], ['x-multi', 'b'], ['Content-Length', '6'], STR_ETAG]);
    const length = await get('resp?t=str&hdr=' + encodeURIComponent('{"content-length":"2"}'));
    expect(length.headers).toEqual([['Content-Length', '6'], ['Content-Type', 'text/html; charset=utf-8'], STR_ETAG]);
  });

  it('drops msg.headers that http request left unchanged (x-node-red-request-node hash)', async () => {
    // 59322f29 is the hash of {} (what Node-RED computes once the marker is removed)
    await get('resp?t=str&hdr=' + encodeURIComponent('{"x-b":"up","x-node-red-request-node":"00000000"}'));
    expect(touched[touched.length - 1]!.headers).toEqual({ 'x-b': 'up' });
    const kept = await get('resp?t=str&hdr=' + encodeURIComponent('{"x-b":"up","x-node-red-request-node":"00000000"}'));
    expect(kept.headers[0]).toEqual(['x-b', 'up']);
    const same = await get('resp?t=str&hdr=' + encodeURIComponent('{"x-node-red-request-node":"59322f29"}'));
    expect(same.headers).toEqual([['Content-Length', '6'], ['Content-Type', 'text/html; charset=utf-8'], STR_ETAG]);
    expect('headers' in touched[touched.length - 1]!).toBe(false);
  });

  it('sets and clears cookies from msg.cookies', async () => {
    const cookies = {
      a: '1', b: { value: '2', maxAge: 1000, path: '/x', httpOnly: true, secure: true, sameSite: 'strict', domain: 'example.com' },
      c: null, d: { value: null, path: '/y' }, e: { value: { j: 1 } }, f: { value: 3 }, g: 5,
    };
    const r = await get('resp?t=str&ck=' + encodeURIComponent(JSON.stringify(cookies)));
    const set = r.headers.filter(([k]) => k === 'Set-Cookie').map(([, v]) => v);
    expect(set).toHaveLength(7);
    expect(set[0]).toBe('a=1; Path=/');
    expect(set[1]).toMatch(/^b=2; Max-Age=1; Domain=example\.com; Path=\/x; Expires=\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT; HttpOnly; Secure; SameSite=Strict$/);
    expect(set.slice(2)).toEqual([
      'c=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'd=; Path=/y; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'e=j%3A%7B%22j%22%3A1%7D; Path=/',
      'f=3; Path=/',
      'g=5; Path=/',
    ]);
  });
});
