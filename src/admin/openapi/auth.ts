// OpenAPI paths of /auth (admin/auth.ts, admin/access-tokens.ts): login form, OAuth2 token and revoke,
// Crimson's personal access tokens. Only GET /auth/login exists without adminAuth.
import type { ApiContext, Json, Paths } from './common.js';
import { empty, error, json, jsonBody, operation, pathParam, ref, text } from './common.js';

const TAG = 'auth';

export const authSchemas: Record<string, Json> = {
  LoginForm: {
    type: 'object',
    description: 'The login form the editor shows: {} without adminAuth.',
    properties: {
      type: { type: 'string', enum: ['credentials', 'strategy'] },
      prompts: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, label: { type: 'string' }, url: { type: 'string' }, icon: { type: 'string' }, image: { type: ['string', 'null'] } } } },
      autoLogin: { type: 'boolean' },
      loginRedirect: { type: 'string' },
      image: { type: 'string' },
      loginMessage: { type: 'string' },
    },
  },
  TokenRequest: {
    type: 'object',
    required: ['client_id', 'grant_type', 'username', 'password'],
    properties: {
      client_id: { type: 'string', enum: ['node-red-admin', 'node-red-editor'] },
      client_secret: { type: 'string', description: 'not_available, or absent' },
      grant_type: { type: 'string', const: 'password' },
      scope: { type: 'string', description: '"*", "read", a permission or a space-separated list; "" asks for the user\'s own permissions' },
      username: { type: 'string' },
      password: { type: 'string' },
    },
  },
  Token: {
    type: 'object',
    required: ['access_token', 'token_type'],
    properties: { access_token: { type: 'string' }, expires_in: { type: 'integer' }, token_type: { type: 'string', const: 'Bearer' } },
  },
  OAuthError: {
    type: 'object',
    description: "oauth2orize's error answer",
    required: ['error'],
    properties: { error: { type: 'string' }, error_description: { type: 'string' }, error_uri: { type: 'string' } },
  },
  AccessToken: {
    type: 'object',
    required: ['id', 'name', 'user', 'scope', 'created', 'expires', 'lastUsed'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      scope: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      created: { type: 'string', format: 'date-time' },
      expires: { type: ['string', 'null'], format: 'date-time' },
      lastUsed: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  AccessTokenRequest: {
    type: 'object',
    required: ['name', 'scope'],
    properties: {
      name: { type: 'string' },
      scope: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      expiresIn: { type: 'integer', minimum: 1, description: 'seconds' },
      expiresAt: { type: 'string', format: 'date-time' },
    },
  },
};

const tokenValue = {
  allOf: [ref('AccessToken')],
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', pattern: '^crpat_' } },
};

export function authPaths(ctx: ApiContext): Paths {
  const paths: Paths = {
    '/auth/login': {
      get: operation(ctx, {
        operationId: 'getLogin', tag: TAG, summary: 'The login form the editor shows',
        responses: { 200: json('The form ({} without adminAuth)', ref('LoginForm')) },
      }),
    },
  };
  if (!ctx.auth) return paths;
  if (ctx.tokenEndpoint) {
    paths['/auth/token'] = {
      post: operation(ctx, {
        operationId: 'createToken', tag: TAG, summary: 'Log in: an access token for a user (OAuth2 password grant)',
        requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest') }, 'application/json': { schema: ref('TokenRequest') } } },
        responses: {
          200: json('The token', ref('Token')),
          400: json('A bad request: unsupported grant or missing username (OAuthError), or a body that does not parse (Error, invalid_request)', { anyOf: [ref('OAuthError'), ref('Error')] }),
          401: text('An unknown client ("Unauthorized")'),
          403: json('Wrong username, password or scope (invalid_grant)', ref('OAuthError')),
          500: json('Too many login attempts, or the users function failed (server_error)', ref('OAuthError')),
          501: json('Another grant type (unsupported_grant_type)', ref('OAuthError')),
        },
      }),
    };
  }
  paths['/auth/revoke'] = {
    post: operation(ctx, {
      operationId: 'revokeToken', tag: TAG, summary: 'Log out: revoke a login token', permission: '',
      requestBody: jsonBody({ type: 'object', properties: { token: { type: 'string' } } }),
      responses: {
        200: { description: 'Revoked; with editorTheme.logout.redirect the url to go to', content: { 'application/json': { schema: { type: 'object', properties: { redirect: { type: 'string' } } } } } },
      },
    }),
  };
  paths['/auth/tokens'] = {
    get: operation(ctx, {
      operationId: 'listAccessTokens', tag: TAG, summary: "The caller's personal access tokens (everyone's for a \"*\" admin)", permission: 'tokens.read',
      responses: {
        200: json('The tokens, without their values', { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: ref('AccessToken') } } }),
        403: error('A user adminAuth.users does not know (forbidden)'),
      },
    }),
    post: operation(ctx, {
      operationId: 'createAccessToken', tag: TAG, summary: 'Create a personal access token', permission: 'tokens.write',
      requestBody: jsonBody(ref('AccessTokenRequest'), 'expiresIn or expiresAt, or neither for a token that does not expire'),
      responses: {
        201: json('The token, with its value (the only answer that holds it)', tokenValue),
        400: error('Bad name, scope or expiry, a scope wider than allowed, too many tokens (invalid_request)'),
        403: error('A user adminAuth.users does not know (forbidden)'),
      },
    }),
  };
  paths['/auth/tokens/{id}'] = {
    delete: operation(ctx, {
      operationId: 'revokeAccessToken', tag: TAG, summary: 'Revoke a personal access token', permission: 'tokens.write',
      parameters: [pathParam('id', 'The token id')],
      responses: { 204: empty('Revoked'), 404: error('No such token of the caller (not_found)') },
    }),
  };
  return paths;
}
