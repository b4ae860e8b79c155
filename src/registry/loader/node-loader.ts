// Loading the palette at start and a package after an install: the core sets (Crimson's own modules, and
// Node-RED's implementations of the other core types, deferred until a flow uses them), loose node files,
// then node packages, each set through its own RED object. As Node-RED: every package's version range is
// checked and every set's types read from its HTML (a type another set has is an error) before any module
// code runs; then the sets run in order, a module's Promise not holding up the next. A set that fails keeps
// its `err` and the rest loads; the failures are logged as Node-RED lists them once everything has loaded.
import fs from 'node:fs';
import path from 'node:path';
import { semver } from '../../runtime/util/deps.js';
import type { Logger } from '../../runtime/logger.js';
import type { Settings } from '../../settings/types.js';
import type { ModuleInfo, NodeSetInfo, Registry } from '../registry.js';
import { createRedApi, NODE_RED_VERSION } from '../red-api.js';
import type { RedHost } from '../red-api.js';
import { CORE_SETS } from '../../nodes/index.js';
import { coreCatalog, corePackageDir } from '../core-definitions.js';
import { paletteLists } from './module-list.js';
import { createPluginLoader } from './plugins.js';
import { nameFilter, scanLocalFiles, scanPackages, userPackages } from './scan.js';
import type { FoundPackage, FoundSet, ScanOptions } from './scan.js';
import { loadErrorText, requireSetFile, runSetFile, runSetModule } from './load-set.js';

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
  /** Types of disabled package sets: enabling the set announces them, and asking for one runs the set's code. */
  const loadOnEnable = new Set<string>();
  registry.onTypeRegistered((type) => {
    if (loadOnEnable.delete(type)) registry.get(type);
  });
  // the packages' plugin sets run before any node set, as in Node-RED
  const plugins = createPluginLoader({ host, registry, settings, logger });

  /** Node-RED's implementation of the set's types that Crimson's own modules left out, loaded on first use. */
  function deferCoreFile(set: NodeSetInfo, file: string, types: readonly string[], eager: boolean): void {
    const native = new Set(set.types);
    const rest = types.filter((t) => !native.has(t));
    if (rest.length === 0 && native.size > 0) return;
    registry.deferTypes(set, rest, () => {
      try {
        const fn = requireSetFile(file);
        return runSetModule(fn, createRedApi(host, set, CORE, native), file).then((err) => {
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

  /**
   * Crimson's own modules run even for a disabled set (its types stay unavailable until it is enabled). A set
   * whose Node-RED file name nodesIncludes / nodesExcludes leave out is not there at all, as in Node-RED.
   */
  async function loadCore(disabled: ReadonlySet<string>): Promise<void> {
    const mod = registry.addModule({ name: CORE, version: NODE_RED_VERSION });
    const coreDir = path.join(corePackageDir(), 'core');
    const allowed = nameFilter(settings);
    for (const def of CORE_SETS) {
      if (!allowed(`${path.basename(def.editor)}.js`)) continue;
      const set = registry.addSet(mod, def.name);
      if (disabled.has(set.id)) set.enabled = false;
      try {
        // (a RED object only for Crimson's own modules: a deferred set gets its own when it loads)
        if (def.modules) {
          const RED = createRedApi(host, set, CORE);
          for (const fn of def.modules) await fn(RED);
        }
      } catch (err) {
        set.err = err instanceof Error ? err.message : String(err);
        logger.error(`Failed to load node set ${set.id}: ${set.err}`);
        continue;
      }
      deferCoreFile(set, path.join(coreDir, `${def.editor}.js`), def.types, !!def.eager);
      for (const type of def.library ?? []) host.libraryTypes.add(type);
    }
  }

  /**
   * The catalogue namespace of a set: its id when a locales folder sits beside its file, else its module
   * (always "node-red" for loose node files, as Node-RED looks for no locales of its core module's sets).
   */
  function namespaceOf(set: NodeSetInfo, file: string): string {
    const dir = path.join(path.dirname(file), 'locales');
    if (set.module === CORE || !fs.existsSync(dir)) return set.module;
    host.i18n.register(set.id, { dir, file: path.basename(file).replace(/\.[^.]+$/, '.json') });
    return set.id;
  }

  /** The error-free set that already has a type (Node-RED's check, made before any module code runs). */
  const owner = (type: string, self: NodeSetInfo) => registry.sets().find((s) => s !== self && !s.err && s.types.includes(type));

  /** Adds one set of a module: its types from its HTML; runnable unless disabled or naming a type another set has. */
  function addSet(mod: ModuleInfo, found: FoundSet, disabled: ReadonlySet<string>): (() => Promise<void>) | undefined {
    const set = registry.addSet(mod, found.name, found.file);
    const namespace = namespaceOf(set, found.file);
    set.types.push(...htmlTypes(found.file));
    const taken = set.types.find((t) => owner(t, set));
    if (taken) {
      const moduleA = owner(taken, set)!.module;
      set.err = Object.assign(new Error('Type already registered'), { code: 'type_already_registered', details: { type: taken, moduleA, moduleB: mod.name } });
      set.errDetail = `'${taken}' already registered by module ${moduleA}`;
      return undefined;
    }
    const run = () => runSetFile(found.file, createRedApi(host, set, namespace)).then((outcome) => {
      if (outcome) set.err = outcome.err;
    });
    if (!disabled.has(set.id)) return run;
    // a disabled set's code runs when the set is enabled (PUT /nodes), as Node-RED loads it then
    set.enabled = false;
    registry.deferTypes(set, set.types, run);
    for (const t of set.types) loadOnEnable.add(t);
    return undefined;
  }

  /** Whether a package's "node-red".version range accepts this runtime (a warning when not). */
  function versionOk(p: FoundPackage): boolean {
    if (!p.redVersion || semver().satisfies(NODE_RED_VERSION, p.redVersion)) return true;
    logger.warn(`[${p.name}] Node module cannot be loaded on this version. Requires: ${p.redVersion} `);
    return false;
  }

  /** Whether the node modules a package declares in "node-red".dependencies are there (errors when not). */
  function depsPresent(p: FoundPackage, known: ReadonlySet<string>): boolean {
    const missing = p.dependencies.filter((d) => !known.has(d));
    if (missing.length === 0) return true;
    logger.error(`Module: ${p.name} missing dependencies:`);
    for (const m of missing) logger.error(` - ${m}`);
    return false;
  }

  /** Adds the packages' modules and sets, in order; the runs of the sets that may run. */
  function addPackages(found: FoundPackage[], disabled: ReadonlySet<string>): Array<() => Promise<void>> {
    const runs: Array<() => Promise<void>> = [];
    for (const p of found) {
      const mod = registry.addModule({ name: p.name, version: p.version, local: p.local, user: p.user, path: p.dir });
      for (const s of p.sets) {
        const run = addSet(mod, s, disabled);
        if (run) runs.push(run);
      }
    }
    return runs;
  }

  /** Starts every run in order (each module function is called before the next starts) and waits for all. */
  const runAll = async (runs: Array<() => Promise<void>>) => { await Promise.all(runs.map((run) => run())); };

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
      const opts = scanOptions();
      const core = registry.module(CORE)!;
      const local = scanLocalFiles(opts);
      core.iconDirs = local.iconDirs;
      const found = scanPackages(opts);
      const known = new Set(found.map((p) => p.name));
      const runs: Array<() => Promise<void>> = [];
      for (const f of local.sets) {
        const run = addSet(core, f, disabled);
        if (run) runs.push(run);
      }
      // as Node-RED: every dependency check, then every version check, then the modules
      const ok = found.filter((p) => depsPresent(p, known)).filter(versionOk);
      runs.push(...addPackages(ok, disabled));
      await plugins.load(ok);
      await runAll(runs);
      logErrors();
    },
    async loadPackage(name) {
      const [p] = scanPackages(scanOptions(), name);
      if (!p) return undefined;
      p.user = Object.hasOwn(userPackages(userDir), p.name);
      const known = new Set(registry.modules().map((m) => m.name));
      if (!depsPresent(p, known) || !versionOk(p)) return undefined;
      const runs = addPackages([p], new Set());
      await plugins.load([p]);
      await runAll(runs);
      const mod = registry.module(p.name)!;
      for (const s of mod.sets) if (s.err) logger.warn(`[${s.id}] ${s.errDetail ?? String(s.err)}`);
      return mod;
    },
  };
}
