// Scope matching (COMPAT A1.5): does a granted scope (string or array) cover a required permission? And
// the intersection of two scopes (an access token's scope with its owner's permissions).
// Pure functions; the odd cases (undefined / non-string values) behave as in Node-RED.

const READ = /^((.+)\.)?read$/;
const WRITE = /^((.+)\.)?write$/;

/**
 * True when `scope` grants `permission`.
 * - required `""` is granted to anyone; a required array needs every element;
 * - a scope array grants when any element does (an empty array grants nothing);
 * - `"*"` grants everything, `"read"`/`"*.read"` every `….read`, `"write"`/`"*.write"` every `….write`;
 * - otherwise the strings must be equal.
 */
export function hasPermission(scope: unknown, permission: unknown): boolean {
  if (permission === '') return true;
  if (Array.isArray(permission)) return permission.every((p) => hasPermission(scope, p));
  if (Array.isArray(scope)) return scope.some((s) => hasPermission(s, permission));
  if (scope === '*' || scope === permission) return true;
  // Node-RED tests the regex against the value's string form, so `undefined` never matches `read`.
  if (scope === 'read' || scope === '*.read') return READ.test(String(permission));
  if (scope === 'write' || scope === '*.write') return WRITE.test(String(permission));
  return false;
}

/**
 * The scope granting exactly what both `a` and `b` grant. Every scope is a union of atoms, each granting
 * everything ("*"), every read or every write permission ("read" = "*.read", "write" = "*.write"), or one
 * permission; two atoms overlap only when one covers the other, so the meet of two atoms is the narrower
 * one. The result is one string, or an array of the distinct meets (empty: grants nothing).
 */
export function intersectScopes(a: unknown, b: unknown): string | string[] {
  const atoms = (s: unknown): string[] => (Array.isArray(s) ? s : [s]).filter((x): x is string => typeof x === 'string' && x !== '');
  const out: string[] = [];
  for (const x of atoms(a)) {
    for (const y of atoms(b)) {
      const meet = hasPermission(x, y) ? y : hasPermission(y, x) ? x : undefined;
      if (meet !== undefined && !out.includes(meet)) out.push(meet);
    }
  }
  // a meet another meet covers adds nothing ("read" with "flows.read": "read")
  const kept = out.filter((m, i) => !out.some((other, j) => j !== i && hasPermission(other, m) && (!hasPermission(m, other) || j < i)));
  return kept.length === 1 ? kept[0]! : kept;
}
