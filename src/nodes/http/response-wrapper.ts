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

const OWNER = Symbol('crimson.responseOwner');

export type WrappedResponse = { _res: Response; [OWNER]: Warner } & { [K in MethodName]: (...args: unknown[]) => unknown };

// One function per helper, shared by every wrapper (they find their response through `this`), so a
// request costs one object, not 22 closures; they are own enumerable keys as in Node-RED.
const HELPERS: Array<[MethodName, (this: WrappedResponse, ...args: unknown[]) => unknown]> = WRAPPED_RESPONSE_METHODS.map((name) => [
  name,
  function (this: WrappedResponse, ...args: unknown[]) {
    this[OWNER].warn(`Deprecated call to msg.res.${name}`);
    const res = this._res as unknown as Record<string, (...a: unknown[]) => unknown>;
    const result = res[name]!.apply(res, args);
    return result === res ? this : result;
  },
]);

export function wrapResponse(node: Warner, res: Response): WrappedResponse {
  const wrapper: Record<string | symbol, unknown> = { _res: res };
  Object.defineProperty(wrapper, OWNER, { value: node, enumerable: false });
  for (let i = 0; i < HELPERS.length; i++) wrapper[HELPERS[i]![0]] = HELPERS[i]![1];
  return wrapper as unknown as WrappedResponse;
}
