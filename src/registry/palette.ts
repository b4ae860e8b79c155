// Adding and removing node modules while the runtime runs (POST / DELETE /nodes): the installer's npm work,
// then the loader (a new module's sets run at once, no restart) or the registry (a removed module's types are
// gone), with Node-RED's log lines and editor notifications (notification/node/added|removed|upgraded).
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { apiError } from '../errors.js';
import type { Logger } from '../runtime/logger.js';
import type { Installer, InstallSpec } from './installer/index.js';
import type { NodeLoader } from './loader/node-loader.js';
import type { ModuleInfo, NodeSetInfo, Registry } from './registry.js';
import { pluginSetInfo } from './plugins.js';
import type { PluginRegistry } from './plugins.js';

export interface InstalledModule {
  module: ModuleInfo;
  /** The version an upgrade installed; the loaded one keeps running until a restart. */
  pendingVersion?: string;
}

export interface Palette {
  install(spec: InstallSpec): Promise<InstalledModule>;
  /** Refuses (type_in_use) while a flow uses one of the module's types. */
  uninstall(module: string): Promise<void>;
}

export interface PaletteDeps {
  installer: Installer;
  loader: NodeLoader;
  registry: Registry;
  logger: Logger;
  events: EventEmitter;
  /** The node types of the deployed flows. */
  typesInUse(): Set<string>;
  /** Persists .config.nodes.json. */
  saveNodeConfig(): Promise<void>;
  /** The plugin registry: a removed module's plugins are forgotten (their onremove called) with it. */
  plugins?: PluginRegistry;
}

/** A set as the editor's notifications carry it (Node-RED's node info; a new module's sets with their version). */
export function setInfo(s: NodeSetInfo, withVersion = false): Record<string, unknown> {
  const v: Record<string, unknown> = { id: s.id, name: s.name, types: [...s.types], enabled: s.enabled, local: s.local, user: s.user, module: s.module };
  if (s.err) v.err = String(s.err);
  if (withVersion) v.version = s.version;
  return v;
}

/** After PUT /nodes…: Node-RED's notification and log lines for a set that changed state. */
export function reportStateChange(events: EventEmitter | undefined, logger: Logger, s: NodeSetInfo, enabled: boolean): void {
  if (s.enabled === enabled && !s.err) {
    // (quirk) Node-RED's enabled notification carries the fields its API answer adds: loaded, version
    const payload = enabled ? { ...setInfo(s), loaded: true, version: s.version } : setInfo(s);
    events?.emit('runtime-event', { id: `node/${enabled ? 'enabled' : 'disabled'}`, retain: false, payload });
    logger.info(` ${enabled ? 'Enabled' : 'Disabled'} node types:`);
    for (const t of s.types) logger.info(` - ${t}`);
  } else if (enabled && s.err) {
    logger.warn('Failed to enable node:');
    logger.warn(` - ${s.name} : ${String(s.err)}`);
  }
}

const typeList = (sets: NodeSetInfo[]) => sets.flatMap((s) => s.types.map((t) => ` - ${s.module}:${t}${s.err ? ' : ' + String(s.err) : ''}`));

/** Drops a removed package's files from the CommonJS cache, so a later install of it loads its new code. */
function forgetCode(dir: string | undefined): void {
  if (!dir) return;
  const cache = createRequire(import.meta.url).cache;
  const prefix = path.resolve(dir) + path.sep;
  for (const key of Object.keys(cache)) if (key.startsWith(prefix)) delete cache[key];
}

export function createPalette(deps: PaletteDeps): Palette {
  const { installer, loader, registry, logger, events } = deps;
  const notify = (id: string, payload: unknown) => events.emit('runtime-event', { id, retain: false, payload });

  return {
    async install(spec) {
      const result = await installer.install(spec);
      if (result.upgraded) {
        notify('node/upgraded', { module: result.name, version: result.version });
        return { module: registry.module(result.name)!, pendingVersion: result.version };
      }
      let mod = registry.module(result.name);
      if (mod && result.existing) {
        mod.user = true;
      } else {
        mod = await loader.loadPackage(result.name);
        if (!mod) throw apiError('invalid_module');
        const lines = typeList(mod.sets);
        for (const s of mod.sets) if (s.err && s.types.length === 0) logger.warn(`[${s.id}] ${String(s.err)}`);
        if (lines.length > 0) {
          logger.info('Added node types:');
          for (const l of lines) logger.info(l);
        }
      }
      await deps.saveNodeConfig();
      if (mod.sets.length > 0) notify('node/added', mod.sets.map((s) => setInfo(s, true)));
      return { module: mod };
    },

    async uninstall(name) {
      const mod = registry.module(name);
      if (!mod) throw apiError('not_found', 'Module not found');
      if (name === 'node-red' || !mod.user) throw apiError('unexpected_error', `Unrecognised module: ${name}`);
      const used = deps.typesInUse();
      for (const s of mod.sets) {
        const inUse = s.types.filter((t) => used.has(t));
        if (inUse.length > 0) throw apiError('type_in_use', `Type in use: ${inUse.join(', ')}`);
      }
      // its plugins first, as Node-RED (an onremove may still look into the registry)
      const removedPlugins = deps.plugins?.removeModule(name) ?? [];
      const removed = registry.removeModule(name);
      try {
        await installer.uninstall(name);
      } catch (err) {
        // npm left the module as it was: it comes back as it was loaded
        await loader.loadPackage(name).catch(() => undefined);
        throw err;
      }
      forgetCode(mod.path);
      logger.info('Removed node types:');
      for (const l of typeList(removed)) logger.info(l);
      logger.info('Removed plugins:');
      for (const p of removedPlugins) for (const d of p.plugins) logger.info(` - ${p.module}:${d.id}`);
      await deps.saveNodeConfig();
      notify('node/removed', [...removedPlugins.map((p) => pluginSetInfo(p, false)), ...removed.map((s) => setInfo(s))]);
    },
  };
}
