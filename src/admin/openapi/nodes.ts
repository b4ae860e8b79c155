// OpenAPI paths of /nodes (admin/nodes.ts, admin/nodes-install.ts): the node sets as JSON or editor HTML,
// modules and sets, enabling/disabling them, installing/removing modules, the message catalogues.
import type { ApiContext, Json, Paths } from './common.js';
import { acceptParam, empty, error, json, jsonBody, operation, pathParam, queryParam, ref, text } from './common.js';

const TAG = 'nodes';

export const nodesSchemas: Record<string, Json> = {
  NodeSet: {
    type: 'object',
    required: ['id', 'name', 'types', 'enabled', 'module'],
    properties: {
      id: { type: 'string', description: '<module>/<set>' }, name: { type: 'string' }, types: { type: 'array', items: { type: 'string' } },
      enabled: { type: 'boolean' }, local: { type: 'boolean' }, user: { type: 'boolean' }, module: { type: 'string' },
      version: { type: 'string' }, err: {}, loaded: { type: 'boolean' },
    },
  },
  PluginSet: {
    type: 'object',
    required: ['id', 'name', 'enabled', 'module', 'plugins'],
    properties: {
      id: { type: 'string' }, name: { type: 'string' }, enabled: { type: 'boolean' }, local: { type: 'boolean' }, user: { type: 'boolean' },
      module: { type: 'string' }, err: {}, editor: { type: 'boolean' }, runtime: { type: 'boolean' }, version: { type: 'string' },
      plugins: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, type: { type: 'string' }, module: { type: 'string' } } } },
    },
  },
  Module: {
    type: 'object',
    required: ['name', 'nodes'],
    properties: {
      name: { type: 'string' }, version: { type: 'string' }, local: { type: 'boolean' }, user: { type: 'boolean' }, path: { type: 'string' },
      nodes: { type: 'array', items: ref('NodeSet') }, plugins: { type: 'array', items: ref('PluginSet') }, pending_version: { type: 'string' },
    },
  },
  EnabledRequest: { type: 'object', required: ['enabled'], properties: { enabled: { type: 'boolean', description: 'Any truthy value enables, a falsy one disables' } } },
};

/** A module name: `name` or `@scope/name` (the slash is not encoded). */
export const moduleParam = pathParam('module', 'A module name: name or @scope/name (the slash is not encoded)', { type: 'string', 'x-crimson-pattern': '(?:@[^/]+/)?[^/]+' });
const setParam = pathParam('set', 'The name of a node set in the module');
const lngParam = queryParam('lng', 'The language (e.g. en-US); without it the answer is an error as soon as a catalogue is to be looked up');

