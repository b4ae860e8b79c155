// GET /diagnostics: the basic report Node-RED gives (COMPAT A4.3); settings shown as SET/UNSET.
import type { Router } from 'express';
import { express } from '../runtime/util/deps.js';
import os from 'node:os';
import fs from 'node:fs';
import type { AdminDeps } from './deps.js';
import { sendError } from './deps.js';
import { apiError } from '../errors.js';
import { NODE_RED_VERSION } from '../registry/red-api.js';

function isContainerised(): boolean {
  try { if (fs.existsSync('/.dockerenv')) return true; } catch { /* ignore */ }
  try { return /docker|kubepods|containerd|lxc/.test(fs.readFileSync('/proc/self/cgroup', 'utf8')) || fs.existsSync('/run/.containerenv'); } catch { return false; }
}

export function diagnosticsReport(deps: AdminDeps): Record<string, unknown> {
  const s = deps.settings;
  const now = new Date();
  const intl = Intl.DateTimeFormat().resolvedOptions();
  // Node-RED's report: some values as set (or "UNSET" when falsy), the others only as SET/UNSET
  const raw = (k: string) => s[k] || 'UNSET';
  const flag = (k: string) => (s[k] ? 'SET' : 'UNSET');
  const settings: Record<string, unknown> = {
    available: true,
    apiMaxLength: raw('apiMaxLength'),
    disableEditor: s.disableEditor,
    contextStorage: contextStorageView(s.contextStorage),
    debugMaxLength: raw('debugMaxLength'),
    editorTheme: raw('editorTheme'),
    flowFile: raw('flowFile'),
    mqttReconnectTime: raw('mqttReconnectTime'),
    serialReconnectTime: raw('serialReconnectTime'),
    socketReconnectTime: raw('socketReconnectTime'),
    socketTimeout: raw('socketTimeout'),
    tcpMsgQueueSize: raw('tcpMsgQueueSize'),
    inboundWebSocketTimeout: raw('inboundWebSocketTimeout'),
    runtimeState: raw('runtimeState'),
    adminAuth: flag('adminAuth'),
    httpAdminRoot: raw('httpAdminRoot'),
    httpAdminCors: flag('httpAdminCors'),
    httpNodeAuth: flag('httpNodeAuth'),
    httpNodeRoot: raw('httpNodeRoot'),
    httpNodeCors: flag('httpNodeCors'),
    httpStatic: flag('httpStatic'),
    httpStaticRoot: raw('httpStaticRoot'),
    httpStaticCors: flag('httpStaticCors'),
    uiHost: flag('uiHost'),
    uiPort: flag('uiPort'),
    userDir: 'SET',
    nodesDir: s.nodesDir && (s.nodesDir as { length?: number }).length ? 'SET' : 'UNSET',
  };
  const modules: Record<string, string> = { 'node-red': NODE_RED_VERSION };
  for (const m of deps.registry.modules()) if (m.name !== 'node-red') modules[m.name] = m.version;
  return {
    report: 'diagnostics',
    scope: 'basic',
    time: { utc: now.toUTCString(), local: now.toLocaleString() },
    intl: { locale: intl.locale, timeZone: intl.timeZone },
    nodejs: { version: process.version, arch: process.arch, platform: process.platform, memoryUsage: process.memoryUsage() },
    os: {
      containerised: isContainerised(), wsl: /microsoft/i.test(os.release()), totalmem: os.totalmem(), freemem: os.freemem(),
      arch: os.arch(), loadavg: os.loadavg(), platform: os.platform(), release: os.release(), type: os.type(),
      uptime: os.uptime(), version: os.version(),
    },
    runtime: {
      version: NODE_RED_VERSION,
      isStarted: true,
      flows: { state: deps.flows.state, started: deps.flows.started },
      modules,
      settings,
    },
  };
}

function contextStorageView(cs: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (cs && typeof cs === 'object') {
    for (const [name, cfg] of Object.entries(cs as Record<string, unknown>)) {
      // a module given as a function is named "function" rather than by its source text
      const mod = (cfg as { module?: unknown } | null)?.module;
      out[name] = { module: typeof mod === 'function' ? 'function' : String(mod) };
    }
  }
  return out;
}

export function diagnosticsRouter(deps: AdminDeps): Router {
  const r = express.Router();
  r.get('/diagnostics', deps.needsPermission('diagnostics.read'), (req, res) => {
    if (deps.settings.diagnostics?.enabled === false) return sendError(res, apiError('diagnostics.disabled'), deps.logger);
    deps.logger.audit({ event: 'diagnostics.get' }, req as never);
    res.json(diagnosticsReport(deps));
  });
  return r;
}
