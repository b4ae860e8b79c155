// OpenAPI paths of /settings and /settings/user (admin/settings.ts).
import type { ApiContext, Json, Paths } from './common.js';
import { empty, json, jsonBody, operation } from './common.js';

const TAG = 'settings';

export const settingsSchemas: Record<string, Json> = {
  RuntimeSettings: {
    type: 'object',
    description: "The editor's view of the runtime settings (only httpNodeRoot, version and user with disableEditor)",
    required: ['httpNodeRoot', 'version'],
    properties: {
      httpNodeRoot: { type: 'string' }, version: { type: 'string' },
      user: { type: 'object', properties: { username: { type: 'string' }, permissions: {}, anonymous: { type: 'boolean' } } },
      context: { type: 'object', required: ['default', 'stores'], properties: { default: { type: 'string' }, stores: { type: 'array', items: { type: 'string' } } } },
      libraries: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
      flowEncryptionType: { type: 'string' },
      diagnostics: { type: 'object', properties: { enabled: { type: 'boolean' }, ui: { type: 'boolean' } } },
      runtimeState: { type: 'object', properties: { enabled: { type: 'boolean' }, ui: { type: 'boolean' } } },
      editorTheme: { type: 'object', properties: { languages: { type: 'array', items: { type: 'string' } } } },
      externalModules: { type: 'object' },
      paletteCategories: { type: 'array' },
    },
    additionalProperties: true,
  },
  UserSettings: { type: 'object', description: "The caller's editor preferences", additionalProperties: true },
};

export function settingsPaths(ctx: ApiContext): Paths {
  const paths: Paths = {
    '/settings': {
      get: operation(ctx, {
        operationId: 'getSettings', tag: TAG, summary: 'The runtime settings the editor uses', permission: 'settings.read',
        responses: { 200: json('The settings', { $ref: '#/components/schemas/RuntimeSettings' }) },
      }),
    },
  };
  if (ctx.editor) {
    paths['/settings/user'] = {
      get: operation(ctx, {
        operationId: 'getUserSettings', tag: TAG, summary: "The caller's editor preferences", permission: 'settings.read',
        responses: { 200: json('The preferences', { $ref: '#/components/schemas/UserSettings' }) },
      }),
      post: operation(ctx, {
        operationId: 'setUserSettings', tag: TAG, summary: "Merge into the caller's editor preferences (null deletes a key)", permission: 'settings.write',
        requestBody: jsonBody({ $ref: '#/components/schemas/UserSettings' }),
        responses: { 204: empty('Saved') },
      }),
    };
  }
  return paths;
}
