// The `http request` node (Node-RED's own implementation, loaded through Crimson's RED API) against local
// servers: methods, URLs, payload/query handling, headers, return types, cookies, redirects, auth, errors and
// timeouts. Every expectation here was checked on Node-RED 4.1.15 by running this file with ORACLE=node-red
// (see target.ts): the same flows, servers and assertions pass on both.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject, observe, sceneRunner, startTarget, type Observer, type Target } from './target.js';
import { scene } from './flow-parts.js';
import { startEchoServer, type LocalServer } from './servers.js';

let t: Target;
let o: Observer;
let echo: LocalServer;

beforeAll(async () => {
  echo = await startEchoServer();
  t = await startTarget({ flows: [] });
  o = await observe(t);
});
afterAll(async () => {
  await o?.close();
  await t?.stop();
  await echo?.close();
});

const { deploy, press } = sceneRunner(() => t, () => o);
const seenSince = (n: number) => echo.seen.slice(n);
/** The JSON the echo server answered, from a msg with a text payload. */
const echoed = (msg: any) => JSON.parse(msg.payload);
/** Node warnings (level 30) shown in the debug sidebar for node `id`. */
const warnings = (id: string) => o.debugData().filter((d) => d.level === 30 && d.id === id).map((d) => d.msg);

describe('response', () => {
  test('GET: statusCode, headers with the x-node-red-request-node hash, responseUrl, redirectList, retry, text payload', async () => {
    const s = scene();
    await deploy(s, [s.inject('i', 'r'), s.request('r', 'out', { url: `${echo.base}/text?a=1` })]);
    const before = echo.seen.length;
    const [msg] = await press(s, 'i');
    expect(Object.keys(msg)).toEqual(['_msgid', 'payload', 'statusCode', 'headers', 'responseUrl', 'redirectList', 'retry']);
    expect(msg.payload).toBe('hello');
    expect(msg.statusCode).toBe(200);
    expect(msg.responseUrl).toBe(`${echo.base}/text?a=1`);
    expect(msg.redirectList).toEqual([]);
    expect(msg.retry).toBe(0);
    expect(Object.keys(msg.headers)).toEqual(['content-type', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'x-node-red-request-node']);
    expect(msg.headers['content-type']).toBe('text/plain');
    expect(msg.headers['x-node-red-request-node']).toMatch(/^[0-9a-f]{8}$/);
    const [req] = seenSince(before);
    expect(req).toMatchObject({ method: 'GET', url: '/text?a=1', body: '' });
    expect(req!.headers['user-agent']).toBe('got (https://github.com/sindresorhus/got)');
    // the status shows while the request is out, and is cleared when it is answered
    const st = o.status(s.id('r'));
    expect(st[0]).toEqual({ text: 'httpin.status.requesting', fill: 'blue', shape: 'dot' });
    await o.waitStatus(s.id('r'), (x) => Object.keys(x).length === 0);
  });

  test('ret bin gives a Buffer, obj parses JSON; obj on bad JSON warns and keeps the text; obj on 204 gives {}', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('bin', 'rb'), s.request('rb', 'out', { url: `${echo.base}/bin`, ret: 'bin' }),
      s.inject('obj', 'ro'), s.request('ro', 'out', { url: `${echo.base}/echo`, ret: 'obj' }),
      s.inject('bad', 'rbad'), s.request('rbad', 'out', { url: `${echo.base}/badjson`, ret: 'obj' }),
      s.inject('empty', 'rempty'), s.request('rempty', 'out', { url: `${echo.base}/empty`, ret: 'obj' }),
      s.inject('emptytxt', 'remptytxt'), s.request('remptytxt', 'out', { url: `${echo.base}/empty`, ret: 'txt' }),
    ]);
    const [bin, obj, bad, empty, emptyTxt] = await press(s, 'bin', 'obj', 'bad', 'empty', 'emptytxt');
    expect(bin.payload).toEqual({ type: 'Buffer', data: [0, 1, 2, 255], __enc__: true, length: 4 });
    expect(obj.payload).toMatchObject({ method: 'GET', url: '/echo', body: '' });
    expect(bad.payload).toBe('{nope');
    expect(warnings(s.id('rbad'))).toEqual(['JSON parse error']);
    expect(empty.statusCode).toBe(204);
    expect(empty.payload).toEqual({});
    expect(emptyTxt.payload).toBe('');
  });

  test('a 4xx/5xx answer is a normal message (no error), with its statusCode', async () => {
    const s = scene();
    await deploy(s, [s.inject('i', 'r'), s.request('r', 'out', { url: `${echo.base}/status/503`, ret: 'obj' })]);
    const [msg] = await press(s, 'i');
    expect(msg.statusCode).toBe(503);
    expect(msg.payload).toEqual({ code: 503 });
    expect(o.debug(s.id('caught'))).toEqual([]);
  });
});

