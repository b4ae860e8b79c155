// OpenAPI paths of /library (admin/library.ts): the local and examples libraries, by type.
import type { ApiContext, Json, Paths } from './common.js';
import { empty, error, jsonBody, operation, pathParam } from './common.js';

const TAG = 'library';

export const librarySchemas: Record<string, Json> = {
  LibraryListing: {
    type: 'array',
    description: 'A folder: its sub-folders (names) then its entries ({fn, …meta})',
    items: { anyOf: [{ type: 'string' }, { type: 'object', required: ['fn'], properties: { fn: { type: 'string' } }, additionalProperties: true }] },
  },
};

const libParams = [pathParam('library', 'local or examples'), pathParam('type', 'flows, or a type node modules register (functions …)')];
const pathP = pathParam('path', 'A folder or entry path (may hold slashes); empty for the root', { type: 'string', 'x-crimson-pattern': '.*' });

export function libraryPaths(ctx: ApiContext): Paths {
  const entry = {
    description: 'A folder listing, a flows entry (JSON), or another entry\'s text',
    content: { 'application/json': { schema: {} }, 'text/plain': { schema: { type: 'string' } } },
  };
  const bad = error('An unknown library or type (unexpected_error)');
  const get = (operationId: string, parameters: Json[]) => operation(ctx, {
    operationId, tag: TAG, summary: 'A library folder or entry', permission: 'library.read', parameters,
    responses: { 200: entry, 400: bad, 403: error('A path outside the library (forbidden)'), 404: error('No such entry (not_found)') },
  });
  return {
    '/library/{library}/{type}': { get: get('getLibraryRoot', libParams) },
    '/library/{library}/{type}/{path}': {
      get: get('getLibraryEntry', [...libParams, pathP]),
      post: operation(ctx, {
        operationId: 'saveLibraryEntry', tag: TAG, summary: 'Save an entry in the local library', permission: 'library.write',
        parameters: [...libParams, pathP],
        requestBody: jsonBody({}, 'flows: the nodes; other types: {…meta, text}'),
        responses: { 204: empty('Saved'), 400: bad, 403: error('A path outside the library (forbidden)') },
      }),
    },
  };
}
