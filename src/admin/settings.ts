// GET /settings (the editor's view of the runtime settings) and GET/POST /settings/user (COMPAT A4.1, A4.2).
import { Router } from 'express';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { NODE_RED_VERSION } from '../registry/red-api.js';

const LANGUAGES = ['de', 'en-US', 'es-ES', 'fr', 'ja', 'ko', 'pt-BR', 'ru', 'zh-CN', 'zh-TW'];

/** The body of GET /settings for one caller. */
export function runtimeSettings(deps: AdminDeps, user: Record<string, unknown> | undefined): Record<string, unknown> {
  const s = deps.settings;
  const out: Record<string, unknown> = {
    httpNodeRoot: s.httpNodeRoot === false ? false : (s.httpNodeRoot ?? '/'),
    version: NODE_RED_VERSION,
  };
  if (user) out.user = user;
  out.context = { default: deps.contexts.defaultStore(), stores: deps.contexts.storeNames() };
  const theme = (s.editorTheme ?? {}) as Record<string, any>;
  if (theme.codeEditor) out.codeEditor = theme.codeEditor;
  if (theme.markdownEditor) out.markdownEditor = theme.markdownEditor;
  if (theme.mermaid) out.mermaid = theme.mermaid;
  out.libraries = [
    { id: 'local', label: 'editor:library.types.local', user: false, icon: 'font-awesome/fa-hdd-o' },
    { id: 'examples', label: 'editor:library.types.examples', user: false, icon: 'font-awesome/fa-life-ring', types: ['flows'], readOnly: true },
  ];
  if (s.paletteCategories) out.paletteCategories = s.paletteCategories;
  if (s.flowFilePretty) out.flowFilePretty = true;
  if (s.externalModules) out.externalModules = s.externalModules;
  if (s.nodeDefaults) out.nodeDefaults = s.nodeDefaults;
  out.flowEncryptionType = deps.encryptionType();
  const diag = s.diagnostics ?? {};
  const diagEnabled = diag.enabled !== false;
  out.diagnostics = { enabled: diagEnabled, ui: diagEnabled && diag.ui !== false };
  const rs = s.runtimeState ?? {};
  const rsEnabled = rs.enabled === true;
  out.runtimeState = { enabled: rsEnabled, ui: rsEnabled && rs.ui === true };
  exportNodeSettings(deps, out);
  const editorTheme: Record<string, unknown> = { ...theme };
  delete editorTheme.codeEditor; delete editorTheme.markdownEditor; delete editorTheme.mermaid;
  editorTheme.projects = { enabled: false, ...(theme.projects ?? {}) };
  editorTheme.languages = LANGUAGES;
  out.editorTheme = editorTheme;
  return out;
}

function exportNodeSettings(deps: AdminDeps, out: Record<string, unknown>): void {
  for (const [name, def] of deps.registry.nodeSettings()) {
    if (def.exportable) out[name] = name in deps.settings ? deps.settings[name] : def.value;
  }
}

export function settingsRouter(deps: AdminDeps): Router {
  const r = Router();
  r.get('/settings', deps.needsPermission('settings.read'), (req, res) => {
    deps.logger.audit({ event: 'settings.get' }, req as never);
    res.json(runtimeSettings(deps, deps.auth.settingsUser(req)));
  });

  const userKey = (req: { user?: unknown }) => {
    const u = req.user as { username?: string; anonymous?: boolean } | undefined;
    return u && !u.anonymous && u.username ? u.username : '_';
  };
  r.get('/settings/user', deps.needsPermission('settings.read'), async (req, res) => {
    try {
      const all = await deps.storage.getUserSettings();
      res.json(all[userKey(req)] ?? {});
    } catch (err) { sendError(res, err, deps.logger); }
  });
  r.post('/settings/user', deps.needsPermission('settings.write'), async (req, res) => {
    try {
      const body = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return res.status(400).json({ code: 'unexpected_error', message: 'Invalid settings' });
      const all = await deps.storage.getUserSettings();
      const key = userKey(req);
      const { telemetryEnabled, ...rest } = body as Record<string, unknown>;
      if (telemetryEnabled !== undefined) await deps.setRuntimeConfig('telemetryEnabled', telemetryEnabled);
      all[key] = mergeSettings(all[key] ?? {}, rest);
      await deps.storage.saveUserSettings(all);
      res.status(204).end();
    } catch (err) { sendError(res, err, deps.logger); }
  });
  return r;
}

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Deep merge: null deletes a key, arrays and scalars replace. */
function mergeSettings(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(source)) {
    if (UNSAFE.has(k)) continue;
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) {
      out[k] = mergeSettings(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}