describe('methods and payloads', () => {
  test('POST string, PUT object (JSON with content-type and content-length), PATCH number, DELETE Buffer', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('post', 'rpost', { payload: ['plain text', 'str'] }), s.request('rpost', 'out', { method: 'POST', url: `${echo.base}/echo` }),
      s.inject('put', 'rput', { payload: ['{"a":1,"b":"é"}', 'json'] }), s.request('rput', 'out', { method: 'PUT', url: `${echo.base}/echo` }),
      s.inject('patch', 'rpatch', { payload: ['42', 'num'] }), s.request('rpatch', 'out', { method: 'PATCH', url: `${echo.base}/echo` }),
      s.inject('del', 'rdel', { payload: ['[104,105]', 'bin'] }), s.request('rdel', 'out', { method: 'DELETE', url: `${echo.base}/echo` }),
    ]);
    const before = echo.seen.length;
    await press(s, 'post', 'put', 'patch', 'del');
    const [post, put, patch, del] = seenSince(before);
    expect(post).toMatchObject({ method: 'POST', body: 'plain text' });
    expect(post!.headers['content-length']).toBe('10');
    expect(post!.headers['content-type']).toBeUndefined();
    expect(put).toMatchObject({ method: 'PUT', body: '{"a":1,"b":"é"}' });
    expect(put!.headers['content-type']).toBe('application/json');
    expect(put!.headers['content-length']).toBe('16');
    // the node's own header names keep their case: Content-Type / Content-Length as it set them
    expect(put!.rawHeaders).toContain('Content-Type');
    expect(put!.rawHeaders).toContain('Content-Length');
    expect(patch).toMatchObject({ method: 'PATCH', body: '42' });
    expect(del).toMatchObject({ method: 'DELETE', body: 'hi' });
  });

  test('HEAD and OPTIONS; GET ignores the payload (paytoqs ignore)', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('head', 'rhead'), s.request('rhead', 'out', { method: 'HEAD', url: `${echo.base}/text` }),
      s.inject('opt', 'ropt', { payload: ['x', 'str'] }), s.request('ropt', 'out', { method: 'OPTIONS', url: `${echo.base}/echo` }),
      s.inject('get', 'rget', { payload: ['{"q":1}', 'json'] }), s.request('rget', 'out', { url: `${echo.base}/echo` }),
    ]);
    const before = echo.seen.length;
    const [head, opt] = await press(s, 'head', 'opt', 'get');
    const [h, op, g] = seenSince(before);
    expect(h!.method).toBe('HEAD');
    expect(head.payload).toBe('');
    expect(head.statusCode).toBe(200);
    expect(op).toMatchObject({ method: 'OPTIONS', body: 'x' });
    expect(echoed(opt).method).toBe('OPTIONS');
    expect(g).toMatchObject({ method: 'GET', url: '/echo', body: '' });
  });

  test('method "use" takes msg.method; msg.method on a fixed method warns and is ignored', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('use', 'ruse', { payload: ['b', 'str'], method: ['put', 'str'] }), s.request('ruse', 'out', { method: 'use', url: `${echo.base}/echo` }),
      s.inject('fixed', 'rfixed', { method: ['DELETE', 'str'] }), s.request('rfixed', 'out', { method: 'GET', url: `${echo.base}/echo` }),
    ]);
    const before = echo.seen.length;
    await press(s, 'use', 'fixed');
    const [use, fixed] = seenSince(before);
    expect(use).toMatchObject({ method: 'PUT', body: 'b' });
    expect(fixed!.method).toBe('GET');
    expect(warnings(s.id('rfixed'))).toEqual(['Warning: msg properties can no longer override set node properties. See bit.ly/nr-override-msg-props']);
  });

  test('form-urlencoded and multipart/form-data bodies from an object payload', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('form', 'rform', { payload: ['{"a":"1 2","b":["x","y"]}', 'json'], headers: ['{"content-type":"application/x-www-form-urlencoded"}', 'json'] }),
      s.request('rform', 'out', { method: 'POST', url: `${echo.base}/echo` }),
      s.inject('multi', 'rmulti', { payload: ['{"f":"v","o":{"k":1},"n":null}', 'json'], headers: ['{"content-type":"multipart/form-data"}', 'json'] }),
      s.request('rmulti', 'out', { method: 'POST', url: `${echo.base}/echo` }),
    ]);
    const before = echo.seen.length;
    await press(s, 'form', 'multi');
    const [form, multi] = seenSince(before);
    expect(form!.body).toBe('a=1%202&b=x&b=y');
    expect(form!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form!.headers['content-length']).toBe('15');
    expect(multi!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const boundary = multi!.headers['content-type']!.split('boundary=')[1];
    const parts = multi!.body.split(`--${boundary}`).slice(1, -1).map((p) => p.trim());
    expect(parts).toEqual([
      'Content-Disposition: form-data; name="f"\r\n\r\nv',
      'Content-Disposition: form-data; name="o"\r\n\r\n{"k":1}',
    ]);
  });

  test('paytoqs query appends an object payload to the query; a non-object payload is an error', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('q', 'rq', { payload: ['{"b":"x y","c":[1,2]}', 'json'] }), s.request('rq', 'out', { url: `${echo.base}/echo?a=1`, paytoqs: 'query' }),
      s.inject('q2', 'rq2', { payload: ['{"b":2}', 'json'] }), s.request('rq2', 'out', { url: `${echo.base}/echo?`, paytoqs: true }),
      s.inject('bad', 'rbad', { payload: ['text', 'str'] }), s.request('rbad', 'out', { url: `${echo.base}/echo`, paytoqs: 'query' }),
    ]);
    const before = echo.seen.length;
    await press(s, 'q', 'q2');
    await inject(t, s.id('bad'));
    const [caught] = await o.waitDebug(1, s.id('caught'));
    const [q, q2] = seenSince(before);
    expect(q!.url).toBe('/echo?a=1&b=x%20y&c=1&c=2');
    expect(q2!.url).toBe('/echo?b=2');
    expect(caught.error).toEqual({ message: 'Invalid payload', source: { id: s.id('rbad'), type: 'http request', name: { __enc__: true, type: 'undefined' }, count: 1 } });
    expect(caught.payload).toBe('text');
    expect(seenSince(before)).toHaveLength(2);
  });

  test('paytoqs body sends a GET body: object as JSON, number as text', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('o', 'r', { payload: ['{"b":1}', 'json'] }),
      s.inject('n', 'r', { payload: ['7', 'num'] }),
      s.request('r', 'out', { url: `${echo.base}/echo`, paytoqs: 'body' }),
    ]);
    const before = echo.seen.length;
    await press(s, 'o', 'n');
    const [obj, num] = seenSince(before);
    expect(obj).toMatchObject({ method: 'GET', body: '{"b":1}' });
    expect(num).toMatchObject({ method: 'GET', body: '7' });
  });
});

