// Crimson's personal access tokens API, mounted at <httpAdminRoot>/auth/tokens with adminAuth only:
// POST / creates one (201, the only answer ever to hold its value), GET / lists them, DELETE /:id revokes
// one. Listing needs tokens.read, creating and revoking tokens.write (both in "*"; "read" and "write"
// give one each). Each user sees and revokes their own; a login whose user and scope both grant "*" sees
// and revokes everyone's. A new token's scope must be within both the caller's user permissions and the
// scope of the login or token making the call, so no token carries more than its owner, nor more than the
// token that made it. The anonymous user owns no tokens (401).
import type { Request, RequestHandler, Response, Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { Logger } from '../runtime/logger.js';
import { apiError } from '../errors.js';
import { hasPermission } from '../auth/permissions.js';
import type { AccessToken, AccessTokenStore } from '../auth/access-tokens.js';
import type { PublicUser, UserDirectory } from '../auth/users.js';
import { sendError } from './deps.js';
import { parseTokenRequest } from './access-token-input.js';

export interface AccessTokensRouterOptions {
  store: AccessTokenStore;
  users: Pick<UserDirectory, 'get'>;
  needsPermission(permission: string): RequestHandler;
  /** settings.accessTokens.maxPerUser */
  maxPerUser: number;
  logger: Logger;
}

/** A token as GET and POST show it: times as ISO strings, null for no expiry / not used yet. */
export function tokenView(t: AccessToken): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    user: t.user,
    scope: t.scope,
    created: new Date(t.created).toISOString(),
    expires: t.expires === undefined ? null : new Date(t.expires).toISOString(),
    lastUsed: t.lastUsed === undefined ? null : new Date(t.lastUsed).toISOString(),
  };
}

interface Caller {
  username: string;
  /** The user's permissions as this request has them (an access token's: already narrowed to its scope). */
  permissions: unknown;
  /** The scope of the login or access token making the request. */
  scope: unknown;
  /** May see and revoke every user's tokens. */
  admin: boolean;
}

/** The named user making the request, or null (anonymous / no user). */
function callerOf(req: Request): Caller | null {
  const user = req.user as PublicUser | undefined;
  if (!user || user.anonymous || typeof user.username !== 'string' || !user.username) return null;
  const scope = (req.authInfo as { scope?: unknown } | undefined)?.scope;
  const admin = hasPermission(user.permissions, '*') && hasPermission(scope, '*');
  return { username: user.username, permissions: user.permissions, scope, admin };
}

export function accessTokensRouter(opts: AccessTokensRouterOptions): Router {
  const { store, users, logger } = opts;
  const router = express.Router();

  /** Runs the handler for a named caller; anyone else gets the bare 401 of a missing permission. */
  const named = (handler: (req: Request, res: Response, caller: Caller) => Promise<void>): RequestHandler => (req, res) => {
    const caller = callerOf(req);
    if (!caller) {
      logger.audit({ event: 'auth.access-token.fail', error: 'no_user' }, req as never);
      res.status(401).end();
      return;
    }
    handler(req, res, caller).catch((err: unknown) => sendError(res, err, logger));
  };

  router.get('/', opts.needsPermission('tokens.read'), named(async (req, res, caller) => {
    const tokens = await store.list(caller.admin ? undefined : caller.username);
    logger.audit({ event: 'auth.access-token.list' }, req as never);
    res.json({ tokens: tokens.map(tokenView) });
  }));

  router.post('/', opts.needsPermission('tokens.write'), named(async (req, res, caller) => {
    const request = parseTokenRequest(req.body, Date.now());
    // the owner as adminAuth knows them now: a token is only ever resolved through them
    const owner = await users.get(caller.username);
    if (!owner) throw apiError('forbidden', 'Only users of adminAuth.users can hold access tokens');
    const within = (granted: unknown) => hasPermission(granted, request.scope);
    if (!within(owner.permissions) || !within(caller.permissions) || !within(caller.scope)) {
      throw apiError('invalid_request', 'scope must be within the permissions of the login or token making the request');
    }
    const created = await store.create({ user: caller.username, ...request }, opts.maxPerUser);
    if (!created) {
      throw apiError('invalid_request', `Too many access tokens: a user may hold ${opts.maxPerUser} at most; revoke one first`);
    }
    logger.audit({ event: 'auth.access-token.create', id: created.token.id, scope: created.token.scope }, req as never);
    res.status(201).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({ ...tokenView(created.token), token: created.value });
  }));

  router.delete('/:id', opts.needsPermission('tokens.write'), named(async (req, res, caller) => {
    const token = await store.get(req.params.id);
    // someone else's token is as unknown as a missing one
    if (!token || (token.user !== caller.username && !caller.admin)) throw apiError('not_found', 'Access token not found');
    await store.revoke(token.id);
    logger.audit({ event: 'auth.access-token.revoke', id: token.id, owner: token.user }, req as never);
    res.status(204).end();
  }));

  return router;
}
