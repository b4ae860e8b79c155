// POST /auth/token (COMPAT A1.2): client check, then an oauth2orize server with the password grant,
// throttled per username and client address; answers and errors in oauth2orize's JSON shapes.
import type oauth2orizeTypes from 'oauth2orize';
import { oauth2orize } from '../runtime/util/deps.js';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../runtime/logger.js';
import type { Permission } from '../settings/types.js';
import { hasPermission } from './permissions.js';
import { clientAddressResolver } from './client-address.js';
import type { SessionStore } from './sessions.js';
import { TOO_MANY_ATTEMPTS, type LoginThrottle } from './throttle.js';
import type { UserDirectory } from './users.js';

export interface OAuthClient {
  id: string;
  secret: string;
}

/** The only two clients Node-RED knows; both use the secret "not_available". */
export const CLIENTS: readonly OAuthClient[] = [
  { id: 'node-red-editor', secret: 'not_available' },
  { id: 'node-red-admin', secret: 'not_available' },
];

/** The client of one token request, with the address the request came from (what the throttle counts by). */
interface RequestClient extends OAuthClient {
  address: string;
}

const CLIENT_PROPERTY = 'oauthClient';

/** Authenticates the oauth client from the body (a missing secret counts as "not_available"); else 401. */
function clientAuthentication(logger: Logger, addressOf: (req: Request) => string): RequestHandler {
  return (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const id = body.client_id;
    const secret = body.client_secret || 'not_available';
    const client = CLIENTS.find((c) => c.id === id && c.secret === secret);
    if (!client) {
      if (id) logger.audit({ event: 'auth.invalid-client', client: typeof id === 'string' ? id : undefined });
      res.statusCode = 401;
      res.end('Unauthorized');
      return;
    }
    const requestClient: RequestClient = { ...client, address: addressOf(req) };
    (req as unknown as Record<string, unknown>)[CLIENT_PROPERTY] = requestClient;
    next();
  };
}

/** The middleware chain of POST /auth/token. */
export function createTokenEndpoint(opts: {
  users: UserDirectory;
  sessions: SessionStore;
  throttle: LoginThrottle;
  logger: Logger;
  /** The client address of a request (client-address.ts); the socket's when not given. */
  clientAddress?: (req: Request) => string;
}): Array<RequestHandler | ErrorRequestHandler> {
  const { users, sessions, throttle, logger } = opts;
  const addressOf = opts.clientAddress ?? clientAddressResolver(undefined);
  const server = oauth2orize().createServer<RequestClient>();

  // oauth2orize picks the call form by arity: these five parameters give (client, user, pass, scope, done).
  const issue = (
    client: RequestClient,
    username: string,
    password: string,
    requested: string[],
    done: oauth2orizeTypes.ExchangeDoneFunction,
  ) => {
    // a username that is not a string (an object or array from the body) matches no user: invalid_grant
    const valid = typeof username === 'string';
    const name = valid ? username : '';
    const allowed = throttle.attempt(name, client.address);
    const go = (ok: boolean) => {
      if (!ok) {
        logger.audit({ event: 'auth.login.fail.too-many-attempts', username: name, client: client.id });
        return done(new Error(TOO_MANY_ATTEMPTS));
      }
      void grant(client, name, valid ? password : undefined, requested as unknown).then(
        (result) => (result ? done(null, result.token, undefined, result.params) : done(null, false)),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    };
    // a cluster's throttle answers from Redis; one process's answers at once
    if (typeof allowed === 'boolean') go(allowed);
    else allowed.then(go, (err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
  };

  async function grant(client: RequestClient, username: string, password: unknown, requested: unknown) {
    const user = typeof password === 'string' ? await users.authenticate(username, password) : null;
    if (!user) {
      logger.audit({ event: 'auth.login.fail.credentials', username, client: client.id, scope: requested });
      return null;
    }
    // scope "" asks for the user's own permissions; an absent scope yields a token that grants nothing.
    const scope = (requested === '' ? user.permissions : requested) as Permission | undefined;
    if (!hasPermission(user.permissions, scope)) {
      logger.audit({ event: 'auth.login.fail.permissions', username, client: client.id, scope });
      return null;
    }
    await throttle.clear(username, client.address);
    if (typeof user.token === 'string' && user.token) return { token: user.token, params: undefined };
    const created = await sessions.create(username, client.id, scope);
    logger.audit({ event: 'auth.login', username, client: client.id, scope });
    return { token: created.accessToken, params: { expires_in: created.expiresIn } };
  }

  server.exchange(oauth2orize().exchange.password({ userProperty: CLIENT_PROPERTY }, issue));

  const errorHandler = server.errorHandler();
  return [
    clientAuthentication(logger, addressOf),
    server.token() as unknown as RequestHandler,
    ((err, req: Request, res, next) => errorHandler(err, req as never, res, next)) as ErrorRequestHandler,
  ];
}
