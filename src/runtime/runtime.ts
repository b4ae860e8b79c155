// createRuntime: builds one Crimson runtime (storage, auth, registry, flows, HTTP server) from settings.
// Nothing lives in module state, so several runtimes can run in one process.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { express } from './util/deps.js';
import type { Settings } from '../settings/types.js';
import type { Logger } from './logger.js';
import type { Engine } from './engine.js';
import { createRegistry } from '../registry/registry.js';
import { createPluginRegistry } from '../registry/plugins.js';
import { createRedApi, NODE_RED_VERSION } from '../registry/red-api.js';
import type { RedHost } from '../registry/red-api.js';
import { createHooks } from '../registry/hooks.js';
import { createDelivery } from './delivery.js';
import { createContextManager } from './context.js';
import { FlowsManager } from './flows.js';
import { createLocalStorage } from '../storage/local-storage.js';
import { createCluster } from '../cluster/cluster.js';
import type { ModuleHost } from '../cluster/modules.js';
import { createSetStates } from '../cluster/set-states.js';
import { ALWAYS_LEADING } from './leadership.js';
import { redactUrl } from './context/redis-connection.js';
import { clusterOptions } from '../cluster/options.js';
import { createAdminAuth } from '../auth/index.js';
import { createAdminApp, adminCors } from '../admin/index.js';
import { createFrontDoor } from './front-door.js';
import { createRequestAdmission } from './request-admission.js';
import type { AdminDeps } from '../admin/deps.js';
import { createHttpNodeApp } from './http-node-app.js';
import type { NodeModule } from '../registry/red-types.js';
import { readNodeConfig, saveNodeConfig } from '../registry/node-config.js';
import { createNodeLoader } from '../registry/loader/node-loader.js';
import { createInstaller } from '../registry/installer/index.js';
import { createPalette } from '../registry/palette.js';
import { createExternalModules } from '../registry/external-modules.js';
import { createUserSettingsStore } from '../settings/user-settings.js';
import { createMessageCatalogs, runtimeLang } from '../registry/red-i18n.js';
import { createComms } from '../comms/index.js';
import { lastErrorHandler } from './last-error.js';
import { createRuntimeServer } from './server.js';
import { createServerObjects } from './http-objects.js';
import { accessTokensPluginSet } from '../editor/plugins/access-tokens.js';

export interface RuntimeOptions {
  userDir: string;
  logger: Logger;
  safeMode?: boolean;
  settingsFile?: string;
  version?: string;
}

export interface Runtime {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly server: http.Server;
  readonly flows: FlowsManager;
  readonly engine: Engine;
  /** http://host:port/ once started. */
  url(): string;
  /** Loads a node module's sets (set name -> module function), as a node package's entry points. */
  loadNodeModule(info: { name: string; version: string; local?: boolean; user?: boolean }, sets: Record<string, NodeModule>): Promise<void>;
}

/**
 * The listening socket's queue of connections not yet accepted. Node's default (511) overflows when
 * thousands of clients connect at once: the kernel then drops handshakes, and each dropped one costs its
 * client a retransmit (1 s, then 3 s…). The kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 65535;

/** How often an instance of a cluster tries Redis again when it could not reach it at start. */
const RETRY_MS = 2000;

/** Redis could not be reached (as opposed to a refusal such as another credentialSecret). */
const isUnreachable = (err: unknown) => (err as { code?: unknown } | null)?.code === 'cluster_unreachable';

/**
 * Calls `attempt` every `ms` until it succeeds; `check` rethrows the errors that must not be retried. Gives up
 * (rejects) once `stopped()` says the runtime was stopped meanwhile.
 */
async function retryUntil(attempt: () => Promise<unknown>, ms: number, check: (err: unknown) => void, stopped: () => boolean): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, ms));
    if (stopped()) throw new Error('Stopped while waiting for the cluster\'s Redis');
    try {
      await attempt();
      return;
    } catch (err) {
      check(err);
    }
  }
}

