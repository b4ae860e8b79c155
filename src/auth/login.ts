// The body of GET /auth/login (COMPAT A1.1): which login form the editor shows, plus the
// editorTheme.login image / message / button.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { AdminAuthSettings, Settings } from '../settings/types.js';

export type LoginResponse = Record<string, unknown>;

const CREDENTIAL_PROMPTS = [
  { id: 'username', type: 'text', label: 'user.username' },
  { id: 'password', type: 'password', label: 'user.password' },
];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The theme URL of a login image file, when that file exists (the theme serves it at theme/login/<name>). */
function themeFile(file: unknown): string | undefined {
  if (typeof file !== 'string' || !file) return undefined;
  try {
    return existsSync(file) && statSync(file).isFile() ? `theme/login/${basename(file)}` : undefined;
  } catch {
    return undefined;
  }
}

function strategyForm(settings: Settings, strategy: Record<string, unknown>): LoginResponse {
  let prefix = typeof settings.httpAdminRoot === 'string' ? settings.httpAdminRoot.replace(/\/$/, '') : '';
  if (prefix.length > 0) prefix += '/';
  const url = `${prefix}auth/strategy`;
  const response: LoginResponse = { type: 'strategy' };
  if (strategy.autoLogin) {
    response.autoLogin = true;
    response.loginRedirect = url;
  }
  const button: Record<string, unknown> = { type: 'button', label: strategy.label, url };
  if (strategy.icon) button.icon = strategy.icon;
  const image = themeFile(strategy.image);
  if (strategy.image) button.image = image ?? null;
  response.prompts = [button];
  return response;
}

/** `{}` without adminAuth; otherwise the form of its type, then the login theme additions. */
export function loginResponse(settings: Settings, adminAuth: AdminAuthSettings | undefined): LoginResponse {
  if (!adminAuth) return {};
  let response: LoginResponse = {};
  if (adminAuth.type === 'credentials') {
    response = { type: 'credentials', prompts: CREDENTIAL_PROMPTS.map((p) => ({ ...p })) };
  } else if (adminAuth.type === 'strategy') {
    response = strategyForm(settings, isObject(adminAuth.strategy) ? adminAuth.strategy : {});
  }
  const theme = isObject(settings.editorTheme) && isObject(settings.editorTheme.login) ? settings.editorTheme.login : undefined;
  if (theme) {
    const image = themeFile(theme.image);
    if (image) response.image = image;
    if (theme.message) response.loginMessage = theme.message;
    if (theme.button) response.prompts = [{ type: 'button', ...(isObject(theme.button) ? theme.button : {}) }];
  }
  return response;
}
