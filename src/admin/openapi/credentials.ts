// OpenAPI path of /credentials/{type}/{id} (admin/credentials.ts).
import type { ApiContext, Paths } from './common.js';
import { json, operation, pathParam } from './common.js';

export function credentialsPaths(ctx: ApiContext): Paths {
  return {
    '/credentials/{type}/{id}': {
      get: operation(ctx, {
        operationId: 'getCredentials', tag: 'credentials', summary: "What the editor shows of a node's credentials", permission: 'credentials.read',
        parameters: [pathParam('type', 'The node type'), pathParam('id', 'The node id')],
        responses: {
          200: json('Fields by name; a password field only as has_<field>; {} for an unknown node', {
            type: 'object', additionalProperties: true,
          }),
        },
      }),
    },
  };
}
