// The shape of a Crimson / Node-RED settings object (settings.js). Every key is optional.
import type { RequestHandler } from 'express';
import type { RedisTlsOptions } from '../runtime/context/redis-tls.js';

export type Permission = string | string[];

export interface AdminUser {
  username: string;
  password?: string;
  permissions: Permission;
  image?: string;
  token?: string;
  [key: string]: unknown;
}

export interface AdminAuthSettings {
  type?: 'credentials' | 'strategy';
  users?: AdminUser[] | AdminUser | ((username: string) => Promise<AdminUser | null | undefined> | AdminUser | null | undefined);
  authenticate?: (username: string, password: string) => Promise<AdminUser | null | undefined> | AdminUser | null | undefined;
  default?: { permissions: Permission } | (() => Promise<{ permissions: Permission } | null> | { permissions: Permission } | null);
  tokens?: ((token: string) => Promise<AdminUser | null | undefined>) | Array<{ token: string; user: string; scope: Permission }>;
  tokenHeader?: string;
  sessionExpiryTime?: number;
  strategy?: Record<string, unknown>;
  module?: Record<string, unknown>;
}

export interface LoggingHandlerSettings {
  level?: string;
  metrics?: boolean;
  audit?: boolean;
  handler?: (settings: LoggingHandlerSettings) => (entry: Record<string, unknown>) => void;
}

export interface CorsSettings {
  origin?: string | string[] | boolean;
  methods?: string | string[];
  credentials?: boolean;
  [key: string]: unknown;
}

export type Middleware = RequestHandler | RequestHandler[];

export interface Settings {
  /** Port to listen on (default 1880). -p overrides. */
  uiPort?: number;
  /** Interface to listen on (default all). */
  uiHost?: string;
  /** Root of the admin API and editor ('/' by default, false disables both). */
  httpAdminRoot?: string | false;
  /** Root of http in routes ('/' by default, false disables them). */
  httpNodeRoot?: string | false;
  /** Deprecated: sets both roots. */
  httpRoot?: string | false;
  /** Admin API authentication. */
  adminAuth?: AdminAuthSettings;
  /** Basic auth on http in routes: {user, pass(bcrypt)} or a middleware. */
  httpNodeAuth?: { user: string; pass: string } | Middleware;
  /** Flows file name, relative to userDir (default flows.json). */
  flowFile?: string;
  /** Write the flows file with 4-space indentation. */
  flowFilePretty?: boolean;
  /** Key for flows_cred.json; false stores credentials in clear. */
  credentialSecret?: string | false;
  /** Instances with the same Redis url and name are one cluster (README "Crimson cluster"). */
  cluster?: { url: string; name?: string; instanceId?: string; leaseMs?: number; tls?: RedisTlsOptions };
  /** User directory (default ~/.crimson). */
  userDir?: string;
  /** Values seeded into global context. */
  functionGlobalContext?: Record<string, unknown>;
  /** Whether function nodes may load npm modules (libs). */
  functionExternalModules?: boolean;
  /** Default function node timeout shown in the editor (seconds). */
  functionTimeout?: number;
  /** Timeout applied to every function node (seconds). */
  globalFunctionTimeout?: number;
  /** Max body size of admin requests and http in requests (default '5mb'). */
  apiMaxLength?: string | number;
  httpNodeCors?: CorsSettings;
  httpAdminCors?: CorsSettings;
  httpNodeMiddleware?: Middleware;
  httpAdminMiddleware?: Middleware;
  httpServerOptions?: Record<string, unknown>;
  runtimeState?: { enabled?: boolean; ui?: boolean };
  diagnostics?: { enabled?: boolean; ui?: boolean; level?: string };
  logging?: { console?: LoggingHandlerSettings; [name: string]: LoggingHandlerSettings | undefined };
  disableEditor?: boolean;
  safeMode?: boolean;
  readOnly?: boolean;
  exportGlobalContextKeys?: boolean;
  nodeCloseTimeout?: number;
  runtimeSyncDelivery?: boolean;
  envVarExcludes?: string[];
  debugMaxLength?: number;
  debugStatusLength?: number;
  editorTheme?: Record<string, unknown>;
  contextStorage?: Record<string, unknown>;
  telemetry?: Record<string, unknown>;
  externalModules?: Record<string, unknown>;
  verbose?: boolean;
  /** Static files: a directory, or [{path, root, options?, middleware?, cors?}]. */
  httpStatic?: string | Array<{ path: string; root?: string; options?: Record<string, unknown>; middleware?: Middleware; cors?: CorsSettings }>;
  /** Root under which httpStatic entries are served (default '/'). */
  httpStaticRoot?: string;
  httpStaticCors?: CorsSettings;
  /** Basic auth on static files: {user, pass(bcrypt)}. */
  httpStaticAuth?: { user: string; pass: string };
  /** Deprecated basic auth on the admin API and editor. */
  httpAdminAuth?: { user: string; pass: string };
  httpAdminCookieOptions?: Record<string, unknown>;
  /** TLS options for https.createServer, or a function returning them (maybe async). */
  https?: Record<string, unknown> | (() => Record<string, unknown> | Promise<Record<string, unknown>>);
  /** Hours between calls of an https function to refresh certificates. */
  httpsRefreshInterval?: number | string;
  /** Redirect plain http requests to https. */
  requireHttps?: boolean;
  /**
   * Crimson only: the reverse proxies trusted to name the client in X-Forwarded-For, for the login lock-out
   * (which counts wrong passwords per username and client address): a number of proxies in front (true = 1),
   * or their addresses / subnets ('10.0.0.1', '10.0.0.0/8', 'loopback', a list). Default: none, the socket's
   * address counts and X-Forwarded-For is ignored.
   */
  trustProxy?: boolean | number | string | string[];
  /**
   * Crimson only: personal access tokens (POST /auth/tokens, with adminAuth). `maxPerUser`: how many live
   * tokens one user may hold (default 100); creating one more answers 400.
   */
  accessTokens?: { maxPerUser?: number };
  /** Milliseconds between /comms keep-alive pings (default 15000). */
  webSocketKeepAliveTime?: number;
  /** Milliseconds a new /comms connection may take to authenticate (default 5000). */
  inboundWebSocketTimeout?: number;
  /**
   * Crimson only: bytes a /comms connection may have waiting to be sent (queued plus in its socket) before it
   * is dropped with close code 1013 (default 4 MiB). The editor reconnects.
   */
  commsMaxBacklog?: number;
  /** Extra directories searched for node files. */
  nodesDir?: string | string[];
  /** Node files not to load. */
  nodesExcludes?: string[];
  nodeMessageBufferMaxLength?: number;
  debugUseColors?: boolean;
  /** Milliseconds before an http request node times out. */
  httpRequestTimeout?: number;
  paletteCategories?: string[];
  nodeDefaults?: Record<string, unknown>;
  /** Set by the launcher: the settings file that was read. */
  settingsFile?: string;
  /** Any other key is kept and visible to nodes through RED.settings. */
  [key: string]: unknown;
}
