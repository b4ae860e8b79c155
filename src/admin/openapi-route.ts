// GET <httpAdminRoot>/openapi.json: the OpenAPI 3.1 document of the admin API (openapi/index.ts) for this
// server's settings, readable without a token (as /auth/login). Built on the first request, then kept.
import type { RequestHandler } from 'express';
import type { Settings } from '../settings/types.js';
import { openApiDocument } from './openapi/index.js';

export function openApiRoute(settings: Settings): RequestHandler {
  let body: string | undefined;
  return (_req, res) => {
    body ??= JSON.stringify(openApiDocument(settings));
    res.type('application/json').send(body);
  };
}
