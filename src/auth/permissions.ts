// Scope matching (COMPAT A1.5): does a granted scope (string or array) cover a required permission?
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
