// The /auth router of the admin API (COMPAT A1.1-A1.3): GET /login, POST /token, POST /revoke, and
// Crimson's personal access tokens under /tokens (access-tokens.ts). Without adminAuth only /login exists
// (the others answer as unknown routes); /token exists only for type "credentials" (else 404).
import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminAuthSettings, Settings } from '../settings/types.js';
import type { Logger } from '../runtime/logger.js';
import { loginResponse } from '../auth/login.js';

export interface AuthRouterOptions {
  settings: Settings;
  /** adminAuth merged with adminAuth.module, or undefined when admin auth is off. */
  adminAuth: AdminAuthSettings | undefined;
  /** The POST /token chain (client check, oauth2 token, oauth2 error handler). */
  tokenEndpoint: Array<RequestHandler | ErrorRequestHandler>;
  needsPermission(permission: string): RequestHandler;
  revoke(token: unknown): Promise<void>;
  /** GET / POST /tokens, DELETE /tokens/:id; mounted only with adminAuth. */
  accessTokens: Router;
  logger: Logger;
}

export function createAuthRouter(opts: AuthRouterOptions): Router {
  const { settings, adminAuth, logger } = opts;
  const router = express.Router();

  router.get('/login', (_req, res) => {
    res.json(loginResponse(settings, adminAuth));
  });

  if (adminAuth) {
    // Node-RED decides on the un-merged setting's type.
    if (settings.adminAuth?.type === 'credentials') router.post('/token', ...opts.tokenEndpoint);

    router.post('/revoke', opts.needsPermission(''), (req, res, next) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      opts.revoke(body.token).then(
        () => {
          logger.audit({ event: 'auth.login.revoke' }, req as never);
          const logout = (settings.editorTheme as { logout?: { redirect?: unknown } } | undefined)?.logout;
          if (logout?.redirect) res.json({ redirect: logout.redirect });
          else res.status(200).end();
        },
        next,
      );
    });

    router.use('/tokens', opts.accessTokens);
  }
  return router;
}
