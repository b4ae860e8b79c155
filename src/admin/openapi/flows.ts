// OpenAPI paths of /flows, /flows/state (admin/flows.ts) and /flow/{id} (admin/flow.ts).
import type { ApiContext, Json, Paths } from './common.js';
import { empty, error, headerParam, json, jsonBody, operation, pathParam, ref } from './common.js';

const TAG = 'flows';

export const flowsSchemas: Record<string, Json> = {
  FlowsV1: { type: 'array', items: ref('Node'), description: 'The flow configuration (API v1)' },
  FlowsV2: {
    type: 'object', required: ['flows', 'rev'],
    properties: { flows: { type: 'array', items: ref('Node') }, rev: { type: 'string', description: 'The revision of the configuration' } },
  },
  FlowsV2Request: {
    type: 'object', required: ['flows'],
    properties: {
      flows: { type: 'array', items: ref('Node') },
      rev: { type: 'string', description: 'When given, must equal the current revision, else 409 version_mismatch' },
      credentials: { type: 'object', additionalProperties: true },
    },
  },
  StoredFlowsV1: {
    type: 'array', items: {},
    description: 'The active configuration as stored: normally nodes (Node); a hand-edited flows file that does not parse as flows is answered as it is (its flows stay stopped)',
  },
  StoredFlowsV2: {
    type: 'object', required: ['flows', 'rev'],
    properties: { flows: ref('StoredFlowsV1'), rev: { type: 'string', description: 'The revision of the configuration' } },
  },
  Rev: { type: 'object', required: ['rev'], properties: { rev: { type: 'string' } } },
  FlowsState: { type: 'object', required: ['state'], properties: { state: { type: 'string', enum: ['start', 'stop', 'safe'] } } },
  Flow: {
    type: 'object',
    description: 'One tab with its nodes (and configs/subflows), or `global`: the config nodes and subflows of no tab',
    required: ['id'],
    properties: {
      id: { type: 'string' }, label: { type: 'string' }, disabled: { type: 'boolean' }, info: { type: 'string' },
      env: { type: 'array' }, nodes: { type: 'array', items: ref('Node') },
      configs: { type: 'array', items: ref('Node') }, subflows: { type: 'array', items: ref('Node') },
    },
    additionalProperties: true,
  },
  FlowId: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
};

const apiVersion = headerParam('Node-RED-API-Version', 'v1 (default) or v2', { type: 'string', enum: ['v1', 'v2'] });
const deploymentType = headerParam('Node-RED-Deployment-Type', 'full (default), nodes, flows or reload', { type: 'string', enum: ['full', 'nodes', 'flows', 'reload'] });
const idParam = pathParam('id', 'A tab id, or global');

export function flowsPaths(ctx: ApiContext): Paths {
  const paths: Paths = {
    '/flows': {
      get: operation(ctx, {
        operationId: 'getFlows', tag: TAG, summary: 'The active flow configuration', permission: 'flows.read',
        parameters: [apiVersion],
        responses: {
          200: json('v1: the array of nodes; v2: {flows, rev}', { anyOf: [ref('StoredFlowsV1'), ref('StoredFlowsV2')] }),
          400: error('An unknown API version (invalid_api_version)'),
        },
      }),
      post: operation(ctx, {
        operationId: 'setFlows', tag: TAG, summary: 'Deploy a flow configuration', permission: 'flows.write',
        parameters: [apiVersion, deploymentType],
        requestBody: jsonBody({ anyOf: [ref('FlowsV1'), ref('FlowsV2Request')] }, 'v1: the array of nodes; v2: {flows, rev?, credentials?}; ignored for reload'),
        responses: {
          200: json('v2: the new revision', ref('Rev')),
          204: empty('v1: deployed'),
          400: error('An invalid configuration, or an unknown API version'),
          409: error('v2: `rev` is not the current revision (version_mismatch)'),
        },
      }),
    },
    '/flows/state': {
      get: operation(ctx, {
        operationId: 'getFlowsState', tag: TAG, summary: 'Whether the flows run', permission: 'flows.read',
        responses: { 200: json('The state', ref('FlowsState')) },
      }),
    },
    '/flow': {
      post: operation(ctx, {
        operationId: 'addFlow', tag: TAG, summary: 'Add a tab with its nodes', permission: 'flows.write',
        requestBody: jsonBody(ref('Flow')),
        responses: { 200: json('The id of the new tab', ref('FlowId')), 400: error('An invalid flow, or an id in use (unexpected_error)') },
      }),
    },
    '/flow/{id}': {
      get: operation(ctx, {
        operationId: 'getFlow', tag: TAG, summary: 'One tab, or global', permission: 'flows.read',
        parameters: [idParam],
        responses: { 200: json('The tab', ref('Flow')), 404: error('No such tab (not_found)') },
      }),
      put: operation(ctx, {
        operationId: 'updateFlow', tag: TAG, summary: 'Replace one tab, or global', permission: 'flows.write',
        parameters: [idParam], requestBody: jsonBody(ref('Flow')),
        responses: { 200: json('The id of the tab', ref('FlowId')), 400: error('An invalid flow'), 404: error('No such tab (not_found)') },
      }),
      delete: operation(ctx, {
        operationId: 'deleteFlow', tag: TAG, summary: 'Remove one tab', permission: 'flows.write',
        parameters: [idParam],
        responses: { 204: empty('Removed'), 400: error('global cannot be removed'), 404: error('No such tab (not_found)') },
      }),
    },
  };
  if (ctx.runtimeState) {
    paths['/flows/state']!.post = operation(ctx, {
      operationId: 'setFlowsState', tag: TAG, summary: 'Start or stop the flows (runtimeState.enabled)', permission: 'flows.write',
      requestBody: jsonBody({ type: 'object', required: ['state'], properties: { state: { type: 'string', enum: ['start', 'stop'] } } }),
      responses: { 200: json('The new state', ref('FlowsState')), 400: error('Another state (invalid_run_state)') },
    });
  }
  return paths;
}
