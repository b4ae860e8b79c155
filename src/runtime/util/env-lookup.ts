// Environment variable lookup for a node (RED.util.getSetting) and the `env` typed value
// (RED.util.evaluateEnvProperty): `NAME`, `${NAME}` or text with `${NAME}` parts (COMPAT C9).

export type EnvLookup = (name: string) => unknown;

/** What an env lookup needs from a node; a runtime Node satisfies it. */
export interface EnvNode {
  id?: string;
  name?: string;
  _path?: string;
  /** Full lookup for this node (group, subflow, tab, global scopes); used when present. */
  getEnv?(name: string): unknown;
  /** The flow the node runs in; its getEnv is used when the node has none. */
  _flow?: { getEnv?(name: string): unknown; getEnvFor?(groupId: string | undefined, name: string): unknown } | null;
  /** The node's group: its env scope comes before the flow's. */
  g?: string;
}

/**
 * The value of env var `name` as seen by `node`: NR_NODE_NAME / NR_NODE_ID / NR_NODE_PATH from the node,
 * then node.getEnv, else node._flow.getEnv, else process.env.
 */
export function getNodeEnv(node: EnvNode | null | undefined, name: string): unknown {
  if (node) {
    if (name === 'NR_NODE_NAME') return node.name;
    if (name === 'NR_NODE_ID') return node.id;
    if (name === 'NR_NODE_PATH') return node._path;
    if (typeof node.getEnv === 'function') return node.getEnv(name);
    if (node._flow && typeof node._flow.getEnvFor === 'function') return node._flow.getEnvFor(node.g, name);
    if (node._flow && typeof node._flow.getEnv === 'function') return node._flow.getEnv(name);
  }
  return process.env[name];
}

const WHOLE_REFERENCE = /^\${[^}]+}$/;
const ANY_REFERENCE = /\${\S+}/;
const EACH_REFERENCE = /\${([^}]+)}/g;

/**
 * Resolves an env reference: `${NAME}` or a bare `NAME` give that variable's value (any type); text with
 * `${NAME}` parts gets each replaced by its value as text. Unset variables give "".
 */
export function resolveEnvReference(value: string, lookup: EnvLookup): unknown {
  let result: unknown;
  if (WHOLE_REFERENCE.test(value)) {
    result = lookup(value.substring(2, value.length - 1));
  } else if (!ANY_REFERENCE.test(value)) {
    result = lookup(value);
  } else {
    return value.replace(EACH_REFERENCE, (_m, name: string) => {
      const v = lookup(name);
      return v === undefined ? '' : String(v);
    });
  }
  return result === undefined ? '' : result;
}

/** RED.util.evaluateEnvProperty: the `env` typed value `value` evaluated for `node`. */
export function evaluateEnvProperty(value: string, node?: EnvNode | null): unknown {
  return resolveEnvReference(String(value), (name) => getNodeEnv(node, name));
}