describe('urls', () => {
  test('msg.url, a mustache url, a url without scheme; msg.url over a set url warns and is ignored', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('murl', 'rmurl', { url: [`${echo.base}/echo?from=msg`, 'str'] }), s.request('rmurl', 'out', {}),
      s.inject('tpl', 'rtpl', { payload: ['a b', 'str'], topic: ['t/1', 'str'] }), s.request('rtpl', 'out', { url: `${echo.base}/echo?p={{payload}}&t={{{topic}}}` }),
      s.inject('bare', 'rbare'), s.request('rbare', 'out', { url: `127.0.0.1:${echo.port}/echo?bare` }),
      s.inject('over', 'rover', { url: [`${echo.base}/text`, 'str'] }), s.request('rover', 'out', { url: `${echo.base}/echo?set` }),
      s.inject('pct', 'rpct'), s.request('rpct', 'out', { url: `${echo.base}/echo?a=100%&b=%41%zz` }),
    ]);
    const before = echo.seen.length;
    const [, , bare] = await press(s, 'murl', 'tpl', 'bare', 'over', 'pct');
    expect(seenSince(before).map((r) => r.url)).toEqual(['/echo?from=msg', '/echo?p=a%20b&t=t/1', '/echo?bare', '/echo?set', '/echo?a=100%25&b=%41%25zz']);
    expect(bare.responseUrl).toBe(`${echo.base}/echo?bare`);
    expect(warnings(s.id('rover'))).toEqual(['Warning: msg properties can no longer override set node properties. See bit.ly/nr-override-msg-props']);
  });

  test('no url: error "No url specified" to the catch node; a non-http scheme: a warning and a red status', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('none', 'rnone', { payload: ['p', 'str'] }), s.request('rnone', 'out', {}),
      s.inject('ftp', 'rftp'), s.request('rftp', 'out', { url: 'ftp://127.0.0.1/x' }),
    ]);
    await inject(t, s.id('none'));
    const [caught] = await o.waitDebug(1, s.id('caught'));
    expect(caught.error).toEqual({ message: 'No url specified', source: { id: s.id('rnone'), type: 'http request', name: { __enc__: true, type: 'undefined' }, count: 1 } });
    expect(caught.payload).toBe('p');
    await inject(t, s.id('ftp'));
    await o.waitStatus(s.id('rftp'), (x) => x.fill === 'red');
    expect(o.status(s.id('rftp')).at(-1)).toEqual({ text: 'httpin.errors.invalid-transport', fill: 'red', shape: 'ring' });
    expect(warnings(s.id('rftp'))).toEqual(['non-http transport requested']);
    expect(o.debug(s.id('out'))).toEqual([]);
  });
});

