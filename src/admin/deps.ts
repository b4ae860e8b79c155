// What the admin routers need from the runtime; routers translate HTTP to these calls and hold no logic.
import type { LocalLibrary } from '../storage/library.js';
import type { ClusterView } from '../cluster/members.js';
import type { RequestHandler, Response } from 'express';
import type { EventEmitter } from 'node:events';
import type { UserSettingsStore } from '../settings/user-settings.js';
import type { FlowsManager } from '../runtime/flows.js';
import type { Registry } from '../registry/registry.js';
import type { PluginRegistry } from '../registry/plugins.js';
import type { Palette } from '../registry/palette.js';
import type { Settings } from '../settings/types.js';
import type { Logger } from '../runtime/logger.js';
import type { ContextManager } from '../runtime/context.js';
import type { AdminAuth } from '../auth/index.js';
import type { FlowStorage } from '../runtime/types.js';
import { toErrorBody } from '../errors.js';

export interface AdminDeps {
  flows: FlowsManager;
  registry: Registry;
  /** Plugin sets and the plugin definitions they registered (GET /plugins…, plugin settings in GET /settings). */
  plugins: PluginRegistry;
  settings: Settings;
  logger: Logger;
  contexts: ContextManager;
  auth: AdminAuth;
  storage: FlowStorage;
  /** The local library when it is not <userDir>/lib (a cluster's). */
  library?: LocalLibrary;
  /** In a cluster: GET /cluster's answer, and whether Redis is reachable (writes answer 503 when not). */
  cluster?: { view(): Promise<ClusterView>; ready(): boolean };
  userDir: string;
  encryptionType(): string;
  /** Persists a runtime-wide value in .config.runtime.json. */
  setRuntimeConfig(key: string, value: unknown): Promise<void>;
  needsPermission(permission: string): RequestHandler;
  /** Persists the enabled state of node sets (.config.nodes.json). */
  saveNodeConfig(): Promise<void>;
  /** Library entry types: `flows` plus those node modules register with RED.library.register. */
  libraryTypes: ReadonlySet<string>;
  /** Node-RED's instance id of this userDir (.config.runtime.json), once started. */
  instanceId(): string | undefined;
  /** The editor users' settings (.config.users.json), shared with RED.settings.getUserSettings. */
  userSettings: UserSettingsStore;
  /** The runtime event bus (`runtime-event` reaches the editor as notification/<id>). */
  events?: EventEmitter;
  /** Installing and removing node modules (POST / DELETE /nodes); absent when the runtime has no installer. */
  palette?: Palette;
  /** The palette installer's start check (false: settings or a missing npm turned it off; undefined: not known). */
  installerEnabled?: () => boolean | undefined;
}

/** Answers a failed call in Node-RED's {code, message} shape; the detail goes to the log only. */
export function sendError(res: Response, err: unknown, logger: Logger): void {
  const { status, body } = toErrorBody(err);
  // the client gets {code, message} without paths; the log gets the detail (a failing disk as an error)
  if (err instanceof Error && 'syscall' in err) logger.error(err);
  else if (!(err instanceof Error && 'code' in err)) logger.debug(err);
  res.status(status).json(body);
}
