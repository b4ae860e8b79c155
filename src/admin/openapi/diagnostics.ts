// OpenAPI path of /diagnostics (admin/diagnostics.ts).
import type { ApiContext, Json, Paths } from './common.js';
import { error, json, operation, ref } from './common.js';

export const diagnosticsSchemas: Record<string, Json> = {
  Diagnostics: {
    type: 'object',
    description: "Node-RED's basic diagnostics report",
    required: ['report', 'scope', 'time', 'runtime'],
    properties: {
      report: { type: 'string', const: 'diagnostics' }, scope: { type: 'string' },
      time: { type: 'object' }, intl: { type: 'object' }, nodejs: { type: 'object' }, os: { type: 'object' },
      runtime: { type: 'object', properties: { version: { type: 'string' }, isStarted: { type: 'boolean' }, flows: { type: 'object' }, modules: { type: 'object' }, settings: { type: 'object' } } },
    },
    additionalProperties: true,
  },
};

export function diagnosticsPaths(ctx: ApiContext): Paths {
  return {
    '/diagnostics': {
      get: operation(ctx, {
        operationId: 'getDiagnostics', tag: 'diagnostics', summary: 'The diagnostics report', permission: 'diagnostics.read',
        responses: { 200: json('The report', ref('Diagnostics')), 403: error('diagnostics.enabled is false (diagnostics.disabled)') },
      }),
    },
  };
}
