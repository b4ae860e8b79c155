// Node-RED's plugin registry: the plugin sets of each module (a package's `"node-red".plugins` entries, kept
// on its ModuleInfo as Node-RED keeps them on its module) and the plugin definitions their code registers
// with RED.plugins.registerPlugin: by id, by `type` (RED.plugins.getByType), and the `settings` each
// declares, exported into GET /settings as Node-RED does.
import type { CatalogFiles } from './core-definitions.js';
import type { ModuleInfo, NodeSetInfo, Registry } from './registry.js';
import { rfdc } from '../runtime/util/deps.js';
import { createCatalogReader, type CatalogReader } from './node-catalog.js';

/** One `"node-red".plugins` entry of a package, as Node-RED's registry keeps it. */
export interface PluginSetInfo {
  /** `<module>/<name>`. */
  id: string;
  name: string;
  module: string;
  version: string;
  local: boolean;
  /** Always true (plugin sets cannot be disabled in Node-RED 4.1). */
  enabled: boolean;
  /** Its code ran (and a Promise it returned resolved). */
  loaded: boolean;
  /** Why it failed: text, or (as Node-RED keeps it) the value its code threw or rejected with. */
  err?: unknown;
  /** The runtime part (`<name>.js`, else `<name>.cjs`), when there is one. */
  file?: string;
  /** The editor part (`<name>.html`), when there is one. */
  template?: string;
  /** The editor part's text, read at load (not with settings.disableEditor). */
  config?: string;
  /** Its message catalogue (a `locales` folder beside its file): namespace = its id. */
  catalog?: CatalogFiles;
  /** The definitions its code registered, in order. */
  plugins: PluginDefinition[];
  /** One of Crimson's own plugin sets (not a package's): listed after the packages' sets. */
  builtin?: boolean;
}

export type PluginDefinition = Record<string, unknown> & { id: string; module: string; type?: unknown; path?: string };

/** `'*'` and per-property entries: `{ value?, exportable? }`. */
type PluginSettings = Record<string, { value?: unknown; exportable?: boolean }>;

export interface PluginRegistry {
  /** RED.plugins.registerPlugin from `set`'s code (throws, as Node-RED, when `set` is not a plugin set). */
  register(set: NodeSetInfo, id: string, definition: Record<string, unknown>): void;
  get(id: string): PluginDefinition | undefined;
  /** The definitions of a type, in registration order (the same array each time, as Node-RED gives). */
  byType(type: string): PluginDefinition[];
  /** Every plugin set, module by module in registry order, then Crimson's built-in ones. */
  sets(): PluginSetInfo[];
  /** Adds one of Crimson's built-in plugin sets (its editor part served like a package's). */
  addBuiltin(set: PluginSetInfo): void;
  /** A plugin set by id; `undefined` when it has none, `null` when the module has no plugin table (core). */
  set(id: string): PluginSetInfo | undefined | null;
  /**
   * Adds the plugin settings to GET /settings' body: for a plugin whose id is a key of settings.js, the
   * properties it marks exportable (`'*'` exports all but those marked `exportable: false`), from settings.js or
   * else the declared `value`.
   */
  exportSettings(settings: Record<string, unknown>, out: Record<string, unknown>): void;
  /**
   * Forgets the plugins of a module being uninstalled (before the registry forgets the module), calling each
   * definition's `onremove`; gives its plugin sets.
   */
  removeModule(name: string): PluginSetInfo[];
  /** The reader of the plugin sets' catalogues (parsed files kept), for /plugins/messages and /locales/<set id>. */
  readonly catalogs: CatalogReader;
}

/**
 * A plugin set as Node-RED's API shows it (GET /plugins, /plugins/:module/:set, a module's `plugins`; without
 * its version in the node/removed notification): the node-set fields (no `types`), the definitions it
 * registered, whether it has editor and runtime parts. A failed set's `err` is shown as kept ({} for an Error).
 */
