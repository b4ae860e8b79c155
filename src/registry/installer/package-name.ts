// Which strings npm accepts as a package name to install (the rules npm still applies to existing packages:
// capitals, core-module names and long names are tolerated; URL-unsafe characters are not).

const SCOPED = /^(?:@([^/]+?)\/)?([^/]+?)$/;
const RESERVED = new Set(['node_modules', 'favicon.ico']);
const urlSafe = (s: string) => encodeURIComponent(s) === s;

/** True for a name npm would install from its registry: `name` or `@scope/name`. */
export function isValidPackageName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (/^[._-]/.test(name) || name.trim() !== name) return false;
  if (RESERVED.has(name.toLowerCase())) return false;
  if (urlSafe(name)) return true;
  const m = SCOPED.exec(name);
  if (!m || m[1] === undefined) return false;
  const [, scope, pkg] = m as unknown as [string, string, string];
  return !pkg.startsWith('.') && urlSafe(scope) && urlSafe(pkg);
}
