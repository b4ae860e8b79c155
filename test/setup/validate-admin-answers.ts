// Vitest setup file (vitest.config.ts setupFiles): wraps globalThis.fetch so that every answer a Crimson
// server started by a test (registered in test/helpers/crimson-servers.ts) gives to an admin API request is
// checked against that server's OpenAPI document (src/admin/openapi): the status must be documented for the
// operation, the content type too, and a JSON body must validate against the schema. A request under an API
// prefix that no operation documents fails unless it is answered 404 (a route that does not exist there).
// A failure throws from fetch (naming the operation, status and ajv errors) and fails the test in afterEach
// too, should the test catch it. Answers from anything else (Node-RED servers run side by side) are not read.
import { appendFileSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { crimsonServerFor, type CrimsonServer } from '../helpers/crimson-servers.js';
import { createAnswerValidator, type AnswerValidator } from '../helpers/openapi-validator.js';
import { openApiDocument } from '../../src/admin/openapi/index.js';

const API_PREFIX = /^\/(auth|settings|diagnostics|flows?|nodes|plugins|context|library|credentials|icons|locales|openapi\.json)(\/|$)/;
const validators = new WeakMap<CrimsonServer, AnswerValidator>();
const failures: string[] = [];
/** CRIMSON_OPENAPI_STATS=<file>: each test file appends the operations and statuses it checked, one per line. */
const statsFile = process.env.CRIMSON_OPENAPI_STATS;
const checked = new Map<string, number>();
const original = globalThis.fetch;
const WRAPPED = Symbol.for('crimson.test.fetchWrapped');

function requestOf(input: Parameters<typeof fetch>[0], init?: RequestInit): { method: string; url: string } {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  return { method: method.toUpperCase(), url };
}

async function validate(method: string, url: string, res: Response): Promise<void> {
  const found = crimsonServerFor(url);
  if (!found || method === 'OPTIONS' || method === 'HEAD') return;
  const { server, path } = found;
  if (server.only && !server.only.test(path)) return;
  if (!API_PREFIX.test(path)) return;
  let validator = validators.get(server);
  if (!validator) validators.set(server, (validator = createAnswerValidator(openApiDocument(server.settings))));
  const body = await res.clone().text();
  const { operation, problems } = validator.check({ method, path, status: res.status, contentType: res.headers.get('content-type'), body });
  if (operation && statsFile) {
    const k = `${operation.operation.operationId} ${method} ${operation.template} ${res.status}`;
    checked.set(k, (checked.get(k) ?? 0) + 1);
  }
  if (problems.length === 0) return;
  if (!operation && res.status === 404) return; // an undocumented route that does not exist there
  const name = operation ? `${operation.operation.operationId} (${method} ${operation.template}: ${path})` : `undocumented route ${method} ${path}`;
  const message = `OpenAPI: ${name} answered ${res.status}: ${problems.join('; ')}\n  body: ${body.slice(0, 500)}`;
  failures.push(message);
  throw new Error(message);
}

if (!(globalThis as Record<symbol, unknown>)[WRAPPED]) {
  (globalThis as Record<symbol, unknown>)[WRAPPED] = true;
  globalThis.fetch = async (input, init) => {
    const res = await original(input, init);
    const { method, url } = requestOf(input, init);
    await validate(method, url, res);
    return res;
  };
}

/**
 * Checks an answer a test got without fetch (http.request: a socket bound to another address…) as fetch's
 * answers are checked; throws the same way when it disagrees with the document.
 */
export async function validateRawAnswer(method: string, url: string, status: number, contentType: string | undefined, body: string): Promise<void> {
  const headers = contentType ? { 'content-type': contentType } : undefined;
  const noBody = status === 204 || status === 304;
  await validate(method.toUpperCase(), url, new Response(noBody ? null : body, { status, headers }));
}

/** The failures recorded since the last test (and forgets them): for a test that provokes one on purpose. */
export function takeFailures(): string[] {
  return failures.splice(0);
}

afterEach(() => {
  if (failures.length === 0) return;
  const all = failures.splice(0);
  throw new Error(`${all.length} admin API answer(s) disagree with the OpenAPI document:\n${all.join('\n')}`);
});

afterAll(() => {
  if (statsFile && checked.size) appendFileSync(statsFile, [...checked].map(([k, n]) => `${k} ${n}\n`).join(''));
});