export function pluginSetInfo(p: PluginSetInfo, withVersion = true): Record<string, unknown> {
  const v: Record<string, unknown> = { id: p.id, name: p.name, enabled: p.enabled, local: p.local, user: false, module: p.module };
  if (p.err !== undefined) v.err = p.err;
  v.plugins = p.plugins.map((d) => ({ id: d.id, type: d.type, module: d.module }));
  v.editor = !!p.template;
  v.runtime = !!p.file;
  if (withVersion) v.version = p.version;
  return v;
}

const clone = rfdc();
const setName = (id: string) => id.slice(id.lastIndexOf('/') + 1);
const moduleName = (id: string) => id.slice(0, Math.max(id.lastIndexOf('/'), 0));

export function createPluginRegistry(registry: Registry): PluginRegistry {
  const byId = new Map<string, PluginDefinition>();
  const byType = new Map<unknown, PluginDefinition[]>();
  const settingsOf = new Map<string, PluginSettings>();
  /** A module's plugin sets: Node-RED's core module has no such table, every package has one. */
  const tableOf = (m: ModuleInfo | undefined) => (!m || m.name === 'node-red' ? undefined : m.plugins ?? []);
  const builtins: PluginSetInfo[] = [];

  return {
    catalogs: createCatalogReader(),
    register(set, id, definition) {
      const def = definition as PluginDefinition;
      const mod = registry.module(set.module);
      def.id = id;
      def.module = set.module;
      byId.set(id, def);
      def.path = mod?.path;
      // (quirk) Node-RED files the definition under the registering set's plugin entry: a node set has none
      const table = tableOf(mod);
      if (!table) throw new TypeError(`Cannot read properties of undefined (reading '${set.name}')`);
      const own = table.find((p) => p.name === set.name);
      if (!own) throw new TypeError("Cannot read properties of undefined (reading 'plugins')");
      own.plugins.push(def);
      if (def.type) {
        const list = byType.get(def.type) ?? [];
        byType.set(def.type, list);
        list.push(def);
      }
      if (def.settings) settingsOf.set(id, def.settings as PluginSettings);
      if (typeof def.onadd === 'function') (def.onadd as () => void)();
    },
    get: (id) => byId.get(id),
    byType(type) {
      return byType.get(type) ?? [];
    },
    sets: () => [...registry.modules().flatMap((m) => m.plugins ?? []), ...builtins],
    addBuiltin(set) {
      builtins.push({ ...set, builtin: true });
    },
    set(id) {
      const own = builtins.find((p) => p.id === id);
      if (own) return own;
      const table = tableOf(registry.module(moduleName(id)));
      if (!table) return registry.module(moduleName(id)) ? null : undefined;
      return table.find((p) => p.name === setName(id));
    },
    exportSettings(settings, out) {
      for (const [id, declared] of settingsOf) {
        if (!Object.hasOwn(settings, id) || Object.hasOwn(out, id)) continue;
        const configured = settings[id];
        if (typeof configured !== 'object' || configured === null) continue;
        const all = !!declared['*']?.exportable;
        const exported: Record<string, unknown> = all ? clone(configured as Record<string, unknown>) : {};
        for (const [property, s] of Object.entries(declared)) {
          if (all) {
            if (s.exportable === false) delete exported[property];
            else if (!Object.hasOwn(exported, property) && Object.hasOwn(s, 'value')) exported[property] = s.value;
          } else if (s.exportable) {
            if (Object.hasOwn(configured, property)) exported[property] = (configured as Record<string, unknown>)[property];
            else if (Object.hasOwn(s, 'value')) exported[property] = s.value;
          }
        }
        if (Object.keys(exported).length > 0) out[id] = exported;
      }
    },
    removeModule(name) {
      const sets = tableOf(registry.module(name)) ?? [];
      for (const def of sets.flatMap((p) => p.plugins)) {
        if (typeof def.onremove === 'function') (def.onremove as () => void)();
        byId.delete(def.id);
        settingsOf.delete(def.id);
        const list = byType.get(def.type);
        if (list) for (let i = list.length - 1; i >= 0; i--) if (list[i]!.id === def.id) list.splice(i, 1);
      }
      return sets;
    },
  };
}
