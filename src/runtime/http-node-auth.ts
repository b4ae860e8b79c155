// httpNodeAuth: HTTP basic auth over the whole httpNodeRoot ({user, pass} with a bcrypt or legacy md5 hash;
// OPTIONS requests pass), or the user's own middleware (a function or an array of them).
import crypto from 'node:crypto';
import { bcrypt } from './util/deps.js';
import type { RequestHandler } from 'express';

const CREDENTIALS = /^ *(?:[Bb][Aa][Ss][Ii][Cc]) +([A-Za-z0-9._~+/-]+=*) *$/;
const USER_PASS = /^([^:]*):(.*)$/;

/** `Authorization: Basic …` decoded, or undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { name: string; pass: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const m = CREDENTIALS.exec(header);
  if (!m) return undefined;
  const up = USER_PASS.exec(Buffer.from(m[1]!, 'base64').toString());
  return up ? { name: up[1]!, pass: up[2]! } : undefined;
}

/** A checker for one stored hash: 32 characters = hex md5 (legacy), anything else = bcrypt. */
function passwordChecker(hash: string): (plain: string) => boolean {
  if (hash.length === 32) {
    return (plain) => crypto.createHash('md5').update(plain, 'utf8').digest('hex') === hash;
  }
  return (plain) => {
    try { return bcrypt().compareSync(plain, hash); } catch { return false; }
  };
}

export function basicAuthMiddleware(user: string, pass: string): RequestHandler {
  const check = passwordChecker(String(pass));
  // the hash cannot change without a restart, so the last accepted password is remembered (bcrypt is slow)
  let accepted: string | undefined;
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const given = parseBasicAuth(req.headers.authorization);
    const ok = given !== undefined && given.name === user && (given.pass === accepted || (check(given.pass) && ((accepted = given.pass), true)));
    if (!ok) {
      res.set('WWW-Authenticate', 'Basic realm="Authorization Required"');
      res.sendStatus(401);
      return;
    }
    next();
  };
}

type AuthSetting = { user?: unknown; pass?: unknown } | RequestHandler | RequestHandler[] | undefined;

/** The middleware list for an httpNodeAuth setting (empty when unset). */
export function httpNodeAuthHandlers(setting: AuthSetting): RequestHandler[] {
  if (!setting) return [];
  if (typeof setting === 'function') return [setting];
  if (Array.isArray(setting)) return setting.flat(Infinity as 1).filter((h): h is RequestHandler => typeof h === 'function');
  if (typeof setting === 'object' && typeof setting.user === 'string' && typeof setting.pass === 'string') {
    return [basicAuthMiddleware(setting.user, setting.pass)];
  }
  return [];
}
