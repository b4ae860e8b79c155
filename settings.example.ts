// An example Crimson settings file listing every supported key. Copy it to <userDir>/settings.ts (or
// write the same object as `module.exports = {...}` in settings.js: Node-RED settings files load unchanged).
// Every key is optional; the values shown active are the defaults Crimson uses without a settings file.
// A .ts settings file needs Node.js 22.6+ (--experimental-strip-types; 23.6+ needs no flag) or the
// `typescript` package installed. The import below is type-only and disappears when the file is run.
import type { Settings } from './src/settings/types.js';

const settings: Settings = {
  // ---------------------------------------------------------------- Flows file & user directory
  /** The flows file, relative to userDir (or absolute). Without it the name is flows_<hostname>.json. */
  flowFile: 'flows.json',
  /** Write the flows file indented (4 spaces) so that it diffs well. */
  flowFilePretty: true,
  /** Key encrypting flows_cred.json. Unset: a generated key kept in .config.runtime.json; false: stored in clear. */
  // credentialSecret: 'a-secret-key',
  /** Where settings, flows, credentials and installed nodes live (default ~/.crimson; -u overrides). */
  // userDir: '/home/me/.crimson/',
  /** Extra directories searched for node files. */
  // nodesDir: '/home/me/.crimson/nodes',
  /** Node files that are not loaded. */
  // nodesExcludes: ['90-comment.js'],
  /** Never write to the user directory (flows, credentials, config files). */
  // readOnly: false,

  // ---------------------------------------------------------------- Cluster
  /**
   * Instances with the same Redis `url` and `name` are one cluster: flows, credentials, sessions, tokens,
   * context and the library shared, scheduled injects run on one (README "Running several instances"). Needs
   * `credentialSecret`. `rediss://` is TLS: `tls` gives node:tls what a private CA needs (`ca`) and a client
   * certificate (`cert`, `key`), as PEM strings or Buffers; `rejectUnauthorized: false` skips the check.
   */
  // cluster: {
  //   url: 'rediss://default:password@redis.example:6380/0',
  //   name: 'crimson',
  //   instanceId: 'host-a:1880', // default <hostname>:<port>
  //   leaseMs: 5000, // the leader lease of scheduled work
  //   tls: { ca: readFileSync('redis-ca.pem'), cert: readFileSync('client.pem'), key: readFileSync('client.key') },
  // },

  // ---------------------------------------------------------------- Security
  /** Editor / admin API login. Passwords are bcrypt hashes. */
  // adminAuth: {
  //   type: 'credentials',
  //   users: [{ username: 'admin', password: '$2y$08$...', permissions: '*' }],
  //   default: { permissions: 'read' }, // what a user who is not logged in may do
  //   sessionExpiryTime: 604800, // seconds a login lasts (default 7 days)
  //   tokens: async (token) => null, // accept other access tokens
  //   tokenHeader: 'x-api-key',
  // },
  /**
   * Crimson only: personal access tokens (POST /auth/tokens, needs adminAuth). maxPerUser: how many live tokens
   * one user may hold (default 100); asking for one more answers 400.
   */
  // accessTokens: { maxPerUser: 100 },
  /** Deprecated basic auth in front of the admin API and editor. */
  // httpAdminAuth: { user: 'user', pass: '$2y$08$...' },
  /** Basic auth in front of `http in` routes: {user, pass (bcrypt)} or your own middleware. */
  // httpNodeAuth: { user: 'user', pass: '$2y$08$...' },
  /** Basic auth in front of httpStatic files. */
  // httpStaticAuth: { user: 'user', pass: '$2y$08$...' },
  /** TLS: options for https.createServer, or a (possibly async) function returning them. */
  // https: { key: readFileSync('privkey.pem'), cert: readFileSync('cert.pem') },
  /** Hours between calls of an https function, to pick up renewed certificates. */
  // httpsRefreshInterval: 12,
  /** Redirect plain http requests to https. */
  // requireHttps: true,
  /**
   * Login lock-out behind a reverse proxy: the proxies trusted to name the client in X-Forwarded-For (wrong
   * passwords are counted per username and client address). A number of proxies in front (true = 1), or their
   * addresses / subnets ('10.0.0.2', ['127.0.0.1', '10.0.0.0/8'], 'loopback'). Unset: the socket's address
   * counts and X-Forwarded-For is ignored.
   */
  // trustProxy: 1,
  /** Options of the editor's session cookie. */
  // httpAdminCookieOptions: {},

  // ---------------------------------------------------------------- Server
  /** Port to listen on (default 1880, else $PORT when set; -p overrides; 0 = any free port). */
  uiPort: 1880,
  /** Interface to listen on; unset = all interfaces. */
  // uiHost: '127.0.0.1',
  /** Largest request body the admin API and `http in` nodes accept (default '5mb'). */
  // apiMaxLength: '5mb',
  /** Express app settings applied to the server. */
  // httpServerOptions: { 'trust proxy': true },
  /** Where the editor and admin API are served (default '/'); false turns both off. */
  // httpAdminRoot: '/admin',
  /** Middleware run before every admin API request. */
  // httpAdminMiddleware: (req, res, next) => next(),
  /** CORS for the admin API. */
  // httpAdminCors: { origin: '*', methods: 'GET,PUT,POST,DELETE' },
  /** Where `http in` routes are served (default '/'); false turns them off. */
  // httpNodeRoot: '/api',
  /** Deprecated: sets both httpAdminRoot and httpNodeRoot. */
  // httpRoot: '/red',
  /** CORS for `http in` routes. */
  // httpNodeCors: { origin: '*', methods: 'GET,PUT,POST,DELETE' },
  /** Middleware run before every `http in` route. */
  // httpNodeMiddleware: (req, res, next) => next(),
  /** Static files: a directory, or a list of {path, root, options?, middleware?, cors?}. */
  // httpStatic: '/home/me/public/',
  // httpStatic: [{ path: '/home/me/pics/', root: '/img/' }],
  /** Prefix under which httpStatic entries are served (default '/'). */
  // httpStaticRoot: '/static/',
  /** CORS for static files. */
  // httpStaticCors: { origin: '*' },
  /** Serve the admin API without the editor. */
  // disableEditor: false,
  /** Milliseconds between keep-alive pings on the editor's websocket (default 15000). */
  // webSocketKeepAliveTime: 15000,
  /** Milliseconds a new editor websocket may take to authenticate (default 5000). */
  // inboundWebSocketTimeout: 5000,
  /**
   * Crimson only: bytes an editor websocket may have waiting to be sent (queued plus in its socket) before it is
   * dropped with close code 1013 and one warning (default 4 MiB); the editor reconnects by itself.
   */
  // commsMaxBacklog: 4194304,

  // ---------------------------------------------------------------- Runtime
  /** Diagnostics report (GET /diagnostics) and its editor view. */
  diagnostics: { enabled: true, ui: true },
  /** Whether flows may be stopped / started from the editor or the admin API. */
  runtimeState: { enabled: false, ui: false },
  /** Start with the flows stopped (also --safe and NODE_RED_ENABLE_SAFE_MODE). */
  // safeMode: false,
  /** Update notifications (also --no-telemetry and NODE_RED_DISABLE_TELEMETRY). */
  telemetry: {},
  /** Log handlers: `console` prints; others need a `handler(settings) => (entry) => void`. */
  logging: {
    console: {
      /** off, fatal, error, warn, info, debug or trace */
      level: 'info',
      /** Log message-flow metrics. */
      metrics: false,
      /** Log admin API access. */
      audit: false,
    },
  },
  /** Verbose logging with error stacks (also -v). */
  // verbose: false,
  /**
   * Context stores; the default is one in-memory store. `redis` keeps context in Redis, shared by every
   * Crimson using the same url and prefix, with synchronous get (README "Context in Redis").
   */
  // contextStorage: {
  //   default: { module: 'memory' },
  //   disk: { module: 'localfilesystem' },
  //   shared: { module: 'redis', config: { url: 'redis://127.0.0.1:6379/0', prefix: 'crimson' } },
  //   // over TLS with a private CA: { url: 'rediss://…', prefix: 'crimson', tls: { ca: readFileSync('redis-ca.pem') } }
  // },
  /** List global context keys in the editor's context sidebar. */
  exportGlobalContextKeys: false,
  /** Installing npm modules at run time: palette and function-node modules. */
  externalModules: {
    // autoInstall: false,
    // autoInstallRetry: 30,
    // palette: { allowInstall: true, allowUpload: true, allowList: ['*'], denyList: [] },
    // modules: { allowInstall: true, allowList: [], denyList: [] },
  },
  /** Milliseconds nodes get to finish closing on stop/redeploy (default 15000). */
  // nodeCloseTimeout: 15000,
  /** Deliver messages synchronously (Node-RED before 1.0); default asynchronous. */
  // runtimeSyncDelivery: false,
  /** Environment variables that flows cannot read. */
  // envVarExcludes: ['SECRET_TOKEN'],
  /** Most messages a node may buffer (e.g. join, delay); unset = no limit. */
  // nodeMessageBufferMaxLength: 0,

  // ---------------------------------------------------------------- Editor
  /** The editor's look and features. */
  editorTheme: {
    palette: {
      // catalogues: ['https://catalogue.nodered.org/catalogue.json'],
      // categories: ['subflows', 'common', 'function', 'network'],
    },
    projects: { enabled: false, workflow: { mode: 'manual' } },
    codeEditor: { lib: 'monaco', options: {} },
    markdownEditor: { mermaid: { enabled: true } },
    multiplayer: { enabled: false },
    // page: { title: 'Crimson', favicon: '/abs/path/favicon.ico', css: '/abs/path/theme.css' },
    // header: { title: 'Crimson', image: '/abs/path/logo.png', url: 'https://example.com' },
    // deployButton: { type: 'simple', label: 'Save' },
    // menu: { 'menu-item-help': { label: 'Help', url: 'https://example.com' } },
    // userMenu: false,
    // login: { image: '/abs/path/login.png' },
    // logout: { redirect: 'https://example.com' },
    // tours: false,
  },
  /** Order of the palette's categories. */
  // paletteCategories: ['subflows', 'common', 'function', 'network', 'sequence', 'parser', 'storage'],
  /** Default property values for nodes added in the editor, by type. */
  // nodeDefaults: {},

  // ---------------------------------------------------------------- Nodes
  /** Whether function nodes may load npm modules (their Setup tab). */
  functionExternalModules: true,
  /** Timeout, in seconds, of function nodes that set none of their own (0 = none). */
  globalFunctionTimeout: 0,
  /** Default timeout, in seconds, of new function nodes (0 = none). */
  functionTimeout: 0,
  /** Values seeded into global context (e.g. modules: `os: require('os')`). */
  functionGlobalContext: {},
  /** Longest value the debug sidebar shows (default 1000). */
  debugMaxLength: 1000,
  /** Longest debug node status text (default 32). */
  // debugStatusLength: 32,
  /** Colour the debug output of `console` targets. */
  // debugUseColors: false,
  /** Milliseconds before an http request node gives up (default 120000). */
  // httpRequestTimeout: 120000,
  /** Directory that relative paths of file nodes start from (default: the working directory). */
  // fileWorkingDirectory: '/home/me/data',
  /** Milliseconds between reconnect attempts of mqtt / serial nodes. */
  mqttReconnectTime: 15000,
  serialReconnectTime: 15000,
};

export default settings;