describe('headers', () => {
  test('msg.headers and the node headers (fixed and msg values; the node wins); header case is kept', async () => {
    const s = scene();
    const headers = [
      { keyType: 'other', keyValue: 'X-Fixed', valueType: 'other', valueValue: 'fixed' },
      { keyType: 'other', keyValue: 'x-over', valueType: 'other', valueValue: 'node' },
      { keyType: 'Accept', keyValue: '', valueType: 'application/json', valueValue: '' },
      { keyType: 'msg', keyValue: 'topic', valueType: 'msg', valueValue: 'payload' },
      { keyType: 'other', keyValue: '', valueType: 'other', valueValue: 'skipped' },
    ];
    await deploy(s, [
      s.inject('i', 'r', { payload: ['from-msg', 'str'], topic: ['X-From-Topic', 'str'], headers: ['{"X-Msg":"m","X-Over":"msg"}', 'json'] }),
      s.request('r', 'out', { url: `${echo.base}/echo`, headers }),
    ]);
    const before = echo.seen.length;
    await press(s, 'i');
    const [req] = seenSince(before);
    expect(req!.headers).toMatchObject({ 'x-msg': 'm', 'x-over': 'node', 'x-fixed': 'fixed', accept: 'application/json', 'x-from-topic': 'from-msg' });
    const names = req!.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(names).toEqual(expect.arrayContaining(['X-Msg', 'x-over', 'X-Fixed', 'Accept', 'X-From-Topic']));
    expect(names).not.toContain('X-Over');
  });

  test('the headers of a previous response (x-node-red-request-node hash intact) are not sent again; changed ones are', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('i', 'r1'), s.request('r1', 'r2', { url: `${echo.base}/text` }), s.request('r2', 'out', { url: `${echo.base}/echo` }),
      s.inject('j', 'r3', { headers: ['{"x-custom":"1","x-node-red-request-node":"00000000"}', 'json'] }), s.request('r3', 'out', { url: `${echo.base}/echo` }),
    ]);
    const before = echo.seen.length;
    const [chained] = await press(s, 'i', 'j');
    const [, second, third] = seenSince(before);
    expect(second!.headers['content-type']).toBeUndefined();
    expect(second!.headers['keep-alive']).toBeUndefined();
    expect(third!.headers['x-custom']).toBe('1');
    expect(third!.headers['x-node-red-request-node']).toBeUndefined();
    expect(chained.headers['x-node-red-request-node']).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('cookies and redirects', () => {
  test('msg.cookies (plain, {value}, {value, encode:false}, null ignored) and a Cookie header are sent', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('i', 'r', {
        cookies: ['{"c1":"v 1","c2":{"value":"a/b"},"c3":{"value":"a/b","encode":false},"c4":null}', 'json'],
        headers: ['{"cookie":"h1=x; h2=y"}', 'json'],
      }),
      s.request('r', 'out', { url: `${echo.base}/echo`, ret: 'obj' }),
    ]);
    const before = echo.seen.length;
    await press(s, 'i');
    expect(seenSince(before)[0]!.headers.cookie).toBe('h1=x; h2=y; c1=v%201; c2=a%2Fb; c3=a/b');
  });

  test('Set-Cookie answers become msg.responseCookies', async () => {
    const s = scene();
    await deploy(s, [s.inject('i', 'r'), s.request('r', 'out', { url: `${echo.base}/cookies` })]);
    const [msg] = await press(s, 'i');
    expect(msg.responseCookies).toEqual({ a: { Path: '/', value: '1' }, b: { value: 'two words' } });
    expect(msg.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=two%20words; HttpOnly']);
  });

  test('a redirect is followed: redirectList (with its cookies), responseUrl, and the cookie sent on', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('i', 'r'), s.request('r', 'out', { url: `${echo.base}/redirect`, ret: 'obj' }),
      s.inject('no', 'rno', { followRedirects: ['false', 'bool'] }), s.request('rno', 'out', { url: `${echo.base}/redirect` }),
    ]);
    const before = echo.seen.length;
    const [msg, stay] = await press(s, 'i', 'no');
    expect(msg.redirectList).toEqual([{ location: '/echo', cookies: { r: { Path: '/', value: '1' } } }]);
    expect(msg.responseUrl).toBe(`${echo.base}/echo`);
    expect(msg.statusCode).toBe(200);
    expect(msg.payload.headers.cookie).toBe('r=1');
    expect(seenSince(before).map((r) => r.url)).toEqual(['/redirect', '/echo', '/redirect']);
    expect(stay.statusCode).toBe(302);
    expect(stay.redirectList).toEqual([]);
    expect(stay.responseCookies).toEqual({ r: { Path: '/', value: '1' } });
  });
});

