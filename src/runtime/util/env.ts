// Environment variables in node configs and env scopes (COMPAT C9): whole-string `${NAME}` / `$(NAME)`
// substitution at node creation, and evaluation of env entries {name, value, type} of tabs/groups/subflows.
import { resolveEnvReference, type EnvLookup } from './env-lookup.js';
import { evaluateNodeProperty, type EvalNode } from './typed-value.js';
import { evaluateJSONataAsync, prepareJSONataExpression } from './jsonata.js';

export { evaluateEnvProperty, getNodeEnv, resolveEnvReference, type EnvLookup, type EnvNode } from './env-lookup.js';

const REFERENCE = /^\${(\S+)}$/;
const OLD_REFERENCE = /^\$\((\S+)\)$/;

/** What a config string stands for: the variable's value when it is a whole `${NAME}` / `$(NAME)` that is set, else itself. */
export function referencedValue(s: string, lookup: EnvLookup): unknown {
  if (s[0] !== '$' || !(REFERENCE.test(s) || OLD_REFERENCE.test(s))) return s;
  const r = lookup(s.substring(2, s.length - 1));
  return r === undefined ? s : r;
}

function substituteIn(holder: any, key: string | number, lookup: EnvLookup): void {
  const v = holder[key];
  if (typeof v === 'string') {
    const r = referencedValue(v, lookup);
    if (r !== v) holder[key] = r;
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) substituteIn(v, i, lookup);
  } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
    for (const k of Object.keys(v)) substituteIn(v, k, lookup);
  }
}

/**
 * Replaces, in place and at any depth, every string property whose whole value is `${NAME}` or `$(NAME)`
 * with that variable's value (left alone when it is unset). NR_NODE_ID / NR_NODE_NAME come from the
 * config itself; everything else (NR_NODE_PATH included) from `lookup`. Returns `config`.
 */
export function substituteEnvVars<T extends object>(config: T, lookup: EnvLookup): T {
  const c = config as Record<string, unknown>;
  const scoped: EnvLookup = (name) => (name === 'NR_NODE_ID' ? c.id : name === 'NR_NODE_NAME' ? c.name : lookup(name));
  for (const k of Object.keys(c)) substituteIn(c, k, scoped);
  return config;
}

/** An env entry of a tab, group, subflow or global-config node. */
export interface EnvEntry { name: string; value?: unknown; type?: string }

/** The well-formed entries of a node's `env` property (anything else: none). */
export function envEntriesOf(env: unknown): EnvEntry[] {
  return Array.isArray(env) ? (env as EnvEntry[]).filter((e) => e && typeof e.name === 'string') : [];
}

const CONF_REFERENCE = /^\${[^}]+}$/;

/**
 * The value of one env entry. `env` entries resolve their reference through `lookup` (a self reference
 * is the caller's to route to the parent scope); `cred` takes credentials[name] when present; `jsonata`
 * needs evaluateEnvEntries (it is asynchronous) and throws here. Object values (json, re, ...) must be
 * deep-cloned by the caller on every read. Throws on invalid json/bin.
 */
export function evaluateEnvEntry(entry: EnvEntry, lookup: EnvLookup, credentials?: Record<string, unknown>): unknown {
  const { name, value, type } = entry;
  switch (type) {
    case 'bool': return value === 'true' || value === true;
    case 'env': return resolveEnvReference(String(value), lookup);
    case 'cred': return credentials && Object.hasOwn(credentials, name) ? credentials[name] : value;
    case 'conf-type': return typeof value === 'string' && CONF_REFERENCE.test(value) ? lookup(value.slice(2, -1)) : value;
    case 'jsonata': throw new Error(`env property '${name}' is a JSONata expression: use evaluateEnvEntries`);
    case 'flow': case 'global': throw new Error(`env property '${name}' cannot read ${type} context`);
    default: return evaluateNodeProperty(value, type ?? '', null, null);
  }
}

export interface EnvEntriesOptions {
  /** Lookup in the enclosing scope: used for references not defined by these entries and for `$env`. */
  lookup: EnvLookup;
  credentials?: Record<string, unknown>;
  /** Gives jsonata entries their $flowContext/$globalContext. */
  context?: EvalNode['context'];
  /** Told "Error evaluating env property '<name>': <error>" when an entry fails (its value is then undefined). */
  onError?: (message: string) => void;
}

/**
 * Evaluates a scope's env entries as Node-RED does: every non-`env` entry first (jsonata ones
 * concurrently), then `env` entries in order, which see the entries already evaluated (an `env` entry not
 * yet resolved is seen as its raw text); an `env` entry naming itself reads the enclosing scope.
 * Returns name -> value in entry order.
 */
export async function evaluateEnvEntries(entries: EnvEntry[], options: EnvEntriesOptions): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  const fail = (name: string, err: unknown) => {
    values.set(name, undefined);
    options.onError?.(`Error evaluating env property '${name}': ${String(err)}`);
  };
  const node: EvalNode = {
    getEnv: options.lookup,
    context: options.context ?? (() => ({})),
  };
  const pending: Promise<void>[] = [];
  const references: EnvEntry[] = [];
  for (const entry of entries) {
    if (!entry || typeof entry.name !== 'string') continue;
    if (entry.type === 'env') {
      values.set(entry.name, entry.value); // as in Node-RED, later references see the raw text until resolved
      references.push(entry);
      continue;
    }
    if (entry.type === 'jsonata') {
      values.set(entry.name, entry.value);
      pending.push((async () => {
        try {
          values.set(entry.name, await evaluateJSONataAsync(prepareJSONataExpression(String(entry.value), node), null));
        } catch (err) { fail(entry.name, err); }
      })());
      continue;
    }
    try { values.set(entry.name, evaluateEnvEntry(entry, options.lookup, options.credentials)); } catch (err) { fail(entry.name, err); }
  }
  await Promise.all(pending);
  const scoped: EnvLookup = (n) => (values.has(n) ? values.get(n) : options.lookup(n));
  for (const entry of references) {
    const ref = String(entry.value);
    if (ref === entry.name) values.set(entry.name, resolveEnvReference(ref, options.lookup));
    else if (values.has(ref)) values.set(entry.name, values.get(ref));
    else values.set(entry.name, resolveEnvReference(ref, scoped));
  }
  return values;
}
