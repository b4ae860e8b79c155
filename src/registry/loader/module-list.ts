// externalModules.palette allowList / denyList: which node modules may be loaded (and installed). Rules are
// `name` or `name@range` with `*` wildcards; when both lists match, the rule whose wildcard comes later (or
// the longer one) decides, as Node-RED decides.
import { semver } from '../../runtime/util/deps.js';

export interface ModuleRule { pattern: RegExp; range?: string; wildcardPos: number }

export function parseModuleList(list: unknown): ModuleRule[] {
  const rules = Array.isArray(list) ? list.map(String) : ['*'];
  return rules.map((rule) => {
    const m = /^(.+?)(?:@(.*))?$/.exec(rule) ?? ['', rule];
    const name = m[1]!;
    const star = name.indexOf('*');
    const escaped = name.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
    return { pattern: new RegExp(`^${escaped}$`), range: m[2], wildcardPos: star < 0 ? Infinity : star };
  });
}

function firstMatch(name: string, version: string | undefined, rules: ModuleRule[]): ModuleRule | undefined {
  return rules.find((r) => r.pattern.test(name) && (!version || !r.range || semver().satisfies(version, r.range)));
}

export function isModuleAllowed(name: string, version: string | undefined, allow: ModuleRule[], deny: ModuleRule[]): boolean {
  if (allow.length === 0 && deny.length === 0) return true;
  const allowed = firstMatch(name, version, allow);
  const denied = firstMatch(name, version, deny);
  if (!denied) return true;
  if (!allowed) return false;
  if (allowed.wildcardPos !== denied.wildcardPos) return allowed.wildcardPos > denied.wildcardPos;
  return allowed.pattern.source.length > denied.pattern.source.length;
}

/**
 * An allow / deny pair of a settings section, as Node-RED reads each: when either list is given both are
 * taken from the section (a missing one then means `*`), else everything is allowed and nothing denied.
 */
export function moduleLists(section: unknown, allowKey = 'allowList', denyKey = 'denyList'): { allow: ModuleRule[]; deny: ModuleRule[] } {
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const given = !!(s[allowKey] || s[denyKey]);
  return { allow: parseModuleList(given ? s[allowKey] : undefined), deny: parseModuleList(given ? s[denyKey] : []) };
}

/** The palette lists of the settings (externalModules.palette allowList / denyList). */
export function paletteLists(settings: { externalModules?: unknown }): { allow: ModuleRule[]; deny: ModuleRule[] } {
  return moduleLists((settings.externalModules as { palette?: unknown } | undefined)?.palette);
}
