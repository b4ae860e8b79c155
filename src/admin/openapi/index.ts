// The OpenAPI 3.1 document of Crimson's Admin HTTP API, as GET <httpAdminRoot>/openapi.json answers it:
// assembled from one module per API area, for the settings of the running server (routes that a setting
// removes are left out). With adminAuth, operations that check a permission require a token (bearer, or the
// oauth2 password flow at /auth/token with the permission as scope) and public ones say `security: []`;
// without adminAuth the document has no security schemes and no security requirements: nothing needs a token.
import type { Settings } from '../../settings/types.js';
import { NODE_RED_VERSION } from '../../registry/red-api.js';
import type { Json, Paths } from './common.js';
import { apiContext, commonSchemas, error, json, operation } from './common.js';
import { authPaths, authSchemas } from './auth.js';
import { settingsPaths, settingsSchemas } from './settings.js';
import { diagnosticsPaths, diagnosticsSchemas } from './diagnostics.js';
import { flowsPaths, flowsSchemas } from './flows.js';
import { nodesPaths, nodesSchemas } from './nodes.js';
import { pluginsPaths } from './plugins.js';
import { contextPaths, contextSchemas } from './context.js';
import { libraryPaths, librarySchemas } from './library.js';
import { credentialsPaths } from './credentials.js';
import { clusterPaths, clusterSchemas } from './cluster.js';

/** The admin root as a server url: '/' or '/admin' (no trailing slash). */
export function adminServerUrl(settings: Settings): string {
  const root = settings.httpAdminRoot ?? settings.httpRoot;
  if (typeof root !== 'string') return '/';
  const trimmed = root.replace(/^\/?/, '/').replace(/\/+$/, '');
  return trimmed || '/';
}

export function openApiDocument(settings: Settings): Json {
  const ctx = apiContext(settings);
  const own: Paths = {
    '/openapi.json': {
      get: operation(ctx, {
        operationId: 'getOpenApi', tag: 'meta', summary: 'This document (public)',
        responses: { 200: json('The OpenAPI 3.1 document of the admin API', { type: 'object', required: ['openapi', 'paths'] }) },
      }),
    },
  };
  const paths: Paths = {
    ...authPaths(ctx), ...settingsPaths(ctx), ...diagnosticsPaths(ctx), ...flowsPaths(ctx), ...nodesPaths(ctx),
    ...pluginsPaths(ctx), ...contextPaths(ctx), ...libraryPaths(ctx), ...credentialsPaths(ctx), ...clusterPaths(ctx), ...own,
  };
  if (ctx.requireHttps) {
    // the redirect comes after /auth and this document (admin/index.ts), before every other route
    for (const [path, item] of Object.entries(paths)) {
      if (path.startsWith('/auth/') || path === '/openapi.json') continue;
      for (const op of Object.values(item)) {
        if (typeof op === 'object') (op.responses as Json)['302'] = { description: 'requireHttps: a plain http request is redirected to https', headers: { Location: { schema: { type: 'string' } } }, content: { 'text/plain': { schema: { type: 'string' } } } };
      }
    }
  }
  if (ctx.cluster) {
    // an instance of a cluster that cannot reach Redis refuses every write of the API (admin/index.ts)
    for (const [path, item] of Object.entries(paths)) {
      if (path.startsWith('/auth/') || path === '/openapi.json') continue;
      for (const [method, op] of Object.entries(item)) {
        if (method !== 'get' && typeof op === 'object') (op.responses as Json)['503'] = error('The cluster cannot reach Redis (cluster_unavailable)');
      }
    }
  }
  const components: Json = {
    schemas: {
      ...commonSchemas, ...authSchemas, ...settingsSchemas, ...diagnosticsSchemas, ...flowsSchemas,
      ...nodesSchemas, ...contextSchemas, ...librarySchemas, ...(ctx.cluster ? clusterSchemas : {}),
    },
  };
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Crimson Admin HTTP API',
      version: NODE_RED_VERSION,
      description: "Node-RED's Admin HTTP API as Crimson serves it (info.version is the Node-RED version it answers as). " +
        'Path parameters marked x-crimson-pattern may hold slashes (a scoped module @scope/name, a context key, a library path). ' +
        (ctx.auth ? 'adminAuth is on: operations with x-permission need a token.' : 'adminAuth is off: no operation needs a token.'),
    },
    servers: [{ url: adminServerUrl(settings) }],
    tags: ['auth', 'settings', 'diagnostics', 'flows', 'nodes', 'plugins', 'context', 'library', 'credentials', ...(ctx.cluster ? ['cluster'] : []), 'meta'].map((name) => ({ name })),
    paths,
    components,
  };
  if (ctx.auth) {
    const server = adminServerUrl(settings);
    components.securitySchemes = {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'A login token from /auth/token, or a personal access token (crpat_…)' },
      oauth2: {
        type: 'oauth2',
        description: 'Password grant; client_id node-red-admin (or node-red-editor), no secret',
        flows: { password: { tokenUrl: `${server === '/' ? '' : server}/auth/token`, scopes: scopesOf(paths) } },
      },
    };
  }
  return doc;
}

/** The oauth2 scopes: "*", "read", "write" and every permission an operation checks. */
function scopesOf(paths: Paths): Record<string, string> {
  const scopes: Record<string, string> = { '*': 'Everything', read: 'Every *.read permission', write: 'Every *.write permission' };
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const p = typeof op === 'object' ? op['x-permission'] : undefined;
      if (typeof p === 'string' && p) scopes[p] = `The ${p} permission`;
    }
  }
  return scopes;
}
