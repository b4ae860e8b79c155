// The node type registry: which types exist, which module/set registered them, set enabled state,
// credential definitions and exportable node settings. One per runtime.
import type { CredentialDef, RegisterOptions } from './red-types.js';
import type { PluginSetInfo } from './plugins.js';
import { subflowModuleCredentials, subflowModuleHtml, subflowModuleType } from './subflow-module.js';
import type { SubflowModuleDef } from './subflow-module.js';

export interface NodeSetInfo {
  id: string;
  name: string;
  types: string[];
  enabled: boolean;
  local: boolean;
  user: boolean;
  module: string;
  version: string;
  /** Why it failed: text, or (as Node-RED keeps it) the value a package's module threw or rejected with. */
  err?: unknown;
  /** What the start-up log says of `err` when it says more ("'x' already registered by module y"). */
  errDetail?: string;
  /** The set's entry file (a package's `"node-red".nodes` path); its editor HTML and locales/ sit beside it. */
  file?: string;
  /** Editor definition made at run time (a subflow module's), served instead of the file's. */
  config?: string;
}

export interface ModuleInfo {
  name: string;
  version: string;
  local?: boolean;
  user?: boolean;
  path?: string;
  /** More icon folders of the module (for node-red: the `icons` folders among the loose node files). */
  iconDirs?: string[];
  sets: NodeSetInfo[];
  /** Its `"node-red".plugins` sets (a package's; Node-RED's core module has none), see plugins.ts. */
  plugins?: PluginSetInfo[];
}

export interface TypeEntry {
  type: string;
  /** The node constructor; none for a subflow module, whose instances the runtime spawns from `subflow`. */
  ctor?: Function;
  opts: RegisterOptions;
  set: NodeSetInfo;
  subflow?: SubflowModuleDef;
}

export interface Registry {
  addModule(info: Omit<ModuleInfo, 'sets'>): ModuleInfo;
  addSet(module: ModuleInfo, name: string, file?: string): NodeSetInfo;
  registerType(set: NodeSetInfo, type: string, ctor: Function, opts?: RegisterOptions): void;
  /** RED.nodes.registerSubflow: the subflow becomes a type of the set, with its editor definition. */
  registerSubflow(set: NodeSetInfo, def: SubflowModuleDef): string;
  /** The set that lists a type (registered or only named by its editor file). */
  typeSet(type: string): NodeSetInfo | undefined;
  /** The entry of an enabled, error-free type. */
  get(type: string): TypeEntry | undefined;
  credentialDef(type: string): CredentialDef | undefined;
  modules(): ModuleInfo[];
  module(name: string): ModuleInfo | undefined;
  set(id: string): NodeSetInfo | undefined;
  sets(): NodeSetInfo[];
  /** Node types whose settings a module turned off with RED.settings.disableNodeSettings. */
  readonly settingsOff: Set<string>;
  /** Exportable node settings: name -> declared default. */
  nodeSettings(): Map<string, { value: unknown; exportable: boolean; type: string }>;
  onTypeRegistered(cb: (type: string) => void): void;
  /**
   * Types whose set's code has not run yet: `load` runs (synchronously) the first time one of them is
   * asked for by get() or credentialDef(), so a set a flow never uses costs nothing at start. A module
   * function that registers its types only after awaiting something returns that Promise from `load`.
   */
  deferTypes(set: NodeSetInfo, types: string[], load: () => void | Promise<unknown>): void;
  /** Resolves once the code of the deferred set of `type` (if it has one) has run, loading it if need be. */
  typeLoaded(type: string): Promise<void>;
  /** Enables or disables a set; enabling makes its types available again (waiting flows may start). */
  setEnabled(set: NodeSetInfo, enabled: boolean): void;
  /** Puts the modules named in `names` first, in that order (the others keep theirs, after them). */
  orderModules(names: readonly string[]): void;
  /** Forgets a module (after an uninstall): its sets, types, credential definitions and node settings. */
  removeModule(name: string): NodeSetInfo[];
}

