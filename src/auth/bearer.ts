// Request authentication (COMPAT A1.4) on a private passport instance: bearer token (tokens list, then
// sessions), the adminAuth.tokens() function, then the anonymous default user. First success wins.
import type passportTypes from 'passport';
import { passport, passportBearer } from '../runtime/util/deps.js';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../runtime/logger.js';
import type { AdminAuthSettings, Permission } from '../settings/types.js';
import type { SessionStore } from './sessions.js';
import type { PublicUser, UserDirectory } from './users.js';

/** Who a token belongs to and what it may do. */
export interface TokenGrant {
  user: PublicUser;
  scope: Permission | undefined;
}

export type TokenResolver = (token: unknown) => Promise<TokenGrant | null>;

type StrategyThis = passportTypes.StrategyCreated<passportTypes.Strategy>;

/** Looks a bearer token up in the fixed adminAuth.tokens list, then in the sessions. Never rejects. */
export function createTokenResolver(opts: { config: AdminAuthSettings; sessions: SessionStore; users: UserDirectory; logger: Logger }): TokenResolver {
  const fixed = new Map<string, { user: string; scope: Permission | undefined }>();
  if (Array.isArray(opts.config.tokens)) {
    for (const t of opts.config.tokens) {
      if (t && typeof t.token === 'string' && typeof t.user === 'string') fixed.set(t.token, { user: t.user, scope: t.scope });
    }
  }
  return async (token) => {
    if (typeof token !== 'string' || !token) return null;
    try {
      const entry = fixed.get(token) ?? (await opts.sessions.get(token));
      if (!entry) return null;
      const user = await opts.users.get(entry.user);
      return user ? { user, scope: entry.scope } : null;
    } catch (err) {
      opts.logger.warn(`Token lookup failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };
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
