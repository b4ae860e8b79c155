// The `tls` option of a Redis connection (`cluster.tls`, and `tls` in the redis context store's config): the CA
// that signed the server's certificate, a client certificate and key, as PEM strings or Buffers (or arrays of
// them), as node:tls takes them; `passphrase`, `servername`, `rejectUnauthorized`. It applies to a `rediss://`
// URL only. Checked when the settings are read, so a wrong type stops start-up with one clear line.

type Pem = string | Buffer;

export interface RedisTlsOptions {
  ca?: Pem | Pem[];
  cert?: Pem | Pem[];
  key?: Pem | Pem[];
  passphrase?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Buffer.isBuffer(v) ? 'Buffer' : typeof v);
const isPem = (v: unknown) => typeof v === 'string' || Buffer.isBuffer(v);
const pem = (v: unknown) =>
  isPem(v) || (Array.isArray(v) && v.length > 0 && v.every(isPem)) ? undefined : `expected a PEM string or Buffer, or an array of them, got ${typeOf(v)}`;

const FIELDS: Record<keyof RedisTlsOptions, (v: unknown) => string | undefined> = {
  ca: pem,
  cert: pem,
  key: pem,
  passphrase: (v) => (typeof v === 'string' ? undefined : `expected a string, got ${typeOf(v)}`),
  servername: (v) => (typeof v === 'string' ? undefined : `expected a string, got ${typeOf(v)}`),
  rejectUnauthorized: (v) => (typeof v === 'boolean' ? undefined : `expected a boolean, got ${typeOf(v)}`),
};

/**
 * The first problem of a `tls` option as [the path under it ('' for the option itself, '.ca'…), what is wrong],
 * or undefined when it is fine (or absent). `url`: the Redis URL it goes with (TLS needs `rediss://`).
 */
export function redisTlsProblem(value: unknown, url: unknown): [string, string] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return ['', `expected an object, got ${typeOf(value)}`];
  for (const [name, v] of Object.entries(value)) {
    const check = (FIELDS as Record<string, (v: unknown) => string | undefined>)[name];
    if (!check) return ['', `unknown option '${name}' (expected ${Object.keys(FIELDS).join(', ')})`];
    if (v === undefined) continue;
    const problem = check(v);
    if (problem) return [`.${name}`, problem];
  }
  const scheme = typeof url === 'string' ? /^([a-z]+):/i.exec(url)?.[1] : undefined;
  if (scheme !== 'rediss') return ['', `applies to a rediss:// (TLS) url, got ${scheme ? `${scheme}://` : 'none'}`];
  return undefined;
}

/** The option as node-redis's socket takes it; throws `Invalid setting '<label>…': …` when it is wrong. */
export function redisTlsOptions(value: unknown, url: unknown, label: string): RedisTlsOptions | undefined {
  const problem = redisTlsProblem(value, url);
  if (problem) throw new Error(`Invalid setting '${label}${problem[0]}': ${problem[1]}`);
  if (value === undefined || value === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) if (v !== undefined) out[name] = v;
  return out as RedisTlsOptions;
}

const CERT_REFUSED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// the server's alerts about the client's certificate (missing, or not signed by a CA it trusts)
const CLIENT_CERT_REFUSED = /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_CERTIFICATE_UNKNOWN)$/;

/** What to add to a connection error that is a refused server certificate (empty otherwise). */
export function tlsHint(err: unknown): string {
  // node-redis wraps the socket's error when its reconnect strategy gives up
  const e = err as { code?: unknown; originalError?: { code?: unknown }; socketError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.originalError?.code ?? e?.socketError?.code;
  if (typeof code !== 'string') return '';
  if (CERT_REFUSED.has(code)) return ` (TLS: the Redis server's certificate was not accepted; give the CA that signed it as tls.ca)`;
  if (CLIENT_CERT_REFUSED.test(code)) return ` (TLS: the Redis server wants a client certificate it accepts; give it as tls.cert and tls.key)`;
  return '';
}
