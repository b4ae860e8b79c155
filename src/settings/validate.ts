// Type checks of the known settings keys: a wrong-typed key stops start-up with one clear line
// (`Invalid setting 'uiPort': expected a number, got string`). Unknown keys are left alone.
import { LEVELS } from '../runtime/logger.js';
import { SettingsError } from './errors.js';
import { compileTrustProxy, type TrustProxy } from '../auth/client-address.js';
import { redisTlsProblem } from '../runtime/context/redis-tls.js';

/** Returns "expected X, got Y" when the value is wrong, undefined when it is acceptable. */
type Check = (value: unknown, key: string) => string | undefined;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const is = (expected: string, test: (v: unknown) => boolean): Check => (v) => (test(v) ? undefined : `expected ${expected}, got ${typeOf(v)}`);

/** Accepts the value when any of the checks does. */
function anyOf(...checks: Array<{ expected: string; test: (v: unknown) => boolean }>): Check {
  return (v) => (checks.some((c) => c.test(v)) ? undefined : `expected ${checks.map((c) => c.expected).join(' or ')}, got ${typeOf(v)}`);
}

const t = {
  string: { expected: 'a string', test: (v: unknown) => typeof v === 'string' },
  number: { expected: 'a number', test: (v: unknown) => typeof v === 'number' && !Number.isNaN(v) },
  boolean: { expected: 'a boolean', test: (v: unknown) => typeof v === 'boolean' },
  false: { expected: 'false', test: (v: unknown) => v === false },
  object: { expected: 'an object', test: isObject },
  array: { expected: 'an array', test: (v: unknown) => Array.isArray(v) },
  function: { expected: 'a function', test: (v: unknown) => typeof v === 'function' },
};
const str = anyOf(t.string);
const num = anyOf(t.number);
const bool = anyOf(t.boolean);
const obj = anyOf(t.object);
const strings = is('an array of strings', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));

/** A whole-number port, also accepted as a numeric string (the default settings.js reads process.env.PORT). */
export const port: Check = (v) => {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) return `expected a number, got ${typeOf(v)}`;
  if (!Number.isInteger(n) || n < 0 || n > 65535) return `expected a port number 0-65535, got ${String(v)}`;
  return undefined;
};

const level: Check = (v) => {
  const names = Object.keys(LEVELS);
  if (typeof v === 'string' && names.includes(v)) return undefined;
  return `expected one of ${names.join(', ')}, got ${typeof v === 'string' ? `'${v}'` : typeOf(v)}`;
};

/** An object whose listed properties are checked too. */
function shape(fields: Record<string, Check>, extra?: Check): Check {
  return (v, key) => {
    if (!isObject(v)) return extra ? extra(v, key) : `expected an object, got ${typeOf(v)}`;
    for (const [name, check] of Object.entries(fields)) checkKey(v, name, check, `${key}.${name}`);
    return undefined;
  };
}

/** An object whose every value has the same shape (logging handlers, context stores). */
const eachValue = (check: Check): Check => (v, key) => {
  if (!isObject(v)) return `expected an object, got ${typeOf(v)}`;
  for (const name of Object.keys(v)) checkKey(v, name, check, `${key}.${name}`);
  return undefined;
};