export function createRegistry(): Registry {
  const modules = new Map<string, ModuleInfo>();
  const types = new Map<string, TypeEntry>();
  const credentialDefs = new Map<string, CredentialDef>();
  const settings = new Map<string, { value: unknown; exportable: boolean; type: string }>();
  const listeners: Array<(type: string) => void> = [];
  /** Deferred types (spaces as dashes, as credential lookups name them) -> the load of their set. */
  const deferred = new Map<string, () => void>();
  /** Deferred types whose set's code has been started -> its completion. */
  const loads = new Map<string, Promise<void>>();
  const dashed = (type: string) => type.replace(/\s+/g, '-');
  const loadDeferred = (type: string) => {
    const load = deferred.get(dashed(type));
    if (load) load();
  };
  function add(entry: TypeEntry): void {
    const { type, opts, set } = entry;
    if (types.has(type)) throw new Error(`${type} already registered`);
    types.set(type, entry);
    if (!set.types.includes(type)) set.types.push(type);
    if (opts.credentials) credentialDefs.set(dashed(type), opts.credentials);
    for (const [name, def] of Object.entries(opts.settings ?? {})) {
      settings.set(name, { value: def.value, exportable: !!def.exportable, type });
    }
    for (const l of listeners) l(type);
  }
  return {
    settingsOff: new Set<string>(),
    addModule(info) {
      const m: ModuleInfo = { ...info, sets: [] };
      modules.set(info.name, m);
      return m;
    },
    addSet(module, name, file) {
      const set: NodeSetInfo = {
        id: `${module.name}/${name}`, name, types: [], enabled: true,
        local: !!module.local, user: false, module: module.name, version: module.version,
      };
      if (file) set.file = file;
      module.sets.push(set);
      return set;
    },
    registerType(set, type, ctor, opts = {}) {
      add({ type, ctor, opts, set });
    },
    registerSubflow(set, def) {
      const type = subflowModuleType(def);
      const credentials = subflowModuleCredentials(def);
      add({ type, opts: credentials ? { credentials } : {}, set, subflow: def });
      set.config = subflowModuleHtml(def);
      return type;
    },
    get(type) {
      if (deferred.size > 0 && !types.has(type)) loadDeferred(type);
      const e = types.get(type);
      return e && e.set.enabled && !e.set.err ? e : undefined;
    },
    typeSet(type) {
      for (const m of modules.values()) for (const s of m.sets) if (s.types.includes(type)) return s;
      return undefined;
    },
    credentialDef(type) {
      if (deferred.size > 0) loadDeferred(type);
      return credentialDefs.get(dashed(type));
    },
    modules: () => [...modules.values()],
    module: (name) => modules.get(name),
    set(id) {
      const slash = id.lastIndexOf('/');
      if (slash < 0) return undefined;
      return modules.get(id.slice(0, slash))?.sets.find((s) => s.name === id.slice(slash + 1));
    },
    sets: () => [...modules.values()].flatMap((m) => m.sets),
    nodeSettings: () => settings,
    onTypeRegistered: (cb) => { listeners.push(cb); },
    deferTypes(set, list, load) {
      let done = false;
      const once = () => {
        // a disabled set's code stays unloaded until the set is enabled and one of its types asked for
        if (done || !set.enabled) return;
        done = true;
        for (const t of list) deferred.delete(dashed(t));
        const loaded = Promise.resolve(load()).then(() => undefined, () => undefined);
        for (const t of list) loads.set(dashed(t), loaded);
      };
      for (const t of list) {
        if (!set.types.includes(t)) set.types.push(t);
        deferred.set(dashed(t), once);
      }
    },
    typeLoaded(type) {
      if (deferred.size > 0) loadDeferred(type);
      return loads.get(dashed(type)) ?? Promise.resolve();
    },
    orderModules(names) {
      const first = names.map((n) => modules.get(n)).filter((m): m is ModuleInfo => m !== undefined);
      const rest = [...modules.values()].filter((m) => !first.includes(m));
      modules.clear();
      for (const m of [...first, ...rest]) modules.set(m.name, m);
    },
    removeModule(name) {
      const m = modules.get(name);
      if (!m) return [];
      for (const set of m.sets) {
        for (const t of set.types) {
          if (types.get(t)?.set !== set) continue;
          types.delete(t);
          credentialDefs.delete(dashed(t));
          for (const [k, v] of settings) if (v.type === t) settings.delete(k);
        }
        set.enabled = false;
      }
      modules.delete(name);
      return m.sets;
    },
    setEnabled(set, enabled) {
      if (set.enabled === enabled) return;
      set.enabled = enabled;
      if (enabled) for (const t of set.types) for (const l of listeners) l(t);
    },
  };
}