/** The answer to every request while waiting for the cluster's Redis. */
function answerUnavailable(res: import('node:http').ServerResponse): void {
  const body = JSON.stringify({ code: 'cluster_unavailable', message: 'The cluster store (Redis) cannot be reached' });
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const normaliseRoot = (r: string | false | undefined): string | false =>
  r === false ? false : '/' + String(r ?? '/').replace(/^\/+|\/+$/g, '') + (String(r ?? '/').replace(/^\/+|\/+$/g, '') ? '/' : '');

export function createRuntime(settings: Settings, opts: RuntimeOptions): Runtime {
  const { logger, userDir } = opts;
  const local = createLocalStorage({
    userDir, flowFile: settings.flowFile, flowFilePretty: settings.flowFilePretty,
    credentialSecret: settings.credentialSecret, readOnly: settings.readOnly, logger,
  });
  // in a cluster, flows and credentials live in Redis, shared with the other instances
  const clusterSettings = clusterOptions(settings);
  const cluster = clusterSettings ? createCluster(clusterSettings, {
    local, credentialSecret: settings.credentialSecret, logger, flowFilePretty: settings.flowFilePretty === true, readOnly: settings.readOnly === true,
  }) : undefined;
  const storage = cluster ? cluster.storage : local;
  const registry = createRegistry();
  const plugins = createPluginRegistry(registry);
  const engine: Engine = {
    registry,
    delivery: createDelivery(settings.runtimeSyncDelivery === true),
    contexts: createContextManager({
      logger, globalValues: settings.functionGlobalContext,
      // in a cluster without contextStorage, context is shared: the redis store on the cluster's Redis
      contextStorage: settings.contextStorage ?? (clusterSettings ? { default: { module: 'redis', config: { url: clusterSettings.url, prefix: clusterSettings.name, tls: clusterSettings.tls } } } : undefined),
      userDir, exportGlobalContextKeys: settings.exportGlobalContextKeys,
    }),
    logger,
    events: new EventEmitter(),
    settings,
    credentials: {},
    nodes: new Map(),
    closeTimeout: typeof settings.nodeCloseTimeout === 'number' ? settings.nodeCloseTimeout : 15000,
    envExcludes: new Set(Array.isArray(settings.envVarExcludes) ? settings.envVarExcludes : []),
    hooks: createHooks(logger),
    leadership: ALWAYS_LEADING,
  };
  engine.events.setMaxListeners(0);
  if (cluster) engine.leadership = cluster.leadership;
  const flows = new FlowsManager(engine, storage);
  const auth = createAdminAuth({ settings, storage, logger, sharedSessions: cluster?.sessions, loginThrottle: cluster?.loginThrottle });
  // Crimson's own editor plugin: the Access Tokens tab of User Settings, only where there are logins
  if (auth.enabled) plugins.addBuiltin(accessTokensPluginSet(opts.version ?? '0.0.0', !settings.disableEditor));
  let runtimeConfig: Record<string, unknown> = {};

  const root = express();
  root.disable('x-powered-by');
  // Express's last-resort error page then shows the status text only, never a stack trace or a path
  root.set('env', 'production');
  const objects = createServerObjects();
  // requests start a bounded number per event-loop turn, so that new connections get accepted under load
  // an instance of a cluster waiting for Redis at start answers every request 503 until it is reachable
  let waitingForCluster = false;
  let stopped = false;
  const admission = createRequestAdmission((req, res) => (waitingForCluster ? answerUnavailable(res) : front(req, res)));
  const web = createRuntimeServer(settings, admission.listener, logger, objects.options);
  web.server.on('connection', admission.accepted);
  const server = web.server;
  const comms = createComms({ server, settings, auth, events: engine.events, logger });
  const nodeHttp = createHttpNodeApp({ settings, logger });
  objects.inheritFrom(nodeHttp.app);
  const libraryTypes = new Set<string>(['flows']);
  const userSettings = createUserSettingsStore(storage);
  // .config.nodes.json, and in a cluster the set states every instance follows
  const setStates = cluster ? createSetStates({ table: cluster.setStatesTable, registry, events: engine.events, logger }) : undefined;
  const saveNodes = async () => {
    await saveNodeConfig(storage, registry);
    await setStates?.save();
  };
  const deps: AdminDeps = {
    flows, registry, plugins, settings, logger, contexts: engine.contexts, auth, storage, userDir, events: engine.events, userSettings,
    library: cluster?.library,
    cluster: cluster ? { view: () => cluster.view(), ready: () => cluster.ready() } : undefined,
    encryptionType: () => storage.encryptionType(),
    async setRuntimeConfig(key, value) {
      runtimeConfig = { ...runtimeConfig, [key]: value };
      await storage.saveRuntimeConfig(runtimeConfig);
    },
    needsPermission: (p) => auth.needsPermission(p),
    saveNodeConfig: () => saveNodes(),
    libraryTypes,
    instanceId: () => (typeof runtimeConfig.instanceId === 'string' ? runtimeConfig.instanceId : undefined),
  };
  const adminRoot = normaliseRoot(settings.httpAdminRoot ?? settings.httpRoot);
  const nodeRoot = normaliseRoot(settings.httpNodeRoot ?? settings.httpRoot);
  const adminApp = createAdminApp(deps);
  if (adminRoot !== false) root.use(adminRoot, adminApp);
  if (nodeRoot !== false) root.use(nodeRoot, nodeHttp.app);
  const lastError = lastErrorHandler(logger);
  root.use(lastError);

  const front = createFrontDoor({ settings, logger, root, admin: adminApp, node: nodeHttp, adminCors, lastError, adminRoot, nodeRoot });

  const host: RedHost = {
    engine, userDir, httpAdmin: adminApp, httpNode: nodeHttp.app, server,
    needsPermission: (p) => auth.needsPermission(p),
    eachNode: (cb) => { for (const n of flows.getFlows().flows) cb(n); },
    hooks: engine.hooks,
    libraryTypes,
    i18n: createMessageCatalogs(runtimeLang(settings.lang)),
    plugins,
    userSettings,
  };
  const nodeLoader = createNodeLoader({ host, registry, settings, logger, userDir });
  const installer = createInstaller({
    userDir, logger, settings, hooks: engine.hooks, events: engine.events,
    moduleInfo: (name) => registry.module(name),
  });
  host.externalModules = createExternalModules({
    userDir, settings, logger, registry, hooks: engine.hooks,
    npmInstall: (spec, args) => installer.installDependency(spec, args),
  });
  flows.dependencies = (config) => host.externalModules!.checkFlowDependencies(config);
  const palette = createPalette({
    installer, loader: nodeLoader, registry, logger, events: engine.events,
    typesInUse: () => new Set(flows.getFlows().flows.map((n) => n.type)),
    saveNodeConfig: () => saveNodes(),
    plugins,
  });
  // in a cluster, what the palette installs or removes here is installed or removed on every instance
  const moduleHost: ModuleHost = {
    palette,
    userModule: (name) => { const m = registry.module(name); return m?.user ? m.version : undefined; },
    userModules: () => registry.modules().filter((m) => m.user).map((m) => ({ name: m.name, version: m.version })),
  };
  deps.palette = cluster ? cluster.modules.sharedPalette(moduleHost) : palette;
  deps.installerEnabled = () => installer.enabled();

  async function loadModule(info: { name: string; version: string; local?: boolean; user?: boolean }, sets: Array<[string, NodeModule[]]>): Promise<void> {
    const mod = registry.addModule(info);
    for (const [name, fns] of sets) {
      const set = registry.addSet(mod, name);
      const RED = createRedApi(host, set);
      try {
        for (const fn of fns) await fn(RED);
      } catch (err) {
        set.err = err instanceof Error ? err.message : String(err);
        logger.error(`Failed to load node set ${set.id}: ${set.err}`);
      }
    }
  }

  let listening = false;
  const url = () => {
    const a = server.address();
    if (!a || typeof a === 'string') return '';
    const h = a.address === '::' || a.address === '0.0.0.0' ? '127.0.0.1' : a.address.includes(':') ? `[${a.address}]` : a.address;
    return `${web.secure ? 'https' : 'http'}://${h}:${a.port}${adminRoot === false ? '/' : adminRoot}`;
  };
  async function listen(): Promise<void> {
    await web.ready();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: settings.uiPort ?? 1880, host: settings.uiHost, backlog: LISTEN_BACKLOG }, () => { server.off('error', reject); resolve(); });
    });
    listening = true;
    logger.info(`Server now running at ${url()}`);
  }
  return {
    server,
    flows,
    engine,
    loadNodeModule: (info, sets) => loadModule(info, Object.entries(sets).map(([k, v]) => [k, [v]])),
    url,
    async start() {
      stopped = false;
      logger.info(`Welcome to Crimson v${opts.version ?? '0.0.0'} (Node-RED API ${NODE_RED_VERSION})`);
      logger.info(`Node.js  version: ${process.version}`);
      try {
        await storage.init();
      } catch (err) {
        // Redis unreachable at start: listen now (503 to every request), keep trying, then start as usual
        if (!cluster || !isUnreachable(err)) throw err;
        logger.error(`${(err as Error).message}; retrying every ${RETRY_MS / 1000} s, the admin API answers 503 meanwhile`);
        waitingForCluster = true;
        await listen();
        await retryUntil(() => storage.init(), RETRY_MS, (e) => { if (!isUnreachable(e)) throw e; }, () => stopped);
        waitingForCluster = false;
        logger.info(`Cluster '${cluster.options.name}': Redis reachable, starting`);
      }
      runtimeConfig = await storage.getRuntimeConfig();
      // Node-RED's instance id (kept in .config.runtime.json): the editor page's cache-busting version uses it
      if (typeof runtimeConfig.instanceId !== 'string' && !settings.readOnly) {
        runtimeConfig = { instanceId: randomBytes(8).toString('hex'), ...runtimeConfig };
        await storage.saveRuntimeConfig(runtimeConfig).catch((err) => logger.warn(`Could not save the instance id: ${String(err)}`));
      }
      await auth.init();
      await userSettings.load();
      // an npm run a crash interrupted is undone before node_modules is read
      await installer.recover();
      const savedNodes = await readNodeConfig(storage, logger);
      await nodeLoader.loadAll(savedNodes.disabled);
      // as Node-RED: modules keep the order the file lists them in, and the file is rewritten with what loaded
      registry.orderModules(savedNodes.order);
      await saveNodeConfig(storage, registry).catch((err) => logger.warn(`Could not save the node list: ${String(err)}`));
      // a cluster's modules this instance lacks are installed before its flows start
      if (cluster) {
        await cluster.modules.sync(moduleHost);
        if (await setStates!.apply()) await saveNodeConfig(storage, registry);
        await setStates!.save();
      }
      if (opts.settingsFile) logger.info(`Settings file  : ${opts.settingsFile}`);
      await engine.contexts.open();
      logger.info(`User directory : ${userDir}`);
      logger.info(`Flows file     : ${path.resolve(userDir, settings.flowFile ?? 'flows.json')}`);
      const state = settings.runtimeState?.enabled === true && runtimeConfig.runtimeFlowState === 'stop' ? 'stop' : 'start';
      await flows.read({ safe: opts.safeMode || settings.safeMode === true, state });
      if (cluster) {
        await cluster.follow(flows, {
          tokens: () => auth.reloadAccessTokens(), users: () => userSettings.reload(),
          modules: (event) => cluster.modules.apply(moduleHost, event),
          sets: async () => { if (await setStates!.apply()) await saveNodeConfig(storage, registry); },
        });
        logger.info(`Cluster        : '${cluster.options.name}' at ${redactUrl(cluster.options.url)}`);
      }
      comms.start();
      if (!listening) await listen();
      if (cluster) {
        const a = server.address();
        const address = a && typeof a !== 'string' ? { host: a.address === '0.0.0.0' || a.address === '::' ? os.hostname() : a.address, port: a.port } : undefined;
        await cluster.shareComms(engine.events, address, () => flows.rev);
      }
      // Node-RED's check that npm is there for the palette manager (logs why installs are off)
      void installer.checkPrereq().catch(() => undefined);
      web.startRefresh();
      await flows.startLoaded();
    },
    async stop() {
      stopped = true;
      web.stopRefresh();
      await flows.shutdown();
      await cluster?.close();
      await engine.contexts.close();
      await comms.stop();
      await auth.close();
      if (listening) {
        listening = false;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections?.();
          setTimeout(() => server.closeAllConnections?.(), 1000).unref();
        });
      }
    },
  };
}