/** trustProxy: a boolean, a whole number of proxies, or addresses / subnets (a string, comma-separated, or a list). */
const trustProxy: Check = (v) => {
  const shapeOk = typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
  if (!shapeOk) return `expected a boolean, a number of proxies, or proxy addresses, got ${typeOf(v)}`;
  try {
    compileTrustProxy(v as TrustProxy);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
};

/** A whole number of at least 1 (a count). */
const positiveCount: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : `expected a whole number of at least 1, got ${typeof v === 'number' ? String(v) : typeOf(v)}`;

/** The `tls` option of a Redis connection (redis-tls.ts), for the url beside it. */
function redisTls(holder: Record<string, unknown>, label: string): void {
  const problem = redisTlsProblem(holder.tls, holder.url);
  if (problem) throw new SettingsError(`Invalid setting '${label}.tls${problem[0]}': ${problem[1]}`);
}

const cluster: Check = (v, key) => {
  const problem = shape({ url: str, name: str, instanceId: str, leaseMs: positiveCount })(v, key);
  if (!problem) redisTls(v as Record<string, unknown>, key);
  return problem;
};

/** Context stores: an object; the `config.tls` of a redis store is checked as the cluster's. */
const contextStorage: Check = (v, key) => {
  if (!isObject(v)) return `expected an object, got ${typeOf(v)}`;
  for (const [name, entry] of Object.entries(v)) {
    if (isObject(entry) && entry.module === 'redis' && isObject(entry.config)) {
      // the store's default url is redis:// (no TLS)
      redisTls({ ...entry.config, url: entry.config.url ?? 'redis://' }, `${key}.${name}.config`);
    }
  }
  return undefined;
};

const basicAuth: Check = (v) =>
  isObject(v) && typeof v.user === 'string' && typeof v.pass === 'string' ? undefined : `expected {user: string, pass: string}, got ${typeOf(v)}`;
const middleware = anyOf(t.function, t.array);

const RULES: Record<string, Check> = {
  uiPort: port,
  uiHost: str,
  httpAdminRoot: anyOf(t.string, t.false),
  httpNodeRoot: anyOf(t.string, t.false),
  httpRoot: anyOf(t.string, t.false),
  httpStatic: anyOf(t.string, t.array, t.object),
  httpStaticRoot: str,
  httpStaticCors: obj,
  httpStaticAuth: basicAuth,
  https: anyOf(t.object, t.function),
  httpsRefreshInterval: anyOf(t.number, t.string),
  requireHttps: bool,
  trustProxy,
  httpServerOptions: obj,
  httpAdminMiddleware: middleware,
  httpAdminCookieOptions: obj,
  httpAdminCors: obj,
  httpAdminAuth: basicAuth,
  httpNodeMiddleware: middleware,
  httpNodeCors: obj,
  httpNodeAuth: (v, key) => (typeof v === 'function' || Array.isArray(v) ? undefined : basicAuth(v, key)), // or a middleware
  apiMaxLength: anyOf(t.string, t.number),
  disableEditor: bool,
  webSocketKeepAliveTime: num,
  inboundWebSocketTimeout: num,
  commsMaxBacklog: num,
  accessTokens: shape({ maxPerUser: positiveCount }),
  flowFile: str,
  flowFilePretty: bool,
  credentialSecret: anyOf(t.string, t.false),
  userDir: str,
  nodesDir: anyOf(t.string, { expected: 'an array of strings', test: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string') }),
  adminAuth: shape({
    type: (v) => (v === 'credentials' || v === 'strategy' ? undefined : `expected 'credentials' or 'strategy', got ${typeof v === 'string' ? `'${v}'` : typeOf(v)}`),
    users: anyOf(t.array, t.object, t.function),
    authenticate: anyOf(t.function),
    default: anyOf(t.object, t.function),
    tokens: anyOf(t.function, t.array),
    tokenHeader: str,
    sessionExpiryTime: num,
    strategy: obj,
  }),
  contextStorage,
  cluster,
  exportGlobalContextKeys: bool,
  functionGlobalContext: obj,
  functionExternalModules: bool,
  functionTimeout: num,
  globalFunctionTimeout: num,
  nodeMessageBufferMaxLength: num,
  debugMaxLength: num,
  debugStatusLength: num,
  debugUseColors: bool,
  httpRequestTimeout: num,
  nodeCloseTimeout: num,
  runtimeSyncDelivery: bool,
  envVarExcludes: strings,
  readOnly: bool,
  safeMode: bool,
  runtimeState: shape({ enabled: bool, ui: bool }),
  diagnostics: shape({ enabled: bool, ui: bool, level: str }),
  telemetry: shape({ enabled: bool }),
  logging: eachValue(shape({ level, metrics: bool, audit: bool, handler: anyOf(t.function) })),
  externalModules: obj,
  editorTheme: obj,
  paletteCategories: strings,
  nodeDefaults: obj,
  nodesExcludes: strings,
  verbose: bool,
};

function checkKey(holder: Record<string, unknown>, name: string, check: Check, label: string): void {
  const value = holder[name];
  if (value === undefined || value === null) return; // absent: the fallback applies
  const problem = check(value, label);
  if (problem) throw new SettingsError(`Invalid setting '${label}': ${problem}`);
}

/** Throws a SettingsError for the first known key with a wrong type. */
export function validateSettings(settings: unknown): void {
  if (!isObject(settings)) throw new SettingsError(`Invalid settings: expected an object, got ${typeOf(settings)}`);
  for (const [name, check] of Object.entries(RULES)) checkKey(settings, name, check, name);
}
