// The `http response` core node (COMPAT D7): answers the request of an `http in` message with the node's
// or the message's status, headers and cookies, and msg.payload encoded by its type (objects as JSON/JSONP).
import type { Response } from 'express';
import type { RED } from '../registry/red-types.js';
import type { Node, SendFn, DoneFn } from '../runtime/node.js';
import { REQUEST_NODE_HEADER, hashOf } from './http/headers-hash.js';
import { sendBody, sendJsonp } from './http/express-send.js';

type Msg = Record<string, any>;

interface HttpResponseNode extends Node {
  headers: Record<string, unknown>;
  statusCode: number;
}

/** The response headers: the node's own, then msg.headers for keys the node does not define (exact key). */
function responseHeaders(nodeHeaders: Record<string, unknown>, msg: Msg): Record<string, unknown> {
  const headers: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(nodeHeaders)) headers[k] = nodeHeaders[k];
  if (msg.headers && Object.hasOwn(msg.headers, REQUEST_NODE_HEADER)) {
    // left by http request: if the headers are still exactly what it received, they are upstream
    // response headers, not meant for this response
    const marker = msg.headers[REQUEST_NODE_HEADER];
    delete msg.headers[REQUEST_NODE_HEADER];
    if (hashOf(msg.headers) === marker) delete msg.headers;
  }
  if (msg.headers) {
    for (const k of Object.keys(msg.headers)) if (!(k in headers)) headers[k] = msg.headers[k];
  }
  return headers;
}

function setCookies(res: Response, cookies: Record<string, any>): void {
  for (const name of Object.keys(cookies)) {
    const c = cookies[name];
    if (c === null || c.value === null) {
      if (c !== null) res.clearCookie(name, c);
      else res.clearCookie(name);
    } else if (typeof c === 'object') {
      res.cookie(name, c.value, c);
    } else {
      res.cookie(name, c);
    }
  }
}

/** Byte length of a non-object payload; throws for types that cannot be sent (booleans: a Node-RED quirk). */
function payloadLength(payload: unknown): number {
  if (payload === null || payload === undefined) return 0;
  if (Buffer.isBuffer(payload)) return payload.length;
  if (typeof payload === 'number') return Buffer.byteLength(String(payload));
  return Buffer.byteLength(payload as string);
}

export default function register(RED: RED): void {
  function HttpResponse(this: HttpResponseNode, config: Record<string, any>) {
    RED.nodes.createNode(this, config as never);
    const node = this;
    node.headers = config.headers || {};
    node.statusCode = Number.parseInt(config.statusCode);

    node.on('input', (msg: Msg, _send: SendFn, done: DoneFn) => {
      if (!msg.res) {
        node.warn('No response object');
        done();
        return;
      }
      const res: Response = msg.res._res;
      const headers = responseHeaders(node.headers, msg);
      if (Object.keys(headers).length > 0) res.set(headers);
      if (msg.cookies) setCookies(res, msg.cookies);
      const statusCode = node.statusCode || Number.parseInt(msg.statusCode) || 200;
      const payload = msg.payload;
      // an Express response (always, from http in) is answered the way its jsonp/send would, but leaner
      const lean = res.app !== undefined;
      if (typeof payload === 'object' && !Buffer.isBuffer(payload)) {
        res.status(statusCode);
        if (lean) sendJsonp(res, payload);
        else res.jsonp(payload);
      } else {
        if (res.get('content-length') == null) res.set('content-length', String(payloadLength(payload)));
        if (typeof payload === 'number') msg.payload = String(payload);
        res.status(statusCode);
        if (lean) sendBody(res, msg.payload);
        else res.send(msg.payload);
      }
      done();
    });
  }

  RED.nodes.registerType('http response', HttpResponse);
}
