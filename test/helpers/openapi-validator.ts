// Test helper: checks an admin API answer against Crimson's OpenAPI document (src/admin/openapi): the
// operation its method and path match, that its status is documented there, that its content type is, and
// that a JSON body validates (ajv, JSON Schema 2020-12) against the schema of that status and type.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, any>;

export interface Answer {
  method: string;
  /** The request path relative to the admin root, e.g. /flows or /nodes/@scope/name. */
  path: string;
  status: number;
  /** The content-type header, or null. */
  contentType: string | null;
  body: string;
}

export interface Operation { method: string; template: string; operation: Json }

export interface AnswerValidator {
  /** The documented operation a request reaches, or undefined. */
  find(method: string, path: string): Operation | undefined;
  /** Problems with the answer (empty when it agrees with the document); `undocumented` when no operation matches. */
  check(answer: Answer): { operation?: Operation; problems: string[] };
}

const DOC_ID = 'https://crimson.invalid/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/**
 * A regular expression for a path template: {param} is one segment, or its schema's x-crimson-pattern; a
 * trailing slash is allowed when no parameter has a pattern (Express's non-strict routing of string routes;
 * Crimson's routes with such parameters are anchored regular expressions, as Node-RED's). A path item's x-crimson-path-pattern replaces it.
 */
function templateRegex(template: string, params: Json[], item: Json): RegExp {
  if (typeof item['x-crimson-path-pattern'] === 'string') return new RegExp(item['x-crimson-path-pattern']);
  let strict = false;
  const source = template.split(/(\{[^}]+\})/).map((part) => {
    const m = /^\{(.+)\}$/.exec(part);
    if (!m) return escapeRe(part);
    const p = params.find((x) => x.in === 'path' && x.name === m[1]);
    const pattern = p?.schema?.['x-crimson-pattern'] as string | undefined;
    if (pattern) strict = true;
    return `(${pattern ?? '[^/]+'})`;
  }).join('');
  return new RegExp(`^${source}${strict ? '' : '/?'}$`);
}

export function createAnswerValidator(doc: Json): AnswerValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(doc, DOC_ID);
  const routes: Array<Operation & { re: RegExp }> = [];
  for (const [template, item] of Object.entries(doc.paths as Json)) {
    for (const method of METHODS) {
      const operation = (item as Json)[method] as Json | undefined;
      if (operation) routes.push({ method, template, operation, re: templateRegex(template, operation.parameters ?? [], item as Json) });
    }
  }
  const compiled = new Map<string, ReturnType<Ajv2020['compile']>>();
  const validatorOf = (ref: string) => {
    let v = compiled.get(ref);
    if (!v) compiled.set(ref, (v = ajv.compile({ $ref: `${DOC_ID}#${ref}` })));
    return v;
  };

  const find = (method: string, path: string) => {
    const m = method.toLowerCase();
    return routes.find((r) => r.method === m && r.re.test(path));
  };

  function check(a: Answer): { operation?: Operation; problems: string[] } {
    const op = find(a.method, a.path);
    if (!op) return { problems: ['undocumented'] };
    const responses = op.operation.responses as Json;
    const key = String(a.status);
    const wildcard = `${key[0]}XX`;
    const statusKey = key in responses ? key : wildcard in responses ? wildcard : 'default' in responses ? 'default' : undefined;
    if (!statusKey) return { operation: op, problems: [`status ${a.status} is not documented (documented: ${Object.keys(responses).join(', ')})`] };
    const response = responses[statusKey] as Json;
    const type = a.contentType?.split(';')[0]!.trim().toLowerCase();
    if (!type || a.body === '') return { operation: op, problems: [] };
    const content = (response.content ?? {}) as Json;
    const media = Object.keys(content).find((t) => t === type || (t.endsWith('/*') && type.startsWith(t.slice(0, -1))) || t === '*/*');
    if (!media) return { operation: op, problems: [`content type ${type} is not documented for status ${statusKey} (documented: ${Object.keys(content).join(', ') || 'no body'})`] };
    if (!/[/+]json$/.test(type)) return { operation: op, problems: [] };
    let body: unknown;
    try { body = JSON.parse(a.body); } catch { return { operation: op, problems: ['the body is not JSON'] }; }
    const validate = validatorOf(pointer('', 'paths', op.template, op.method, 'responses', statusKey, 'content', media, 'schema'));
    if (validate(body)) return { operation: op, problems: [] };
    return { operation: op, problems: (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`) };
  }
  return { find, check };
}