describe('errors', () => {
  test('a refused connection: error (code, stack) to the catch node, and the message sent on with payload and statusCode', async () => {
    const closed = await startEchoServer();
    const url = `${closed.base}/gone`;
    await closed.close();
    const s = scene();
    await deploy(s, [s.inject('i', 'r', { payload: ['p', 'str'] }), s.request('r', 'out', { url })]);
    const [msg] = await press(s, 'i');
    const [caught] = await o.waitDebug(1, s.id('caught'));
    const message = `RequestError: connect ECONNREFUSED 127.0.0.1:${closed.port}`;
    expect(Object.keys(caught)).toEqual(['_msgid', 'payload', 'error']);
    expect(caught.payload).toBe('p');
    expect(Object.keys(caught.error)).toEqual(['message', 'source', 'code', 'stack']);
    expect(caught.error).toMatchObject({ message, source: { id: s.id('r'), type: 'http request', count: 1 }, code: 'ECONNREFUSED' });
    expect(caught.error.stack).toMatch(new RegExp(`^${message}\\n    at `));
    expect(msg).toEqual({ _msgid: caught._msgid, payload: `${message} : ${url}`, statusCode: 'ECONNREFUSED' });
    await o.waitStatus(s.id('r'), (x) => x.fill === 'red');
    expect(o.status(s.id('r')).at(-1)).toEqual({ text: 'ECONNREFUSED', fill: 'red', shape: 'ring' });
  });

  test('senderr: the error goes to the catch node only', async () => {
    const closed = await startEchoServer();
    await closed.close();
    const s = scene();
    await deploy(s, [
      s.inject('i', 'r'), s.request('r', 'out', { url: `${closed.base}/gone`, senderr: true }),
      s.inject('ok', 'rok'), s.request('rok', 'out', { url: `${echo.base}/text` }),
    ]);
    await inject(t, s.id('i'));
    await o.waitDebug(1, s.id('caught'));
    // a later message through the same output shows that nothing else was sent before it
    const [next] = await press(s, 'ok');
    expect(next.payload).toBe('hello');
  });

  test('msg.requestTimeout: no answer in time is the error "no response from server" (ETIMEDOUT); bad values warn', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('i', 'r', { requestTimeout: ['150', 'num'] }), s.request('r', 'out', { url: `${echo.base}/silent` }),
      s.inject('nan', 'rnan', { requestTimeout: ['abc', 'str'] }), s.request('rnan', 'out', { url: `${echo.base}/text` }),
      s.inject('neg', 'rneg', { requestTimeout: ['-1', 'num'] }), s.request('rneg', 'out', { url: `${echo.base}/text` }),
    ]);
    const started = Date.now();
    const [msg] = await press(s, 'i');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const [caught] = await o.waitDebug(1, s.id('caught'));
    expect(caught.error).toEqual({ message: 'no response from server', source: { id: s.id('r'), type: 'http request', name: { __enc__: true, type: 'undefined' }, count: 1 } });
    expect(msg.statusCode).toBe('ETIMEDOUT');
    expect(msg.payload).toBe(`TimeoutError: Timeout awaiting 'request' for 150ms : ${echo.base}/silent`);
    await o.waitStatus(s.id('r'), (x) => x.fill === 'red');
    expect(o.status(s.id('r')).at(-1)).toEqual({ text: 'common.notification.errors.no-response', fill: 'red', shape: 'ring' });
    const [, nan, neg] = await press(s, 'nan', 'neg');
    expect([nan.payload, neg.payload]).toEqual(['hello', 'hello']);
    expect(warnings(s.id('rnan'))).toEqual(['Timeout value is not a valid number, ignoring']);
    expect(warnings(s.id('rneg'))).toEqual(['Timeout value is negative, ignoring']);
  });
});

