// OpenAPI paths of /context (admin/context.ts): global, flow and node context, per store, values encoded
// as for the debug sidebar.
import type { ApiContext, Json, Paths } from './common.js';
import { empty, error, json, operation, pathParam, queryParam, ref } from './common.js';

const TAG = 'context';

export const contextSchemas: Record<string, Json> = {
  EncodedValue: {
    type: 'object', required: ['msg', 'format'],
    description: 'A value encoded as for the debug sidebar; `store` when it is not the default store',
    properties: { msg: {}, format: { type: 'string' }, store: { type: 'string' } },
  },
  ContextKeys: {
    type: 'object',
    description: '?keysOnly: the keys of a store (or of the object one key holds)',
    properties: {
      keys: { type: 'array', items: { type: 'object', required: ['key'], properties: { key: { type: 'string' }, format: { type: 'string' }, length: { type: 'integer' } } } },
      format: { type: 'string' },
    },
  },
  ContextStores: {
    type: 'object',
    description: 'By store name: the values by key (or, with keysOnly, the keys); {} for a node that does not run',
    additionalProperties: { anyOf: [{ type: 'object', additionalProperties: ref('EncodedValue') }, ref('ContextKeys')] },
  },
};

const keyParam = pathParam('key', 'A key; may hold dots and slashes (a.b[0]); empty (a trailing slash) reads as no key', { type: 'string', 'x-crimson-pattern': '.*' });
const query = [queryParam('store', 'One store only'), queryParam('keysOnly', 'Present: the keys only')];
const scopeParam = pathParam('scope', 'flow or node', { type: 'string', enum: ['flow', 'node'] });
const idParam = pathParam('id', 'The flow (tab) or node id');

export function contextPaths(ctx: ApiContext): Paths {
  const read = 'context.read';
  const write = 'context.write';
  const all = json('Values by store', ref('ContextStores'));
  const one = json('The value (or, with keysOnly, its keys by store)', { anyOf: [ref('EncodedValue'), ref('ContextStores'), { type: 'object', maxProperties: 0 }] });
  const unknownStore = error('An unknown store (not_found)');
  const get = (operationId: string, summary: string, parameters: Json[], ok: Json) =>
    operation(ctx, { operationId, tag: TAG, summary, permission: read, parameters: [...parameters, ...query], responses: { 200: ok, 400: error('The store failed (unexpected_error)'), 404: unknownStore } });
  const del = (operationId: string, summary: string, parameters: Json[]) =>
    operation(ctx, { operationId, tag: TAG, summary, permission: write, parameters: [...parameters, queryParam('store', 'The store (default store otherwise)')], responses: { 204: empty('Deleted'), 404: unknownStore } });
  return {
    '/context/global': { get: get('getGlobalContext', 'Global context', [], all) },
    '/context/global/{key}': {
      get: get('getGlobalContextKey', 'One key of global context', [keyParam], one),
      delete: del('deleteGlobalContextKey', 'Delete one key of global context', [keyParam]),
    },
    '/context/{scope}/{id}': { get: get('getContext', 'The context of a flow or node', [scopeParam, idParam], all) },
    '/context/{scope}/{id}/{key}': {
      get: get('getContextKey', 'One key of a flow or node context', [scopeParam, idParam, keyParam], one),
      delete: del('deleteContextKey', 'Delete one key of a flow or node context', [scopeParam, idParam, keyParam]),
    },
  };
}
