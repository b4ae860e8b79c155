// req.cookies / req.signedCookies for `http in` routes, as cookie-parser sets them, parsed when a flow
// first reads them rather than on every request (most flows never look). The properties are there from
// the start, in cookie-parser's order (secret, cookies, signedCookies), and become plain values once read
// or assigned.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { cookieParser } from '../../runtime/util/deps.js';

export function lazyCookieParser(): RequestHandler {
  const parse = cookieParser();
  const settle = (req: Request, key: 'cookies' | 'signedCookies', value: unknown) =>
    Object.defineProperty(req, key, { value, writable: true, enumerable: true, configurable: true });
  const materialize = (req: Request) => {
    const scratch = { headers: req.headers } as unknown as Request;
    parse(scratch, undefined as unknown as Response, () => {});
    settle(req, 'cookies', scratch.cookies);
    settle(req, 'signedCookies', scratch.signedCookies);
  };
  const lazy = (key: 'cookies' | 'signedCookies'): PropertyDescriptor => ({
    enumerable: true,
    configurable: true,
    get(this: Request) { materialize(this); return this[key]; },
    set(this: Request, v: unknown) { settle(this, key, v); },
  });
  const cookies = lazy('cookies');
  const signed = lazy('signedCookies');
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.cookies) { next(); return; }
    (req as { secret?: string }).secret = undefined;
    Object.defineProperty(req, 'cookies', cookies);
    Object.defineProperty(req, 'signedCookies', signed);
    next();
  };
}