describe('settings.httpRequestTimeout', () => {
  let t2: Target;
  let o2: Observer;
  beforeAll(async () => {
    t2 = await startTarget({ flows: [], settings: { httpRequestTimeout: 200 } });
    o2 = await observe(t2);
  });
  afterAll(async () => { await o2?.close(); await t2?.stop(); });

  test('is the default request timeout; msg.requestTimeout still overrides it', async () => {
    const s = scene();
    await t2.deploy([
      s.tab(),
      s.inject('i', 'r'), s.request('r', 'out', { url: `${echo.base}/silent` }),
      s.inject('long', 'r', { requestTimeout: ['400', 'num'] }),
      s.debug('out'),
    ]);
    await inject(t2, s.id('i'));
    const [first] = await o2.waitDebug(1, s.id('out'));
    expect(first.payload).toBe(`TimeoutError: Timeout awaiting 'request' for 200ms : ${echo.base}/silent`);
    expect(first.statusCode).toBe('ETIMEDOUT');
    await inject(t2, s.id('long'));
    const [, second] = await o2.waitDebug(2, s.id('out'));
    expect(second.payload).toBe(`TimeoutError: Timeout awaiting 'request' for 400ms : ${echo.base}/silent`);
  });
});

describe('connections and flow events', () => {
  test('persist keeps the connection alive between requests', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('k1', 'rkeep'), s.inject('k2', 'rkeep'), s.request('rkeep', 'out', { url: `${echo.base}/text`, persist: true }),
    ]);
    const before = echo.seen.length;
    await press(s, 'k1', 'k2');
    const [k1, k2] = seenSince(before).map((r) => r.remotePort);
    expect(k1).toBe(k2);
    expect(seenSince(before)[0]!.headers.connection).toBe('keep-alive');
  });

  test('status and complete nodes see the request node: its status updates with their source, its done()', async () => {
    const s = scene();
    await deploy(s, [
      s.inject('i', 'r', { payload: ['p', 'str'] }), s.request('r', 'out', { url: `${echo.base}/text` }),
      { id: s.id('status'), type: 'status', z: s.z, name: '', scope: [s.id('r')], wires: [[s.id('st')]] }, s.debug('st'),
      { id: s.id('complete'), type: 'complete', z: s.z, name: '', scope: [s.id('r')], uncaught: false, wires: [[s.id('done')]] }, s.debug('done'),
    ]);
    const [msg] = await press(s, 'i');
    const [requesting, cleared] = await o.waitDebug(2, s.id('st'));
    const source = { id: s.id('r'), type: 'http request', name: { __enc__: true, type: 'undefined' } };
    expect(requesting).toEqual({ status: { text: 'httpin.status.requesting', fill: 'blue', shape: 'dot', source }, _msgid: expect.any(String) });
    expect(cleared).toEqual({ status: { source }, _msgid: expect.any(String) });
    const [done] = await o.waitDebug(1, s.id('done'));
    expect(done).toEqual({ ...msg, complete: { source } });
  });
});

