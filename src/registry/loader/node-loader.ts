// Loading the palette at start and a package after an install: the core sets (Crimson's own modules, and
// Node-RED's implementations of the other core types, deferred until a flow uses them), loose node files,
// then node packages, each set through its own RED object. A set that fails keeps its `err` and the rest loads;
// the failures are logged as Node-RED lists them once everything has loaded.
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { Logger } from '../../runtime/logger.js';
import type { Settings } from '../../settings/types.js';
import type { ModuleInfo, NodeSetInfo, Registry } from '../registry.js';
import { createRedApi, NODE_RED_VERSION } from '../red-api.js';
import type { RedHost } from '../red-api.js';
import { CORE_SETS } from '../../nodes/index.js';
import { coreCatalog, corePackageDir } from '../core-definitions.js';
import { paletteLists } from './module-list.js';
import { scanLocalFiles, scanPackages, userPackages } from './scan.js';
import type { FoundPackage, FoundSet, ScanOptions } from './scan.js';
import { importSetFile, loadErrorText, requireSetFile, runSetModule } from './load-set.js';

export interface NodeLoaderDeps {
  host: RedHost;
  registry: Registry;
  settings: Settings;
  logger: Logger;
  userDir: string;
}

export interface NodeLoader {
  /** The whole palette, at start. `disabled`: the set ids .config.nodes.json keeps disabled. */
  loadAll(disabled: ReadonlySet<string>): Promise<void>;
  /** One package found in the userDir (after an install); undefined when it is not a node package. */
  loadPackage(name: string): Promise<ModuleInfo | undefined>;
}

const CORE = 'node-red';

/** The node types a set's editor file defines (its `data-template-name` scripts), as Node-RED reads them. */
export function htmlTypes(jsFile: string): string[] {
  let html: string;
  try {
    html = fs.readFileSync(jsFile.replace(/\.c?js$/, '.html'), 'utf8');
  } catch {
    return [];
  }
  const re = /<script (?:[^>]*)data-template-name\s*=\s*['"]([^'"]*)['"]/gi;
  return [...html.matchAll(re)].map((m) => m[1]!);
}

