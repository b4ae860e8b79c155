// RED.settings: every settings key as a read-only property, plus get/set and node-settings helpers.
import type { Settings } from '../settings/types.js';
import type { Registry } from './registry.js';
import type { UserSettingsStore } from '../settings/user-settings.js';

const asTypes = (types: unknown): string[] => (Array.isArray(types) ? types.map(String) : []);

/**
 * The exportable node settings (GET /settings): the settings file's value, else the registered default; not
 * those of a type whose set is disabled (or turned off with disableNodeSettings), as Node-RED leaves them out.
 */
export function exportNodeSettings(registry: Registry, settings: Settings, out: Record<string, unknown>): Record<string, unknown> {
  for (const [name, def] of registry.nodeSettings()) {
    if (!def.exportable || registry.settingsOff.has(def.type) || registry.typeSet(def.type)?.enabled === false) continue;
    out[name] = name in settings ? settings[name] : def.value;
  }
  return out;
}

export function readOnlySettings(settings: Settings, registry: Registry, users?: UserSettingsStore): Record<string, any> {
  const runtimeValues = new Map<string, unknown>();
  const api: Record<string, unknown> = {
    get: (key: string) => (key in settings ? settings[key] : runtimeValues.get(key)),
    set: async (key: string, value: unknown) => {
      if (key in settings) throw new Error(`Cannot modify setting '${key}'`);
      runtimeValues.set(key, value);
    },
    delete: async (key: string) => {
      if (key in settings) throw new Error(`Cannot delete setting '${key}'`);
      runtimeValues.delete(key);
    },
    available: () => true,
    getUserSettings: (username: string) => users?.get(username),
    setUserSettings: async (username: string, value: Record<string, unknown>) => {
      if (!users) throw new Error('Settings unavailable');
      await users.set(username, value);
    },
    registerNodeSettings: () => undefined,
    exportNodeSettings: (out: Record<string, unknown>) => exportNodeSettings(registry, settings, out),
    enableNodeSettings: (types: unknown) => { for (const t of asTypes(types)) registry.settingsOff.delete(t); },
    disableNodeSettings: (types: unknown) => { for (const t of asTypes(types)) registry.settingsOff.add(t); },
  };
  return new Proxy(api, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in settings && !(prop in target)) return settings[prop];
      if (typeof prop === 'string' && !(prop in target) && registry.nodeSettings().has(prop)) {
        return registry.nodeSettings().get(prop)!.value;
      }
      return Reflect.get(target, prop);
    },
    set(_t, prop) {
      throw new Error(`Property '${String(prop)}' is read-only`);
    },
    has(target, prop) {
      return (typeof prop === 'string' && prop in settings) || prop in target;
    },
    ownKeys(target) {
      return [...new Set([...Reflect.ownKeys(settings), ...Reflect.ownKeys(target)])];
    },
    getOwnPropertyDescriptor(target, prop) {
      if (typeof prop === 'string' && prop in settings) return { value: settings[prop], enumerable: true, configurable: true, writable: false };
      return Reflect.getOwnPropertyDescriptor(target, prop);
    },
  });
}
