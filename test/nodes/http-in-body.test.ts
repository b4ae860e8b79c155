import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, rawRequest, type Harness, type Msg } from './http/harness.js';

// How http in types request bodies; expected values are what Node-RED 4.1.15 produced for the same
// requests (default roots: both '/', so the admin app's JSON/urlencoded parsers run first).
let h: Harness;
const seen: Msg[] = [];
/** Records the message and answers the request itself, so every test sees the raw http in message. */
const capture = (msg: Msg) => { seen.push(msg); msg.res._res.status(200).end('ok'); };
const last = () => seen[seen.length - 1]!;
const httpIn = (id: string, method: string, url: string, extra: Record<string, unknown> = {}) =>
  ({ id, type: 'http in', method, url, upload: false, swaggerDoc: '', wires: [['cap']], ...extra });

beforeAll(async () => {
  h = await startHarness({});
  h.deploy([
    h.probe('cap', capture),
    httpIn('get-q', 'get', '/q'),
    httpIn('get-params', 'get', '/g/:id/:opt?'),
    httpIn('get-star', 'get', '/star/*'),
    httpIn('get-noslash', 'get', 'noslash'),
    httpIn('post-p', 'post', '/p'),
    httpIn('put-p', 'put', '/p'),
    httpIn('patch-p', 'patch', '/p'),
    httpIn('delete-p', 'delete', '/p'),
    httpIn('post-up', 'post', '/up', { upload: true }),
    httpIn('post-raw', 'post', '/raw', { skipBodyParsing: true }),
    httpIn('get-raw', 'get', '/rawget', { skipBodyParsing: true }),
  ]);
});
afterAll(async () => { await h.stop(); });

const post = (path: string, contentType: string | undefined, body: string | Buffer, method = 'POST') =>
  rawRequest(h.url + path, { method, headers: contentType ? { 'content-type': contentType } : {}, body });