export function createNodeLoader(deps: NodeLoaderDeps): NodeLoader {
  const { host, registry, settings, logger, userDir } = deps;
  const lists = paletteLists(settings);
  const scanOptions = (): ScanOptions => ({
    userDir, nodesDir: settings.nodesDir, nodesIncludes: settings.nodesIncludes, nodesExcludes: settings.nodesExcludes,
    allow: lists.allow, deny: lists.deny, debug: (l) => logger.debug(l),
  });
  host.i18n.register(CORE, coreCatalog());

  /** Node-RED's implementation of the set's types that Crimson's own modules left out, loaded on first use. */
  function deferCoreFile(set: NodeSetInfo, file: string, eager: boolean): void {
    const native = new Set(set.types);
    const rest = htmlTypes(file).filter((t) => !native.has(t));
    if (rest.length === 0 && native.size > 0) return;
    registry.deferTypes(set, rest, () => {
      try {
        const fn = requireSetFile(file);
        void runSetModule(fn, createRedApi(host, set, CORE, native), file).then((err) => {
          if (err) failed(set, err);
        });
      } catch (err) {
        failed(set, loadErrorText(err, file));
      }
    });
    if (eager) registry.get(rest[0]!);
  }

  function failed(set: NodeSetInfo, err: string): void {
    set.err = err;
    logger.warn(`[${set.id}] ${err}`);
  }

  /** Crimson's own modules run even for a disabled set (its types stay unavailable until it is enabled). */
  async function loadCore(disabled: ReadonlySet<string>): Promise<void> {
    const mod = registry.addModule({ name: CORE, version: NODE_RED_VERSION });
    const coreDir = path.join(corePackageDir(), 'core');
    for (const def of CORE_SETS) {
      const set = registry.addSet(mod, def.name);
      if (disabled.has(set.id)) set.enabled = false;
      const RED = createRedApi(host, set, CORE);
      try {
        for (const fn of def.modules ?? []) await fn(RED);
      } catch (err) {
        set.err = err instanceof Error ? err.message : String(err);
        logger.error(`Failed to load node set ${set.id}: ${set.err}`);
        continue;
      }
      deferCoreFile(set, path.join(coreDir, `${def.editor}.js`), !!def.eager);
    }
  }

  /** The catalogue namespace of a set: its id when a locales folder sits beside its file, else its module. */
  function namespaceOf(set: NodeSetInfo, file: string): string {
    const dir = path.join(path.dirname(file), 'locales');
    if (!fs.existsSync(dir)) return set.module;
    host.i18n.register(set.id, { dir, file: path.basename(file).replace(/\.[^.]+$/, '.json') });
    return set.id;
  }

  /** Adds one set of a module and runs its file, unless it is disabled or names a type another set has. */
  async function loadSet(mod: ModuleInfo, found: FoundSet, disabled: ReadonlySet<string>): Promise<NodeSetInfo> {
    const set = registry.addSet(mod, found.name, found.file);
    const namespace = namespaceOf(set, found.file);
    const types = htmlTypes(found.file);
    const taken = types.find((t) => registry.typeSet(t));
    set.types.push(...types);
    if (taken) {
      set.err = 'Error: Type already registered';
      set.errDetail = `'${taken}' already registered by module ${registry.typeSet(taken)!.module}`;
      return set;
    }
    if (disabled.has(set.id)) {
      set.enabled = false;
      return set;
    }
    let fn: unknown;
    try {
      fn = await importSetFile(found.file);
    } catch (err) {
      set.err = loadErrorText(err, found.file);
      return set;
    }
    const err = await runSetModule(fn, createRedApi(host, set, namespace), found.file);
    if (err) set.err = err;
    return set;
  }

  /** Whether a package may load here: its "node-red".version range and declared node dependencies. */
  function loadable(p: FoundPackage, known: ReadonlySet<string>): boolean {
    if (p.redVersion && !semver.satisfies(NODE_RED_VERSION, p.redVersion)) {
      logger.warn(`[${p.name}] Node module cannot be loaded on this version. Requires: ${p.redVersion} `);
      return false;
    }
    const missing = p.dependencies.filter((d) => !known.has(d));
    if (missing.length > 0) {
      logger.error(`Module: ${p.name} missing dependencies:`);
      for (const m of missing) logger.error(` - ${m}`);
      return false;
    }
    return true;
  }

  async function loadFound(p: FoundPackage, disabled: ReadonlySet<string>): Promise<ModuleInfo> {
    const mod = registry.addModule({ name: p.name, version: p.version, local: p.local, user: p.user, path: p.dir });
    for (const s of p.sets) await loadSet(mod, s, disabled);
    return mod;
  }

  /** The errors block Node-RED logs once the palette has loaded. */
  function logErrors(): void {
    const errs = registry.sets().filter((s) => s.err);
    if (errs.length === 0) return;
    logger.warn('------------------------------------------------------');
    for (const s of errs) logger.warn(`[${s.id}] ${s.errDetail ?? s.err}`);
    logger.warn('------------------------------------------------------');
  }

  return {
    async loadAll(disabled) {
      logger.info('Loading palette nodes');
      await loadCore(disabled);
      const core = registry.module(CORE)!;
      for (const f of scanLocalFiles(scanOptions())) await loadSet(core, f, disabled);
      const found = scanPackages(scanOptions());
      const known = new Set(found.map((p) => p.name));
      for (const p of found) if (loadable(p, known)) await loadFound(p, disabled);
      logErrors();
    },
    async loadPackage(name) {
      const [p] = scanPackages(scanOptions(), name);
      if (!p) return undefined;
      p.user = Object.hasOwn(userPackages(userDir), p.name);
      const known = new Set(registry.modules().map((m) => m.name));
      if (!loadable(p, known)) return undefined;
      const mod = await loadFound(p, new Set());
      for (const s of mod.sets) if (s.err) logger.warn(`[${s.id}] ${s.errDetail ?? s.err}`);
      return mod;
    },
  };
}
