// The request and response classes a runtime's server creates. Express gives every request its app's
// prototypes with Object.setPrototypeOf (expressInit), and V8 pays for that on every object it is done
// to: a plain Node server answering the W2 POST fell from ~23,000 to ~9,000 req/s with only that change,
// and its young generation no longer emptied at each scavenge. These classes inherit from the node app's
// Express prototypes from the start, so a request the node app serves by its short way keeps the
// prototype it was made with; the full Express way still sets (and restores) the prototypes it always did.
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Application } from 'express';

export interface ServerObjects {
  /** What http(s).createServer takes to make requests and responses of these classes. */
  options: { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse<any> };
  /** Makes every request and response made from now on inherit from `app`'s (Express's) own. */
  inheritFrom(app: Application): void;
}

/** Classes of its own for each server: two runtimes in one process each inherit from their own app. */
export function createServerObjects(): ServerObjects {
  class RuntimeRequest extends IncomingMessage {}
  class RuntimeResponse extends ServerResponse {}
  return {
    options: { IncomingMessage: RuntimeRequest, ServerResponse: RuntimeResponse },
    inheritFrom(app) {
      const protos = app as unknown as { request: object; response: object };
      Object.setPrototypeOf(RuntimeRequest.prototype, protos.request);
      Object.setPrototypeOf(RuntimeResponse.prototype, protos.response);
    },
  };
}

/** Gives `obj` the prototype `proto` unless it inherits from it already. */
export function ensurePrototype(obj: object, proto: object): void {
  if (!Object.prototype.isPrototypeOf.call(proto, obj)) Object.setPrototypeOf(obj, proto);
}