export function nodesPaths(ctx: ApiContext): Paths {
  const read = 'nodes.read';
  const write = 'nodes.write';
  const paths: Paths = {
    '/nodes': {
      get: operation(ctx, {
        operationId: 'getNodes', tag: TAG, summary: 'The node sets (Accept: application/json) or their editor HTML', permission: read,
        parameters: [acceptParam],
        responses: { 200: { description: 'The sets, or the HTML of every enabled set', content: { 'application/json': { schema: { type: 'array', items: ref('NodeSet') } }, 'text/html': { schema: { type: 'string' } } } } },
      }),
    },
    '/nodes/messages': {
      // (quirk) Node-RED's route is /^\/nodes\/messages/: any path that starts so is this one
      'x-crimson-path-pattern': '^/nodes/messages',
      get: operation(ctx, {
        operationId: 'getNodeCatalogs', tag: TAG, summary: 'The message catalogues of every node set, by set id', permission: read,
        parameters: [lngParam],
        responses: { 200: json('Catalogues by set id', { type: 'object', additionalProperties: ref('Catalog') }), 400: error('No lng given (unexpected_error)') },
      }),
    },
    '/nodes/{module}/{set}/messages': {
      'x-crimson-path-pattern': '^/nodes/(?:@[^/]+/)?[^/]+/[^/]+/messages',
      get: operation(ctx, {
        operationId: 'getNodeSetCatalog', tag: TAG, summary: 'The message catalogue of one node set', permission: read,
        parameters: [moduleParam, setParam, lngParam],
        responses: { 200: json('The catalogue', ref('Catalog')), 400: error('No lng given (unexpected_error)') },
      }),
    },
    '/nodes/{module}': {
      get: operation(ctx, {
        operationId: 'getNodeModule', tag: TAG, summary: 'A node module and its sets', permission: read,
        parameters: [moduleParam],
        responses: { 200: json('The module', ref('Module')), 404: error('No such module (not_found)') },
      }),
      put: operation(ctx, {
        operationId: 'setNodeModuleEnabled', tag: TAG, summary: 'Enable or disable every set of a module', permission: write,
        parameters: [moduleParam], requestBody: jsonBody(ref('EnabledRequest')),
        responses: { 200: json('The module', ref('Module')), 400: error('No `enabled`, no such module (not_found), a type in use (type_in_use)') },
      }),
    },
    '/nodes/{module}/{set}': {
      get: operation(ctx, {
        operationId: 'getNodeSet', tag: TAG, summary: 'A node set (Accept: application/json) or its editor HTML', permission: read,
        parameters: [moduleParam, setParam, acceptParam],
        responses: {
          200: { description: 'The set, or its HTML', content: { 'application/json': { schema: ref('NodeSet') }, 'text/html': { schema: { type: 'string' } } } },
          404: error('No such set (not_found)'),
        },
      }),
      put: operation(ctx, {
        operationId: 'setNodeSetEnabled', tag: TAG, summary: 'Enable or disable a node set', permission: write,
        parameters: [moduleParam, setParam], requestBody: jsonBody(ref('EnabledRequest')),
        responses: { 200: json('The set', ref('NodeSet')), 400: error('No `enabled`, no such set (not_found), a type in use (type_in_use)') },
      }),
    },
  };
  if (ctx.install) {
    paths['/nodes']!.post = operation(ctx, {
      operationId: 'installNodeModule', tag: TAG, summary: 'Install a node module (npm name and version, a url, or an uploaded .tgz)', permission: write,
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object', properties: { module: { type: 'string' }, version: { type: 'string' }, url: { type: 'string' } } } },
          'multipart/form-data': { schema: { type: 'object', properties: { tarball: { type: 'string', format: 'binary' } } } },
        },
      },
      responses: {
        200: json('The installed module (pending_version: a restart is needed)', ref('Module')),
        400: error('An invalid module, name or url, install not allowed, already loaded, a bad archive'),
        404: error('No such module in the registry (code 404)'),
      },
    });
    paths['/nodes/{module}']!.delete = operation(ctx, {
      operationId: 'removeNodeModule', tag: TAG, summary: 'Uninstall a node module', permission: write,
      parameters: [moduleParam],
      responses: { 204: empty('Removed'), 400: error('A type in use, a core module'), 404: error('No such module (not_found)') },
    });
  }
  if (ctx.editor) {
    paths['/icons'] = {
      get: operation(ctx, {
        operationId: 'getIcons', tag: TAG, summary: 'The icons of each module', permission: read,
        responses: { 200: json('Icon file names by module', { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } }) },
      }),
    };
    const icon = {
      200: { description: 'The icon file as it is (image/svg+xml, image/png …), or the default node icon when there is none', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
      400: error('A name with "..", or an unreadable file (unexpected_error)'),
      404: text('Not even the default icon'),
    };
    paths['/icons/{module}/{icon}'] = {
      get: operation(ctx, { operationId: 'getIcon', tag: TAG, summary: 'An icon of a module (public)', parameters: [pathParam('module', 'A module name'), pathParam('icon', 'The file name')], responses: icon }),
    };
    paths['/icons/{scope}/{module}/{icon}'] = {
      get: operation(ctx, { operationId: 'getScopedIcon', tag: TAG, summary: 'An icon of a scoped module (public)', parameters: [pathParam('scope', '@scope'), pathParam('module', 'The module name'), pathParam('icon', 'The file name')], responses: icon }),
    };
    paths['/locales/{namespace}'] = {
      get: operation(ctx, {
        operationId: 'getLocale', tag: TAG, summary: "An i18n namespace of the editor: its own, node-red (the core nodes') or a node set's (public)",
        parameters: [pathParam('namespace', 'The namespace (editor, node-red, a set id …), may end in .json', { type: 'string', 'x-crimson-pattern': '.+' }), queryParam('lng', 'The language (en-US by default)')],
        responses: { 200: json('The catalogue ({} for an unknown namespace)', ref('Catalog')) },
      }),
    };
  }
  return paths;
}
