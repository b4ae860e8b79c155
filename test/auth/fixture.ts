// Test fixture: a tiny admin-like express app (json + extended urlencoded parsers, the auth router at
// /auth, routes guarded by needsPermission) on 127.0.0.1:0, plus an in-memory sessions and access tokens
// storage double.
import express from 'express';
import bcrypt from 'bcryptjs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdminAuth, type AdminAuth } from '../../src/auth/index.js';
import { createLogger } from '../../src/runtime/logger.js';
import type { AccessTokenRecord, Session } from '../../src/runtime/types.js';
import type { Settings } from '../../src/settings/types.js';
import { registerCrimson } from '../helpers/crimson-servers.js';

export const PASSWORD = 's3cret-Passw0rd';
export const HASH = bcrypt.hashSync(PASSWORD, 4);

export interface MemoryStorage {
  getSessions(): Promise<Record<string, Session>>;
  saveSessions(s: Record<string, Session>): Promise<void>;
  getAccessTokens(): Promise<Record<string, AccessTokenRecord>>;
  saveAccessTokens(t: Record<string, AccessTokenRecord>): Promise<void>;
  data: Record<string, Session>;
  saves: number;
  tokens: Record<string, AccessTokenRecord>;
  tokenSaves: number;
}

export function memoryStorage(initial: Record<string, unknown> = {}, initialTokens: Record<string, unknown> = {}): MemoryStorage {
  const store: MemoryStorage = {
    data: JSON.parse(JSON.stringify(initial)),
    saves: 0,
    tokens: JSON.parse(JSON.stringify(initialTokens)),
    tokenSaves: 0,
    async getSessions() {
      return JSON.parse(JSON.stringify(store.data));
    },
    async saveSessions(s) {
      store.saves++;
      store.data = JSON.parse(JSON.stringify(s));
    },
    async getAccessTokens() {
      return JSON.parse(JSON.stringify(store.tokens));
    },
    async saveAccessTokens(t) {
      store.tokenSaves++;
      store.tokens = JSON.parse(JSON.stringify(t));
    },
  };
  return store;
}

export interface AuthApp {
  base: string;
  auth: AdminAuth;
  storage: MemoryStorage;
  logLines: string[];
  close(): Promise<void>;
  /** POST /auth/token with a form body; returns status, headers and parsed body (text when not JSON). */
  token(fields: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  /** A token for the user (scope "*" unless given). */
  login(username: string, scope?: string): Promise<string>;
}

export async function startAuthApp(settings: Settings, storage: MemoryStorage = memoryStorage()): Promise<AuthApp> {
  const logLines: string[] = [];
  const logger = createLogger({ logging: { console: { level: 'trace', audit: true } }, write: (l) => logLines.push(l) });
  const auth = createAdminAuth({ settings, storage, logger });
  await auth.init();
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: true }));
  app.use('/auth', auth.router);
  app.get('/flows', auth.needsPermission('flows.read'), (req, res) => { res.json({ ok: 'read', user: req.user ?? null }); });
  app.post('/flows', auth.needsPermission('flows.write'), (_req, res) => { res.json({ ok: 'write' }); });
  app.get('/settings', auth.needsPermission('settings.read'), (req, res) => { res.json({ user: auth.settingsUser(req) ?? null }); });
  app.get('/any', auth.needsPermission(''), (req, res) => { res.json({ user: req.user ?? null }); });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // its /auth answers (Crimson's auth router) are checked against the OpenAPI document; the stand-in
  // /flows, /settings and /any routes are not Crimson's and are not checked
  const unregister = registerCrimson({ base: `${base}/`, settings, only: /^\/auth(\/|$)/ });

  async function token(fields: Record<string, string>) {
    const res = await fetch(`${base}/auth/token`, { method: 'POST', body: new URLSearchParams(fields) });
    const text = await res.text();
    let body: any = text;
    try { body = JSON.parse(text); } catch { /* plain text */ }
    return { status: res.status, headers: res.headers, body };
  }

  return {
    base,
    auth,
    storage,
    logLines,
    token,
    async login(username, scope = '*') {
      const r = await token({ client_id: 'node-red-admin', grant_type: 'password', username, password: PASSWORD, scope });
      if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.access_token as string;
    },
    async close() {
      unregister();
      await auth.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** GET/POST with an optional bearer token; returns status, headers and raw text. */
export async function call(url: string, init: RequestInit & { bearer?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.bearer !== undefined) headers.set('authorization', `Bearer ${init.bearer}`);
  const res = await fetch(url, { ...init, headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