describe('http in: body typing', () => {
  const cases: Array<[string | undefined, string | Buffer, unknown]> = [
    ['application/json', '{"a":1}', { a: 1 }],
    ['application/json', '[1,2]', [1, 2]],
    ['application/json', '', {}],
    ['application/json; charset=utf-8', '{"a":1}', { a: 1 }],
    ['application/vnd.api+json', '{"a":1}', '{"a":1}'],
    ['application/x-www-form-urlencoded', 'a=1&a=2&b[c]=3&__proto__[x]=1', { a: ['1', '2'], b: { c: '3' } }],
    ['text/plain', 'hello', 'hello'],
    ['text/csv', 'a,b', 'a,b'],
    ['application/xml', '<a/>', '<a/>'],
    ['image/svg+xml', '<a/>', '<a/>'],
    ['Text/Plain ; a=b', 'abc', 'abc'],
    ['application/foo', 'abc', 'abc'],
    ['application/foo', Buffer.from([0xff, 0xfe]), '\ufffd\ufffd'],
    ['text/plain', Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'hi'],
    [undefined, 'abc', 'abc'],
    [undefined, '', ''],
    ['application/octet-stream', 'abc', Buffer.from('abc')],
    ['application/cbor', 'abc', Buffer.from('abc')],
    ['application/x-protobuf', 'abc', Buffer.from('abc')],
    ['image/png', 'abc', Buffer.from('abc')],
    ['a/b+json', 'abc', Buffer.from('abc')],
    ['multipart/form-data', 'abc', Buffer.from('abc')],
  ];
  it.each(cases)('POST %s %j', async (ct, body, expected) => {
    const r = await post('p', ct, body);
    expect(r.status).toBe(200);
    const p = last().payload;
    if (Buffer.isBuffer(expected)) expect(Buffer.isBuffer(p) && p.equals(expected)).toBe(true);
    else expect(p).toEqual(expected);
    expect(last().req.body).toBe(p);
  });

  it('uses the body for PUT, PATCH and DELETE', async () => {
    await post('p', 'application/json', '{"a":1}', 'PUT');
    expect(last().payload).toEqual({ a: 1 });
    await post('p', 'text/plain', 'x', 'PATCH');
    expect(last().payload).toBe('x');
    await post('p', 'application/json', '{"a":1}', 'DELETE');
    expect(last().payload).toEqual({ a: 1 });
    await rawRequest(h.url + 'p', { method: 'DELETE' });
    expect(last().payload).toBe('');
  });

  it('drops __proto__ keys from JSON bodies', async () => {
    await post('p', 'application/json', '{"a":1,"__proto__":{"x":1},"b":[{"\\u005f_proto__":{"y":2}}]}');
    const p = last().payload;
    expect(p).toEqual({ a: 1, b: [{}] });
    expect(Object.hasOwn(p, '__proto__')).toBe(false);
    expect(Object.hasOwn(p.b[0], '__proto__')).toBe(false);
  });

  it('answers bad JSON with the 400 error page (admin parser, roots both /) and does not run the flow', async () => {
    const before = seen.length;
    const bad = await post('p', 'application/json', '{bad');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('SyntaxError');
    expect((await post('p', 'application/json', '"str"')).status).toBe(400);
    expect((await post('p', 'application/json; charset=foo', '{}')).status).toBe(415);
    expect(seen.length).toBe(before);
  });

  it('answers a malformed content type with 500 and a warning', async () => {
    const warned = h.warnings().length;
    for (const ct of ['foo', '*/*', 'text/plain; charset', '.a/b', 'text/plain;']) {
      const r = await post('p', ct, 'abc');
      expect([ct, r.status, r.text]).toEqual([ct, 500, 'Internal Server Error']);
    }
    expect(h.warnings().slice(warned)).toEqual([
      'TypeError: invalid media type', 'TypeError: invalid media type', 'TypeError: invalid parameter format',
      'TypeError: invalid media type', 'TypeError: invalid parameter format',
    ]);
  });

  const boundary = 'XyZ123';
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--${boundary}\r\nContent-Disposition: form-data; name="b"\r\n\r\n3\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhello file\r\n`),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const mpType = `multipart/form-data; boundary=${boundary}`;

  it('parses multipart uploads into payload fields and req.files', async () => {
    await post('up', mpType, multipart);
    const msg = last();
    expect({ ...msg.payload }).toEqual({ a: '1', b: ['2', '3'] });
    expect(msg.req.files).toHaveLength(1);
    const f = msg.req.files[0];
    expect({ ...f, buffer: f.buffer.toString() }).toEqual({
      fieldname: 'f', originalname: 'x.txt', encoding: '7bit', mimetype: 'text/plain', buffer: 'hello file', size: 10,
    });
  });

  it('drops __proto__ keys from multipart field names', async () => {
    const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a[__proto__][x]"\r\n\r\n1\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n2\r\n--${boundary}--\r\n`);
    await post('up', mpType, body);
    const p = last().payload;
    expect(Object.keys(p)).toEqual(['a']);
    expect(Object.keys(p.a)).toEqual([]);
    expect(({} as Msg).x).toBeUndefined();
  });

  it('gives a multipart body to a non-upload route as a Buffer; an upload route takes other bodies as {}', async () => {
    await post('p', mpType, multipart);
    expect(Buffer.isBuffer(last().payload) && last().payload.equals(multipart)).toBe(true);
    await post('up', 'text/plain', 'abc');
    expect(last().payload).toEqual({});
    await post('up', 'application/json', '{"a":1}');
    expect(last().payload).toEqual({ a: 1 });
  });

  it('warns and answers 500 for a broken multipart body', async () => {
    const warned = h.warnings().length;
    const r = await post('up', 'multipart/form-data; boundary=zz', 'garbage');
    expect(r.status).toBe(500);
    expect(h.warnings().slice(warned)).toEqual(['Error: Unexpected end of form']);
  });

  it('skipBodyParsing hands over the raw Buffer (exact path only), also for GET', async () => {
    await post('raw', 'application/json', '{"a":1}');
    expect(Buffer.isBuffer(last().payload) && last().payload.toString()).toBe('{"a":1}');
    await post('raw/', 'application/json', '{"a":1}');
    expect(Buffer.isBuffer(last().payload)).toBe(true);
    // Node-RED matches the raw capture path case-sensitively: /RAW is routed but parsed
    await post('RAW', 'application/json', '{"a":1}');
    expect(last().payload).toEqual({ a: 1 });
    await rawRequest(h.url + 'rawget?x=1', { headers: { 'content-type': 'text/plain' }, body: 'abc' });
    expect(last().payload).toEqual({ x: '1' });
    expect(last().req.body.toString()).toBe('abc');
  });
});
