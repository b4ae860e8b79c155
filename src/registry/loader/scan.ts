// Finding node sets on disk as Node-RED's registry does: loose files (`<userDir>/nodes`, settings.nodesDir:
// `NN-name.js` beside `NN-name.html`, module "node-red", with the `icons/` folders met on the way) and node
// packages (package.json with a "node-red" section) in `<userDir>/node_modules` (local; user-installed when
// listed in `<userDir>/package.json`) and in settings.nodesDir. nodesIncludes / nodesExcludes filter by file or
// folder name (core node files too); the palette allow/deny lists filter packages.
import fs from 'node:fs';
import path from 'node:path';
import type { ModuleRule } from './module-list.js';
import { isModuleAllowed } from './module-list.js';

export interface FoundSet { name: string; file: string }

export interface FoundPackage {
  name: string;
  version: string;
  dir: string;
  local: boolean;
  user: boolean;
  /** package.json's "node-red" section. */
  redVersion?: string;
  sets: FoundSet[];
  plugins: FoundSet[];
  dependencies: string[];
}

export interface ScanOptions {
  userDir: string;
  nodesDir?: unknown;
  nodesIncludes?: unknown;
  nodesExcludes?: unknown;
  allow: ModuleRule[];
  deny: ModuleRule[];
  /** Debug lines ("Module: name version dir"), as Node-RED logs them. */
  debug?: (line: string) => void;
}

const IGNORED_DIRS = /^(\..*|lib|icons|node_modules|test|locales)$/;

/** Whether nodesIncludes / nodesExcludes let a file or package folder of that name load. */
export function nameFilter(opts: Pick<ScanOptions, 'nodesIncludes' | 'nodesExcludes'>): (name: string) => boolean {
  const inc = Array.isArray(opts.nodesIncludes) ? opts.nodesIncludes.map(String) : undefined;
  const exc = Array.isArray(opts.nodesExcludes) ? opts.nodesExcludes.map(String) : [];
  return (name) => (!inc || inc.includes(name)) && !exc.includes(name);
}

const nodesDirs = (opts: ScanOptions): string[] =>
  opts.nodesDir ? (Array.isArray(opts.nodesDir) ? opts.nodesDir : [opts.nodesDir]).map(String) : [];

interface PackageDetails { pkg?: Record<string, any>; isNodeRedModule: boolean; hasNodeModules: boolean }

function packageDetails(dir: string): PackageDetails {
  const hasNodeModules = fs.existsSync(path.join(dir, 'node_modules'));
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, any>;
    return { pkg, isNodeRedModule: !!pkg && typeof pkg['node-red'] === 'object' && pkg['node-red'] !== null, hasNodeModules };
  } catch {
    return { isNodeRedModule: false, hasNodeModules };
  }
}

export interface LocalFiles { sets: FoundSet[]; /** Every `icons` folder the walk met (the core module's icons). */ iconDirs: string[] }

/** Loose node files under `dir` (sorted, recursing into sub-folders), each with an .html beside it. */
function localFiles(dir: string, opts: ScanOptions, skipPackages: boolean, out: LocalFiles): void {
  const allowed = nameFilter(opts);
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return;
  }
  if (skipPackages && names.includes('package.json') && packageDetails(dir).isNodeRedModule) return;
  for (const fn of names) {
    const full = path.join(dir, fn);
    let stat: fs.Stats;
    try { stat = fs.statSync(full); } catch { continue; }
    if (stat.isFile()) {
      if (!/\.c?js$/.test(fn) || !allowed(fn) || !fs.existsSync(full.replace(/\.c?js$/, '.html'))) continue;
      out.sets.push({ name: fn.replace(/^\d+-/, '').replace(/\.c?js$/, ''), file: full });
    } else if (stat.isDirectory()) {
      if (!IGNORED_DIRS.test(fn)) localFiles(full, opts, skipPackages, out);
      else if (fn === 'icons') out.iconDirs.push(full);
    }
  }
}

