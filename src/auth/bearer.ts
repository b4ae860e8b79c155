// Request authentication (COMPAT A1.4) on a private passport instance: bearer token (tokens list, then
// personal access tokens or sessions), the adminAuth.tokens() function, then the anonymous default user.
// First success wins. A personal access token grants its scope intersected with its owner's permissions now.
import type passportTypes from 'passport';
import { passport, passportBearer } from '../runtime/util/deps.js';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../runtime/logger.js';
import type { AdminAuthSettings, Permission } from '../settings/types.js';
import type { SessionStore } from './sessions.js';
import { TOKEN_PREFIX, type AccessTokenStore } from './access-tokens.js';
import { intersectScopes } from './permissions.js';
import type { PublicUser, UserDirectory } from './users.js';

/** Who a token belongs to and what it may do. */
export interface TokenGrant {
  user: PublicUser;
  scope: Permission | undefined;
  /** The id of the personal access token the grant comes from, if it comes from one. */
  accessToken?: string;
}

export type TokenResolver = (token: unknown) => Promise<TokenGrant | null>;

type StrategyThis = passportTypes.StrategyCreated<passportTypes.Strategy>;

/**
 * Looks a bearer token up in the fixed adminAuth.tokens list, then in the personal access tokens (a `crpat_`
 * value) or the sessions. Never rejects. The user of an access token grant carries the granted scope as its
 * permissions (what GET /settings shows the editor), and the token's use is noted.
 */
export function createTokenResolver(opts: {
  config: AdminAuthSettings;
  sessions: SessionStore;
  accessTokens: AccessTokenStore;
  users: UserDirectory;
  logger: Logger;
}): TokenResolver {
  const fixed = new Map<string, { user: string; scope: Permission | undefined }>();
  if (Array.isArray(opts.config.tokens)) {
    for (const t of opts.config.tokens) {
      if (t && typeof t.token === 'string' && typeof t.user === 'string') fixed.set(t.token, { user: t.user, scope: t.scope });
    }
  }
  return async (token) => {
    if (typeof token !== 'string' || !token) return null;
    try {
      if (!fixed.has(token) && token.startsWith(TOKEN_PREFIX)) return await accessTokenGrant(token);
      const entry = fixed.get(token) ?? (await opts.sessions.get(token));
      if (!entry) return null;
      const user = await opts.users.get(entry.user);
      return user ? { user, scope: entry.scope } : null;
    } catch (err) {
      opts.logger.warn(`Token lookup failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };

  async function accessTokenGrant(token: string): Promise<TokenGrant | null> {
    const found = await opts.accessTokens.find(token);
    const owner = found ? await opts.users.get(found.user) : null;
    if (!found || !owner) return null;
    const scope = intersectScopes(found.scope, owner.permissions);
    opts.accessTokens.touch(found.id);
    return { user: { ...owner, permissions: scope }, scope, accessToken: found.id };
  }
}

/** The token the tokens() function strategy reads: the configured header, or `Bearer <t>` (case-sensitive). */
export function headerToken(headers: Request['headers'], tokenHeader: string | null): string | null {
  if (tokenHeader === null) return null;
  if (tokenHeader === 'authorization') {
    const parts = (headers.authorization ?? '').split(' ');
    return parts[0] === 'Bearer' && parts[1] ? parts[1] : null;
  }
  const value = headers[tokenHeader];
  return typeof value === 'string' && value ? value : null;
}

/** The middleware that authenticates a request; on success req.user and req.authInfo.scope are set. */
export function createAuthenticator(opts: { resolve: TokenResolver; users: UserDirectory; logger: Logger }): RequestHandler {
  const { resolve, users, logger } = opts;
  const instance = new (passport().Passport)();

  instance.use(
    'bearer',
    new (passportBearer().Strategy)((token, done) => {
      void resolve(token).then((grant) => {
        if (grant) return done(null, grant.user, { scope: grant.scope as string | string[] });
        logger.audit({ event: 'auth.invalid-token' });
        done(null, false);
      });
    }),
  );

  instance.use('tokens', {
    name: 'tokens',
    authenticate(this: StrategyThis, req: Request) {
      const token = headerToken(req.headers, users.tokenHeader);
      if (!token) return this.fail(401);
      void users.tokenUser(token).then((user) => (user ? this.success(user, { scope: user.permissions }) : this.fail(401)));
    },
  } as passportTypes.Strategy);

  instance.use('anon', {
    name: 'anon',
    authenticate(this: StrategyThis) {
      void users.defaultUser().then((anon) => (anon ? this.success(anon, { scope: anon.permissions }) : this.fail(401)));
    },
  } as passportTypes.Strategy);

  return instance.authenticate(['bearer', 'tokens', 'anon'], { session: false }) as RequestHandler;
}