describe('against the runtime itself', () => {
  test('requests to its own http in endpoint: body in, status, headers and cookies of the http response out', async () => {
    const s = scene();
    await deploy(s, [
      { id: s.id('in'), type: 'http in', z: s.z, name: '', url: `/${s.id('self')}`, method: 'post', upload: false, swaggerDoc: '', wires: [[s.id('set')]] },
      {
        id: s.id('set'), type: 'change', z: s.z, name: '', wires: [[s.id('res')]],
        rules: [
          { t: 'set', p: 'payload', pt: 'msg', to: '{"got":"x"}', tot: 'json' },
          { t: 'set', p: 'payload.got', pt: 'msg', to: 'req.body.n', tot: 'msg' },
          { t: 'set', p: 'cookies', pt: 'msg', to: '{"sid":{"value":"abc","path":"/"}}', tot: 'json' },
          { t: 'set', p: 'statusCode', pt: 'msg', to: '201', tot: 'num' },
        ],
      },
      { id: s.id('res'), type: 'http response', z: s.z, name: '', statusCode: '', headers: { 'x-answer': 'yes' }, wires: [] },
      s.inject('i', 'r', { payload: ['{"n":42}', 'json'] }),
      s.request('r', 'out', { method: 'POST', url: `${t.origin}${s.id('self')}`, ret: 'obj' }),
    ]);
    const [msg] = await press(s, 'i');
    expect(msg.statusCode).toBe(201);
    expect(msg.payload).toEqual({ got: 42 });
    expect(msg.headers['x-answer']).toBe('yes');
    expect(msg.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(msg.responseCookies).toEqual({ sid: { value: 'abc', Path: '/' } });
    expect(Object.keys(msg.headers)).toEqual(['access-control-allow-origin', 'x-answer', 'set-cookie', 'x-content-type-options',
      'content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive', 'x-node-red-request-node']);
  });
});
