// Shared pieces of the OpenAPI document (openapi/index.ts): the context a document is built for, the
// builders of operations and answers, and the schemas every area uses (the {code, message} error).
import type { Settings } from '../../settings/types.js';

export type Json = Record<string, unknown>;
/** One path item: method (get, post, put, delete) → operation; `x-crimson-path-pattern` → the route's regex source. */
export type PathItem = Record<string, Json | string>;
export type Paths = Record<string, PathItem>;

/** What in the settings changes which routes exist and whether they need a token. */
export interface ApiContext {
  /** adminAuth is set: operations with a permission need a token (401 without). */
  auth: boolean;
  /** adminAuth.type is "credentials": POST /auth/token exists. */
  tokenEndpoint: boolean;
  /** The editor is enabled: /settings/user, /icons and /locales exist. */
  editor: boolean;
  /** runtimeState.enabled: POST /flows/state exists. */
  runtimeState: boolean;
  /** externalModules.palette.allowInstall is not false: POST /nodes and DELETE /nodes/{module} exist. */
  install: boolean;
  /** requireHttps (with the editor): a plain http request past /auth is redirected to https (302). */
  requireHttps: boolean;
  /** settings.cluster: GET /cluster exists. */
  cluster: boolean;
}

export function apiContext(settings: Settings): ApiContext {
  const palette = (settings.externalModules as { palette?: { allowInstall?: unknown } } | undefined)?.palette;
  return {
    auth: !!settings.adminAuth,
    tokenEndpoint: (settings.adminAuth as { type?: unknown } | undefined)?.type === 'credentials',
    editor: !settings.disableEditor,
    runtimeState: (settings.runtimeState as { enabled?: unknown } | undefined)?.enabled === true,
    install: palette?.allowInstall !== false,
    requireHttps: settings.requireHttps === true && !settings.disableEditor,
    cluster: typeof (settings.cluster as { url?: unknown } | undefined)?.url === 'string' && !!settings.cluster?.url,
  };
}

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
export const json = (description: string, schema: Json): Json => ({ description, content: { 'application/json': { schema } } });
export const error = (description: string): Json => json(description, ref('Error'));
export const empty = (description: string): Json => ({ description });
export const text = (description: string, type = 'text/plain'): Json => ({ description, content: { [type]: { schema: { type: 'string' } } } });

export const pathParam = (name: string, description: string, schema: Json = { type: 'string' }): Json =>
  ({ name, in: 'path', required: true, description, schema });
export const queryParam = (name: string, description: string, schema: Json = { type: 'string' }): Json =>
  ({ name, in: 'query', required: false, description, schema });
export const headerParam = (name: string, description: string, schema: Json): Json =>
  ({ name, in: 'header', required: false, description, schema });

/** `Accept: application/json` picks the JSON answer of /nodes, /plugins and their sets; anything else the HTML. */
export const acceptParam = headerParam('Accept', 'application/json for the JSON answer; anything else answers the editor HTML', { type: 'string' });

export const jsonBody = (schema: Json, description?: string): Json =>
  ({ required: true, ...(description ? { description } : {}), content: { 'application/json': { schema } } });

interface OperationSpec {
  operationId: string;
  summary: string;
  tag: string;
  /** The permission the route checks (needsPermission); absent for a public route. */
  permission?: string;
  description?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

/**
 * An operation. With adminAuth, one that checks a permission lists its security (bearer, or the oauth2
 * password flow with the permission as scope) and its 401 (no or bad token: "Unauthorized"; a token without
 * the permission: no body); a public one has `security: []`. Without adminAuth no operation has security.
 * An operation with a JSON body also answers a body that does not parse (400) or is too large (413).
 */
export function operation(ctx: ApiContext, spec: OperationSpec): Json {
  const responses: Record<string, Json> = { ...spec.responses };
  if (spec.requestBody) {
    responses['400'] ??= error('The body does not parse, or the request is invalid');
    responses['413'] ??= error('The body is larger than apiMaxLength (code request_too_large)');
  }
  const op: Json = { operationId: spec.operationId, summary: spec.summary, tags: [spec.tag] };
  if (spec.description) op.description = spec.description;
  if (spec.parameters?.length) op.parameters = spec.parameters;
  if (spec.requestBody) op.requestBody = spec.requestBody;
  if (ctx.auth) {
    if (spec.permission !== undefined) {
      const scope = spec.permission ? [spec.permission] : [];
      op.security = [{ bearerAuth: [] }, { oauth2: scope }];
      op['x-permission'] = spec.permission;
      responses['401'] ??= text('No valid token ("Unauthorized"), or the token lacks the permission (no body)');
      responses['400'] ??= text('A malformed Authorization header ("Bad Request")');
    } else op.security = [];
  }
  op.responses = responses;
  return op;
}

/** The schemas of the components section every area refers to. */
export const commonSchemas: Record<string, Json> = {
  Error: {
    type: 'object',
    description: "Node-RED's error answer. A few installer errors carry a numeric code (404).",
    required: ['code', 'message'],
    properties: { code: { type: ['string', 'integer'] }, message: { type: 'string' } },
  },
  Node: {
    type: 'object',
    description: 'A node of the flow configuration, as flows.json holds it (any further properties are the node type\'s).',
    properties: { id: { type: 'string' }, type: { type: 'string' }, z: { type: 'string' }, name: { type: 'string' }, wires: { type: 'array' } },
    additionalProperties: true,
  },
  Catalog: { type: 'object', description: 'A message catalogue (i18next resources).', additionalProperties: true },
};
