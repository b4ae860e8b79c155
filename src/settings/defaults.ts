// Crimson's defaults: the settings used when no settings file exists (the equivalent of Node-RED's
// default settings.js), and the values code falls back to when a key is absent from a user's file.
import type { Settings } from './types.js';

/**
 * Fallbacks for absent keys. resolveSettings fills in only uiPort and the two roots (as Node-RED's
 * launcher does); everything else stays absent in the settings object (diagnostics reports "UNSET"
 * for some of them), so consumers read `settings.x ?? FALLBACKS.x`.
 */
export const FALLBACKS = {
  uiPort: 1880,
  /** undefined: listen on all interfaces. */
  uiHost: undefined as string | undefined,
  httpAdminRoot: '/',
  httpNodeRoot: '/',
  /** Node-RED's name when flowFile is unset is flows_<hostname>.json; the default file sets this. */
  flowFile: 'flows.json',
  apiMaxLength: '5mb',
  diagnostics: { enabled: true, ui: true },
  runtimeState: { enabled: false, ui: false },
  logging: { console: { level: 'info', metrics: false, audit: false } },
  functionExternalModules: true,
  functionTimeout: 0,
  globalFunctionTimeout: 0,
  debugMaxLength: 1000,
  debugStatusLength: 32,
  nodeCloseTimeout: 15000,
  webSocketKeepAliveTime: 15000,
  inboundWebSocketTimeout: 5000,
  /** Crimson only: unsent bytes a /comms connection may hold before it is dropped (4 MiB). */
  commsMaxBacklog: 4 * 1024 * 1024,
  httpsRefreshInterval: 12,
  /** Crimson only: live personal access tokens one user may hold. */
  accessTokens: { maxPerUser: 100 },
} as const;

/** A fresh copy of the settings used when the userDir holds no settings file. */
export function defaultSettings(): Settings {
  return {
    flowFile: FALLBACKS.flowFile,
    flowFilePretty: true,
    diagnostics: { ...FALLBACKS.diagnostics },
    runtimeState: { ...FALLBACKS.runtimeState },
    telemetry: {},
    logging: { console: { ...FALLBACKS.logging.console } },
    exportGlobalContextKeys: false,
    externalModules: {},
    editorTheme: {
      palette: {},
      projects: { enabled: false, workflow: { mode: 'manual' } },
      codeEditor: { lib: 'monaco', options: {} },
      markdownEditor: { mermaid: { enabled: true } },
      multiplayer: { enabled: false },
    },
    functionExternalModules: FALLBACKS.functionExternalModules,
    globalFunctionTimeout: FALLBACKS.globalFunctionTimeout,
    functionTimeout: FALLBACKS.functionTimeout,
    functionGlobalContext: {},
    debugMaxLength: FALLBACKS.debugMaxLength,
    mqttReconnectTime: 15000,
    serialReconnectTime: 15000,
  };
}
