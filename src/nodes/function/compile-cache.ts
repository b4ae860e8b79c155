// Which function node code is known to compile (per wrapper kind and closure-name list), so a deploy of
// many nodes checks each distinct piece of code once and compiles it for a node only when the node starts.
import type { Kind } from './compile.js';

export const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => (made ??= make());
};

/** Code (with its wrapper's closure names) that compiled before: compiled again per node only when it starts. */
let COMPILES = new Map<Kind, WeakMap<string[], Set<string>>>();
let remembered = 0;
export const knownToCompile = (kind: Kind, code: string, names: string[]) => COMPILES.get(kind)?.get(names)?.has(code) === true;
export function rememberCompiles(kind: Kind, code: string, names: string[]): void {
  if (++remembered > 5000) { COMPILES = new Map(); remembered = 1; }
  let byNames = COMPILES.get(kind);
  if (!byNames) COMPILES.set(kind, (byNames = new WeakMap()));
  let codes = byNames.get(names);
  if (!codes) byNames.set(names, (codes = new Set()));
  codes.add(code);
}