/**
 * The loose node files of `<userDir>/nodes` and settings.nodesDir, in Node-RED's order. Node-RED keys them by
 * set name: of two files with one name, the later file is the set, in the place of the first.
 */
export function scanLocalFiles(opts: ScanOptions): LocalFiles {
  const out: LocalFiles = { sets: [], iconDirs: [] };
  localFiles(path.resolve(opts.userDir, 'nodes'), opts, false, out);
  for (const d of nodesDirs(opts)) localFiles(path.resolve(d), opts, true, out);
  out.sets = [...new Map(out.sets.map((s) => [s.name, s])).values()];
  return out;
}

function toPackage(dir: string, pkg: Record<string, any>): FoundPackage {
  const red = pkg['node-red'] as Record<string, any>;
  const entries = (o: unknown): FoundSet[] => Object.entries(o && typeof o === 'object' ? (o as Record<string, string>) : {})
    .map(([name, rel]) => ({ name, file: path.join(dir, String(rel)) }));
  return {
    name: String(pkg.name), version: String(pkg.version ?? ''), dir, local: false, user: false,
    redVersion: typeof red.version === 'string' ? red.version : undefined,
    sets: entries(red.nodes), plugins: entries(red.plugins),
    dependencies: Array.isArray(red.dependencies) ? red.dependencies.map(String) : [],
  };
}

/** The node packages directly in a node_modules-like folder (scoped ones under @scope/). */
function packagesIn(dir: string, opts: ScanOptions): FoundPackage[] {
  const allowed = nameFilter(opts);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const own = names.includes('package.json') ? packageDetails(dir) : undefined;
  if (own?.isNodeRedModule) return packageOf(dir, own, opts);
  const out: FoundPackage[] = [];
  for (const fn of names) {
    if (fn.startsWith('@')) { out.push(...packagesIn(path.join(dir, fn), opts)); continue; }
    if (!allowed(fn)) continue;
    const moduleDir = path.join(dir, fn);
    out.push(...packageOf(moduleDir, packageDetails(moduleDir), opts));
  }
  return out;
}

function packageOf(dir: string, details: PackageDetails, opts: ScanOptions): FoundPackage[] {
  if (!details.isNodeRedModule || !details.pkg) return [];
  const pkg = details.pkg;
  if (!isModuleAllowed(String(pkg.name), pkg.version, opts.allow, opts.deny)) {
    opts.debug?.(`! Module: ${pkg.name} ${pkg.version} *ignored due to denyList*`);
    return [];
  }
  return [toPackage(dir, pkg)];
}

/** The dependencies listed in `<userDir>/package.json`: the modules the user installed. */
export function userPackages(userDir: string): Record<string, string> {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return pkg.dependencies ?? {};
  } catch {
    return {};
  }
}

/**
 * Every node package, the userDir's first; a name found twice keeps its first (local) copy. One named
 * `only` is looked for alone (after an install).
 */
export function scanPackages(opts: ScanOptions, only?: string): FoundPackage[] {
  const userList = userPackages(opts.userDir);
  const found: FoundPackage[] = [];
  for (const p of packagesIn(path.join(opts.userDir, 'node_modules'), opts)) {
    p.local = true;
    p.user = Object.hasOwn(userList, p.name);
    found.push(p);
  }
  for (const d of nodesDirs(opts)) {
    const dir = path.resolve(d);
    const details = packageDetails(dir);
    if (details.isNodeRedModule) found.push(...packageOf(dir, details, opts));
    else found.push(...packagesIn(details.hasNodeModules ? path.join(dir, 'node_modules') : dir, opts));
  }
  const seen = new Set<string>();
  return found.filter((p) => {
    if (only !== undefined && p.name !== only) return false;
    const first = !seen.has(p.name);
    seen.add(p.name);
    opts.debug?.(`${first ? '' : '! '}Module: ${p.name} ${p.version} ${p.dir}${first ? '' : ' *ignored due to local copy*'}`);
    return first;
  });
}
