// `msg.res` of an `http in` message: `{_res: <Express response>}` plus Express's response helpers, each of
// which still works but warns "Deprecated call to msg.res.<name>" on the node (flows should use http response).
import type { Response } from 'express';

/** Express response methods Node-RED exposes on msg.res, in its key order. */
export const WRAPPED_RESPONSE_METHODS = [
  'append', 'attachment', 'cookie', 'clearCookie', 'download', 'end', 'format', 'get', 'json', 'jsonp',
  'links', 'location', 'redirect', 'render', 'send', 'sendfile', 'sendFile', 'sendStatus', 'set', 'status',
  'type', 'vary',
] as const;

type MethodName = (typeof WRAPPED_RESPONSE_METHODS)[number];
interface Warner { warn(m: unknown): void }

/** The object on msg.res: `_res` and the helpers as own enumerable keys (Node-RED's), its node kept private. */
class ResponseWrapper {
  readonly #owner: Warner;
  _res: Response;
  [name: string]: unknown;
  constructor(res: Response, owner: Warner) {
    this._res = res;
    this.#owner = owner;
    for (let i = 0; i < HELPERS.length; i++) this[HELPERS[i]![0]] = HELPERS[i]![1];
  }
  static ownerOf(w: ResponseWrapper): Warner { return w.#owner; }
}

export type WrappedResponse = ResponseWrapper & { [K in MethodName]: (...args: unknown[]) => unknown };

// One function per helper, shared by every wrapper (they find their response through `this`), so a
// request costs one object, not 22 closures.
const HELPERS: Array<[MethodName, (this: ResponseWrapper, ...args: unknown[]) => unknown]> = WRAPPED_RESPONSE_METHODS.map((name) => [
  name,
  function (this: ResponseWrapper, ...args: unknown[]) {
    ResponseWrapper.ownerOf(this).warn(`Deprecated call to msg.res.${name}`);
    const res = this._res as unknown as Record<string, (...a: unknown[]) => unknown>;
    const result = res[name]!.apply(res, args);
    return result === res ? this : result;
  },
]);

export function wrapResponse(node: Warner, res: Response): WrappedResponse {
  return new ResponseWrapper(res, node) as WrappedResponse;
}
