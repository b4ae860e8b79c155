// Admin authentication assembled (COMPAT A1): user directory, sessions, personal access tokens, throttle,
// bearer/tokens/anonymous strategies, the oauth2 token endpoint and the /auth router (with /auth/tokens);
// needsPermission guards admin routes.
import type { Request, RequestHandler, Router } from 'express';
import type { FlowStorage } from '../runtime/types.js';
import type { Logger } from '../runtime/logger.js';
import type { AdminAuthSettings, Settings } from '../settings/types.js';
import { createAuthRouter } from '../admin/auth.js';
import { accessTokensRouter } from '../admin/access-tokens.js';
import { FALLBACKS } from '../settings/defaults.js';
import { createAccessTokenStore } from './access-tokens.js';
import { createAuthenticator, createTokenResolver, headerToken, type TokenGrant } from './bearer.js';
import { createTokenEndpoint } from './oauth-server.js';
import { hasPermission } from './permissions.js';
import { createSessionStore, type SharedSessions } from './sessions.js';
import { createLoginThrottle, type LoginThrottle } from './throttle.js';
import { clientAddressResolver } from './client-address.js';
import { createUserDirectory, type PublicUser } from './users.js';

export { hasPermission } from './permissions.js';
export { hashToken } from './sessions.js';
export type { TokenGrant } from './bearer.js';
export type { PublicUser } from './users.js';

export interface AdminAuth {
  /** Loads sessions (converting a Node-RED .sessions.json to hashed keys) and access tokens from storage. */
  init(): Promise<void>;
  /** Express middleware implementing COMPAT A1.4/A1.5: sets req.user (the user record without password, or {anonymous:true, permissions}) when it passes. Without adminAuth every request passes. */
  needsPermission(permission: string): RequestHandler;
  /** Router with GET /login, POST /token, POST /revoke and /tokens, mounted at <httpAdminRoot>/auth. Body parsing is done before it. */
  router: Router;
  /** The user object to show in GET /settings for this request, or undefined (no adminAuth). */
  settingsUser(req: Request): Record<string, unknown> | undefined;
  /** Used by the websocket comms: token -> user or null (sessions and tokens list, then adminAuth.tokens()). */
  authenticateToken(token: string): Promise<Record<string, unknown> | null>;
  /** Like authenticateToken, with the scope the token grants (for the comms' status.read check). */
  resolveToken(token: string): Promise<TokenGrant | null>;
  /** The anonymous user of adminAuth.default, or null. */
  anonymousUser(): Promise<PublicUser | null>;
  /** For a websocket upgrade: the user of the adminAuth.tokenHeader header via adminAuth.tokens(); undefined when no such header is configured or sent. */
  authenticateHeaders(headers: Request['headers']): Promise<PublicUser | null | undefined>;
  /** Registers a callback run with hashToken(token) of every session that expires, and of every access token that expires or is revoked. */
  onSessionExpiry(listener: (tokenHash: string) => void): void;
  /** True when settings.adminAuth is set. */
  readonly enabled: boolean;
  /** Reads the access tokens again (another instance of a cluster changed them). */
  reloadAccessTokens(): Promise<void>;
  /** Stops the expiry timers and writes the access tokens' pending last-used times. */
  close(): Promise<void>;
}

export interface AdminAuthOptions {
  settings: Settings;
  storage: Pick<FlowStorage, 'getSessions' | 'saveSessions' | 'getAccessTokens' | 'saveAccessTokens'>;
  logger: Logger;
  /** Login sessions shared with the other instances of a cluster. */
  sharedSessions?: SharedSessions;
  /** The login throttle (a cluster's counts across its instances); one per runtime otherwise. */
  loginThrottle?: LoginThrottle;
}

const USER_FIELDS = ['anonymous', 'username', 'image', 'permissions'] as const;

export function createAdminAuth(opts: AdminAuthOptions): AdminAuth {
  const { settings, storage, logger } = opts;
  const raw = settings.adminAuth;
  const config: AdminAuthSettings | undefined = raw
    ? { ...raw, ...(typeof raw.module === 'object' && raw.module !== null ? raw.module : {}) }
    : undefined;
  const expiry = Number(config?.sessionExpiryTime) > 0 ? Number(config?.sessionExpiryTime) : 604800;

  const users = createUserDirectory(config ?? {});
  const sessions = createSessionStore({ storage, expirySeconds: expiry, logger, shared: opts.sharedSessions });
  const accessTokens = createAccessTokenStore({ storage, logger });
  const resolve = createTokenResolver({ config: config ?? {}, sessions, accessTokens, users, logger });
  // passport and oauth2orize are loaded only where there are logins (idle memory without adminAuth)
  let authenticate: RequestHandler | undefined;

  function needsPermission(permission: string): RequestHandler {
    return (req, res, next) => {
      if (!config) return next();
      authenticate ??= createAuthenticator({ resolve, users, logger });
      authenticate(req, res, (err?: unknown) => {
        if (err) return next(err);
        const scope = (req.authInfo as { scope?: unknown } | undefined)?.scope;
        if (hasPermission(scope, permission)) return next();
        logger.audit({ event: 'permission.fail', permissions: permission }, req);
        res.status(401).end();
      });
    };
  }

  const router = createAuthRouter({
    settings,
    adminAuth: config,
    tokenEndpoint: config
      ? createTokenEndpoint({ users, sessions, throttle: opts.loginThrottle ?? createLoginThrottle(), logger, clientAddress: clientAddressResolver(settings.trustProxy) })
      : [],
    needsPermission,
    revoke: (token) => sessions.revoke(token),
    accessTokens: accessTokensRouter({
      store: accessTokens,
      users,
      needsPermission,
      maxPerUser: settings.accessTokens?.maxPerUser ?? FALLBACKS.accessTokens.maxPerUser,
      logger,
    }),
    logger,
  });

  async function resolveToken(token: string): Promise<TokenGrant | null> {
    if (!config) return null;
    const grant = await resolve(token);
    if (grant) return grant;
    const user = typeof token === 'string' && token ? await users.tokenUser(token) : null;
    return user ? { user, scope: user.permissions } : null;
  }

  return {
    init: async () => {
      if (config) await Promise.all([sessions.load(), accessTokens.load()]);
    },
    needsPermission,
    router,
    settingsUser(req) {
      if (!config || !req.user) return undefined;
      const user = req.user as Record<string, unknown>;
      const shown: Record<string, unknown> = {};
      for (const field of USER_FIELDS) {
        if (Object.prototype.hasOwnProperty.call(user, field)) shown[field] = user[field];
      }
      return shown;
    },
    async authenticateToken(token) {
      return (await resolveToken(token))?.user ?? null;
    },
    resolveToken,
    anonymousUser: () => (config ? users.defaultUser() : Promise.resolve(null)),
    async authenticateHeaders(headers) {
      if (!config || users.tokenHeader === null || !headers[users.tokenHeader]) return undefined;
      const token = headerToken(headers, users.tokenHeader);
      return token ? users.tokenUser(token) : null;
    },
    onSessionExpiry(listener) {
      sessions.onExpiry((hash) => listener(hash));
      accessTokens.onRemoved((hash) => listener(hash));
    },
    enabled: !!config,
    reloadAccessTokens: () => (config ? accessTokens.reload() : Promise.resolve()),
    async close() {
      sessions.close();
      await accessTokens.close();
    },
  };
}
