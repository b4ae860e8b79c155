// req.cookies / req.signedCookies for `http in` routes, as cookie-parser makes them, parsed when a flow
// first reads them rather than on every request (most flows never look): accessors on the node app's
// request prototype, which put the parsed values on the request itself on first read (or on assignment).
import type { Request, Response } from 'express';
import { cookieParser } from '../../runtime/util/deps.js';

type CookieKey = 'cookies' | 'signedCookies';

export function installLazyCookies(proto: object): void {
  if (Object.prototype.hasOwnProperty.call(proto, 'cookies')) return;
  const parse = cookieParser();
  const settle = (req: object, key: CookieKey, value: unknown) =>
    Object.defineProperty(req, key, { value, writable: true, enumerable: true, configurable: true });
  const materialize = (req: Request) => {
    const scratch = { headers: req.headers } as unknown as Request;
    parse(scratch, undefined as unknown as Response, () => {});
    settle(req, 'cookies', scratch.cookies);
    settle(req, 'signedCookies', scratch.signedCookies);
  };
  for (const key of ['cookies', 'signedCookies'] as const) {
    Object.defineProperty(proto, key, {
      configurable: true,
      enumerable: false,
      get(this: Request) {
        if (this === proto || !this.headers) return undefined;
        materialize(this);
        return this[key];
      },
      set(this: Request, v: unknown) { settle(this, key, v); },
    });
  }
}
