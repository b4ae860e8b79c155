// Loading node packages' plugin sets (`"node-red".plugins`) as Node-RED 4.1.15 does, before any node set runs.
// An entry names a file whose base name gives the runtime part (`.js`, else `.cjs`) and the editor part
// (`.html`, read now unless settings.disableEditor); a `locales` folder beside it makes the set's id its
// catalogue namespace. Then every runtime part is required and called with its set's RED object, in order
// without waiting for one another, and all of them are waited for. What a set's code throws or rejects with
// is kept as its `err`, as Node-RED keeps it (an Error shows as {} in GET /plugins).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../../runtime/logger.js';
import type { Settings } from '../../settings/types.js';
import type { NodeSetInfo, Registry } from '../registry.js';
import type { PluginSetInfo } from '../plugins.js';
import type { NodeModule } from '../red-types.js';
import { createRedApi } from '../red-api.js';
import type { RedHost } from '../red-api.js';
import type { FoundPackage, FoundSet } from './scan.js';

export interface PluginLoaderDeps {
  host: RedHost;
  registry: Registry;
  settings: Settings;
  logger: Logger;
}

/** The file beside `file` with another extension, when it exists. */
function sibling(file: string, ext: string): string | undefined {
  const f = file.replace(/\.[^.]+$/, ext);
  return fs.existsSync(f) ? f : undefined;
}

/** The node-set view of a plugin set that its RED object is bound to. */
const asNodeSet = (p: PluginSetInfo): NodeSetInfo => ({
  id: p.id, name: p.name, types: [], enabled: p.enabled, local: p.local, user: false, module: p.module, version: p.version,
});

export function createPluginLoader(deps: PluginLoaderDeps): { load(found: readonly FoundPackage[]): Promise<void> } {
  const { host, registry, settings, logger } = deps;

  /** The set's entry as Node-RED reads it: its parts, catalogue and editor text. */
  function describe(p: FoundPackage, entry: FoundSet): PluginSetInfo {
    const set: PluginSetInfo = {
      id: `${p.name}/${entry.name}`, name: entry.name, module: p.name, version: p.version, local: p.local,
      enabled: true, loaded: false, plugins: [],
    };
    const file = sibling(entry.file, '.js') ?? sibling(entry.file, '.cjs');
    if (file) set.file = file;
    const template = sibling(entry.file, '.html');
    if (template) set.template = template;
    const base = set.file ?? set.template;
    if (base && fs.existsSync(path.join(path.dirname(base), 'locales'))) {
      set.catalog = { dir: path.join(path.dirname(base), 'locales'), file: path.basename(base).replace(/\.[^.]+$/, '.json') };
      host.i18n.register(set.id, set.catalog);
    }
    if (set.template && !settings.disableEditor) {
      try {
        set.config = fs.readFileSync(set.template, 'utf8');
      } catch (err) {
        set.err = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `Error: ${set.template} does not exist` : String(err);
      }
    }
    return set;
  }

  /** Requires the set's runtime part and calls it; settles when a Promise it returned does. */
  function run(set: PluginSetInfo): Promise<void> {
    if (!set.file) return Promise.resolve();
    try {
      const exported = createRequire(set.file)(set.file) as { __esModule?: boolean; default?: unknown };
      const fn = exported.__esModule ? exported.default : exported;
      if (typeof fn === 'function') {
        const result = (fn as NodeModule)(createRedApi(host, asNodeSet(set), set.catalog ? set.id : set.module));
        if (result && typeof (result as Promise<void>).then === 'function') {
          return (result as Promise<void>).then(() => { set.loaded = true; }, (err: unknown) => { set.err = err; });
        }
      }
      set.loaded = true;
    } catch (err) {
      set.err = err;
      logger.warn(`[${set.id}] ${err instanceof Error && err.stack ? err.stack : String(err)}`);
    }
    return Promise.resolve();
  }

  return {
    async load(found) {
      const sets: PluginSetInfo[] = [];
      for (const p of found) {
        const mod = registry.module(p.name);
        if (!mod) continue;
        mod.plugins = p.plugins.map((entry) => describe(p, entry));
        sets.push(...mod.plugins);
      }
      await Promise.all(sets.filter((s) => !s.err).map(run));
    },
  };
}
