// OpenAPI paths of /plugins (admin/plugins.ts): plugin sets as JSON or editor HTML, their catalogues,
// a module's info and one set.
import type { ApiContext, Paths } from './common.js';
import { acceptParam, error, json, operation, pathParam, queryParam, ref } from './common.js';
import { moduleParam } from './nodes.js';

const TAG = 'plugins';

export function pluginsPaths(ctx: ApiContext): Paths {
  const read = 'plugins.read';
  return {
    '/plugins': {
      get: operation(ctx, {
        operationId: 'getPlugins', tag: TAG, summary: 'The plugin sets (Accept: application/json) or their editor HTML', permission: read,
        parameters: [acceptParam],
        responses: { 200: { description: 'The sets, or their HTML', content: { 'application/json': { schema: { type: 'array', items: ref('PluginSet') } }, 'text/html': { schema: { type: 'string' } } } } },
      }),
    },
    '/plugins/messages': {
      get: operation(ctx, {
        operationId: 'getPluginCatalogs', tag: TAG, summary: 'The message catalogues of the plugin sets, by set id', permission: read,
        parameters: [queryParam('lng', 'The language; required as soon as there is a plugin set')],
        responses: { 200: json('Catalogues by set id', { type: 'object', additionalProperties: ref('Catalog') }), 400: error('No lng given (unexpected_error)') },
      }),
    },
    '/plugins/{module}': {
      get: operation(ctx, {
        operationId: 'getPluginModule', tag: TAG, summary: "A module's info (as GET /nodes/{module})", permission: read,
        parameters: [moduleParam],
        responses: { 200: json('The module', ref('Module')), 404: error('No such module (not_found)') },
      }),
    },
    '/plugins/{module}/{set}': {
      get: operation(ctx, {
        operationId: 'getPluginSet', tag: TAG, summary: 'A plugin set (Accept: application/json) or its editor HTML', permission: read,
        parameters: [moduleParam, pathParam('set', 'The set name'), acceptParam],
        responses: {
          200: { description: 'The set, or its HTML', content: { 'application/json': { schema: ref('PluginSet') }, 'text/html': { schema: { type: 'string' } } } },
          400: error('A set of the core module node-red (unexpected_error)'),
          404: error('No such set (not_found)'),
        },
      }),
    },
  };
}
