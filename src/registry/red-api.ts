// Builds the `RED` object a node module receives, bound to one runtime and to the node set being loaded.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Node, initNode, inheritNode } from '../runtime/node.js';
import { creatingFlow } from '../runtime/flow.js';
import type { Flow } from '../runtime/flow.js';
import type { Engine } from '../runtime/engine.js';
import type { NodeConfig } from '../runtime/types.js';
import type { NodeSetInfo } from './registry.js';
import type { LogHandlerLike, RED, RegisterOptions } from './red-types.js';
import { LEVELS } from '../runtime/logger.js';
import { readOnlySettings } from './red-settings.js';
import { redUtil } from './red-util.js';
import type { MessageCatalogs } from './red-i18n.js';
import type { PluginRegistry } from './plugins.js';
import type { ExternalModules } from './external-modules.js';
import type { UserSettingsStore } from '../settings/user-settings.js';
import { checkSubflowDef } from './subflow-module.js';

export const NODE_RED_VERSION = '4.1.15';

export interface RedHost {
  engine: Engine;
  userDir: string;
  httpAdmin: RED['httpAdmin'];
  httpNode: RED['httpNode'];
  server: RED['server'];
  needsPermission: RED['auth']['needsPermission'];
  eachNode(cb: (config: NodeConfig) => void): void;
  hooks: RED['hooks'];
  /** Library entry types (`flows`, plus what node modules register): the /library API serves these. */
  libraryTypes: Set<string>;
  /** RED.require / RED.import as Node-RED limits them (built-ins, node modules, the userDir's dependencies). */
  externalModules?: ExternalModules;
  /** The editor users' settings (RED.settings.getUserSettings / setUserSettings). */
  userSettings?: UserSettingsStore;
  /** The plugin registry, shared by every set (RED.plugins). */
  plugins: PluginRegistry;
  /** The node sets' message catalogues (RED._). */
  i18n: MessageCatalogs;
}

/** Env lookup for a node: its own NR_NODE_* values, then its flow's scopes. */
export function getSetting(node: Node | undefined, name: string): unknown {
  if (node) {
    if (name === 'NR_NODE_NAME') return node.name;
    if (name === 'NR_NODE_ID') return node.id;
    if (name === 'NR_NODE_PATH') return node._path;
    if (node._flow) return node._flow.getEnvFor ? node._flow.getEnvFor(node.g, name) : node._flow.getEnv(name);
  }
  return process.env[name];
}

/**
 * The RED object of one node set. `namespace` is the catalogue RED._ looks keys up in (the set id when the
 * set has a locales folder, else its module name: "node-red" for core sets). `nativeTypes` are types of the
 * set that Crimson implements itself: a Node-RED file loaded for the set's other types leaves them alone.
 */
export function createRedApi(host: RedHost, set: NodeSetInfo, namespace: string = set.module, nativeTypes?: ReadonlySet<string>): RED {
  const { engine } = host;
  const logger = engine.logger;
  const i18n = (key: string, subs?: Record<string, unknown>) => host.i18n.t(String(key), subs, namespace);
  const requireFromUserDir = createRequire(path.join(host.userDir, 'package.json'));
  return {
    nodes: {
      registerType(type: string, ctor: Function, opts?: RegisterOptions) {
        if (nativeTypes?.has(type)) return;
        if (typeof ctor !== 'function') throw new Error(`${type}: constructor must be a function`);
        inheritNode(ctor);
        engine.registry.registerType(set, type, ctor, opts);
      },
      registerSubflow(def: unknown) {
        checkSubflowDef(def);
        engine.registry.registerSubflow(set, def);
      },
      createNode(node: object, config: NodeConfig) {
        const flow = creatingFlow();
        initNode(node as Node, config, flow);
        const stored = engine.credentials[config.id];
        const def = engine.registry.credentialDef(config.type);
        if (stored || def) (node as Node).credentials = stored ? { ...stored } : {};
      },
      getNode: (id: string) => engine.nodes.get(id),
      eachNode: (cb) => host.eachNode(cb),
      getCredentials: (id: string) => engine.credentials[id],
      async addCredentials(id: string, creds: Record<string, unknown>) { engine.credentials[id] = { ...creds }; },
      async deleteCredentials(id: string) { delete engine.credentials[id]; },
    },
    util: { ...redUtil, getSetting },
    log: {
      log: (e) => logger.log(e as never),
      fatal: logger.fatal, error: logger.error, warn: logger.warn, info: logger.info,
      debug: logger.debug, trace: logger.trace,
      audit: (e, req) => logger.audit(e, req as never),
      metric: logger.metric,
      addHandler: (h) => logger.addHandler(asLogHandler(h)),
      removeHandler: (h) => logger.removeHandler(asLogHandler(h)),
      _: i18n,
      FATAL: LEVELS.fatal, ERROR: LEVELS.error, WARN: LEVELS.warn, INFO: LEVELS.info,
      DEBUG: LEVELS.debug, TRACE: LEVELS.trace, AUDIT: LEVELS.audit, METRIC: LEVELS.metric,
    },
    settings: readOnlySettings(engine.settings, engine.registry, host.userSettings),
    events: engine.events,
    hooks: host.hooks,
    comms: { publish: (topic, data, retain) => { engine.events.emit('comms', { topic, data, retain }); } },
    httpAdmin: host.httpAdmin,
    httpNode: host.httpNode,
    server: host.server,
    auth: { needsPermission: host.needsPermission },
    library: { register: (type: string) => { host.libraryTypes.add(type); } },
    plugins: {
      registerPlugin(id, def) {
        host.plugins.register(set, id, def as Record<string, unknown>);
        engine.events.emit('registry:plugin-added', id);
      },
      get: (id) => host.plugins.get(id),
      getByType: (type) => host.plugins.byType(type),
    },
    require: (name: string) => (host.externalModules ? host.externalModules.require(name) : requireFromUserDir(name)),
    import: (name: string) => (host.externalModules ? host.externalModules.import(name) : import(requireFromUserDir.resolve(name))),
    version: () => NODE_RED_VERSION,
    _: i18n,
  };
}

const emitterHandlers = new WeakMap<object, (e: Record<string, unknown>) => void>();
/** Node-RED log handlers are EventEmitters (emit('log', entry)); plain functions are taken as they are. */
function asLogHandler(h: LogHandlerLike): (e: any) => void {
  if (typeof h === 'function') return h;
  let fn = emitterHandlers.get(h);
  if (!fn) {
    fn = (e) => { h.emit('log', e); };
    emitterHandlers.set(h, fn);
  }
  return fn;
}
