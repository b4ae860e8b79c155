// GET /settings (the editor's view of the runtime settings) and GET/POST /settings/user (COMPAT A4.1, A4.2).
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { NODE_RED_VERSION } from '../registry/red-api.js';
import { themeSettings } from './theme-settings.js';
import { editorLanguages } from '../editor/locales.js';
import { dropKeysDeep, UNSAFE_KEYS as UNSAFE } from '../runtime/util/safe-json.js';
import { exportNodeSettings } from '../registry/red-settings.js';

type Obj = Record<string, any>;
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Node-RED's telemetry answer: the settings file's telemetryEnabled, else the stored opt-in, else telemetry.enabled. */
async function telemetryEnabled(deps: AdminDeps): Promise<unknown> {
  const s = deps.settings;
  if (s.telemetryEnabled !== undefined) return s.telemetryEnabled;
  const stored = (await deps.storage.getRuntimeConfig()).telemetryEnabled;
  if (stored !== undefined) return stored;
  return isObject(s.telemetry) ? s.telemetry.enabled : undefined;
}

/**
 * externalModules as the editor sees it: editorTheme.palette switches, then settings.externalModules merged over;
 * installs and uploads both off when the installer's start check turned it off (settings, or npm missing).
 */
function externalModules(s: AdminDeps['settings'], theme: Obj | undefined, installerOff: boolean): Obj | undefined {
  let out: Obj | undefined;
  const palette = isObject(theme?.palette) ? theme.palette : undefined;
  if (palette && (palette.upload === false || palette.editable === false)) {
    out = { palette: {} };
    if (palette.upload === false) out.palette.allowUpload = false;
    if (palette.editable === false) { out.palette.allowInstall = false; out.palette.allowUpload = false; }
  }
  if (s.externalModules) out = mergeSettings(out ?? {}, s.externalModules as Obj);
  if (installerOff) {
    out ??= {};
    out.palette = isObject(out.palette) ? { ...out.palette } : {};
    out.palette.allowInstall = false;
    out.palette.allowUpload = false;
  }
  return out;
}

/** The body of GET /settings for one caller (key order as Node-RED's). */
export async function runtimeSettings(deps: AdminDeps, user: Obj | undefined): Promise<Obj> {
  const s = deps.settings;
  const out: Obj = { httpNodeRoot: s.httpNodeRoot || '/', version: NODE_RED_VERSION };
  if (user) out.user = user;
  if (s.disableEditor) return out;
  out.context = { default: deps.contexts.defaultStore(), stores: deps.contexts.storeNames() };
  const theme = isObject(s.editorTheme) ? s.editorTheme : undefined;
  if (theme?.codeEditor) {
    const ce = theme.codeEditor;
    out.codeEditor = isObject(ce) ? { ...ce, lib: ce.lib || 'monaco', options: ce.options || {} } : ce;
  }
  if (theme?.markdownEditor) {
    const me = theme.markdownEditor;
    out.markdownEditor = isObject(me) ? { ...me, mermaid: me.mermaid || { enabled: true } } : me;
  }
  if (theme?.mermaid) out.mermaid = theme.mermaid;
  out.libraries = [
    { id: 'local', label: 'editor:library.types.local', user: false, icon: 'font-awesome/fa-hdd-o' },
    { id: 'examples', label: 'editor:library.types.examples', user: false, icon: 'font-awesome/fa-life-ring', types: ['flows'], readOnly: true },
  ];
  if (Array.isArray(s.paletteCategories)) out.paletteCategories = s.paletteCategories;
  if (s.flowFilePretty) out.flowFilePretty = s.flowFilePretty;
  const ext = externalModules(s, theme, deps.installerEnabled?.() === false);
  if (ext) out.externalModules = ext;
  out.flowEncryptionType = deps.encryptionType();
  const diag = isObject(s.diagnostics) ? s.diagnostics : {};
  const diagEnabled = diag.enabled !== false;
  out.diagnostics = { enabled: diagEnabled, ui: diagEnabled && diag.ui !== false };
  const telemetry = await telemetryEnabled(deps);
  if (telemetry !== undefined) out.telemetryEnabled = telemetry;
  const rs = isObject(s.runtimeState) ? s.runtimeState : {};
  const rsEnabled = rs.enabled === true;
  out.runtimeState = { enabled: rsEnabled, ui: rsEnabled && rs.ui === true };
  if (s.nodeDefaults) out.nodeDefaults = s.nodeDefaults;
  exportNodeSettings(deps.registry, deps.settings, out);
  deps.plugins.exportSettings(deps.settings, out);
  out.editorTheme = { ...themeSettings(theme ?? {}), languages: editorLanguages() };
  return out;
}


export function settingsRouter(deps: AdminDeps): Router {
  const r = express.Router();
  r.get('/settings', deps.needsPermission('settings.read'), async (req, res) => {
    try {
      deps.logger.audit({ event: 'settings.get' }, req as never);
      res.json(await runtimeSettings(deps, deps.auth.settingsUser(req)));
    } catch (err) { sendError(res, err, deps.logger); }
  });

  const userKey = (req: { user?: unknown }) => {
    const u = req.user as { username?: string; anonymous?: boolean } | undefined;
    return u && !u.anonymous && u.username ? u.username : '_';
  };
  // the editor's own routes: absent when the editor is disabled (as Node-RED)
  if (deps.settings.disableEditor) return r;
  r.get('/settings/user', deps.needsPermission('settings.read'), async (req, res) => {
    try {
      res.json(deps.userSettings.get(userKey(req)) ?? {});
    } catch (err) { sendError(res, err, deps.logger); }
  });
  r.post('/settings/user', deps.needsPermission('settings.write'), async (req, res) => {
    try {
      // body-parser leaves {} when there is no body; an array merges as its index keys (as Node-RED)
      const body: Obj = req.body && typeof req.body === 'object' ? req.body : {};
      const key = userKey(req);
      const mine = deps.userSettings.get(key);
      const merged = mergeSettings(isObject(mine) ? mine : {}, body);
      if (Object.prototype.hasOwnProperty.call(merged, 'telemetryEnabled')) {
        // a runtime-wide opt-in, not a preference of this user
        const enabled = !!merged.telemetryEnabled;
        delete merged.telemetryEnabled;
        await deps.setRuntimeConfig('telemetryEnabled', enabled);
      }
      await deps.userSettings.set(key, merged);
      deps.logger.audit({ event: 'settings.update', username: key }, req as never);
      res.status(204).end();
    } catch (err) { sendError(res, err, deps.logger); }
  });
  return r;
}


/**
 * Node-RED's merge of editor preferences: keys taken last-to-first; strings, numbers, booleans and arrays
 * replace, null deletes, an object merges into an existing object (or replaces a scalar) and is copied in
 * as given otherwise.
 */
export function mergeSettings(target: Obj, source: Obj): Obj {
  const keys = Object.keys(source);
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    if (UNSAFE.has(k)) continue;
    const v = source[k];
    if (v === null) { delete target[k]; continue; }
    if (typeof v !== 'object' || Array.isArray(v)) { target[k] = v; continue; }
    const existing = target[k];
    // (Node-RED fails merging into a stored null; an object simply replaces it here)
    if (Object.prototype.hasOwnProperty.call(target, k) && existing !== null && typeof existing === 'object') {
      target[k] = mergeSettings(Array.isArray(existing) ? [...existing] : { ...existing }, v);
    } else target[k] = dropKeysDeep(v, UNSAFE); // copied in whole: no prototype key at any depth either
  }
  return target;
}
