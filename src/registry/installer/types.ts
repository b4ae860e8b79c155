// The installer's public shapes: its options, what an install asks for and answers, the Installer itself.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../../runtime/logger.js';
import type { Settings } from '../../settings/types.js';
import type { PalettePolicy } from './palette-policy.js';

export interface InstallerOptions {
  userDir: string;
  logger: Logger;
  settings: Settings;
  /** Time limit of one npm run in ms (default 5 minutes): npm and what it started are stopped, the run rolled back. */
  timeoutMs?: number;
  /** The npm program (default `npm`; tests point it at a fake). */
  npmCommand?: string;
  /** What the registry knows of a loaded module (Registry.module fits): decides upgrade, "already loaded", "existing". */
  moduleInfo?: (name: string) => { version: string; user?: boolean } | undefined;
  /** RED.hooks: preInstall / postInstall / preUninstall / postUninstall get Node-RED's payloads. */
  hooks?: { trigger(point: string, payload: unknown): Promise<unknown> };
  /** The runtime event bus: npm output as `event-log`, `restart-required` as `runtime-event` after an upgrade. */
  events?: EventEmitter;
}

export interface InstallSpec {
  /** A registry name (`name`, `@scope/name`) or a path to a module folder. */
  module?: string;
  version?: string;
  /** http(s)/git URL or absolute path of a .tgz, installed as given (`module` then names it). */
  url?: string;
  /** An uploaded package: its bytes, or the path of a .tgz to upload. Not to be combined with the above. */
  tarball?: Buffer | string;
}

export interface InstallResult {
  name: string;
  version: string;
  /** The package's folder: <userDir>/node_modules/<name>. */
  dir: string;
  /** It replaced a version the registry had loaded: a restart is needed to use it. */
  upgraded: boolean;
  /** It was in node_modules but not installed by the user (now it is listed in package.json). */
  existing: boolean;
}

export interface Installer {
  /** npm install into userDir, saved in its package.json with `~`; rolled back entirely when it fails. Queued. */
  install(spec: InstallSpec): Promise<InstallResult>;
  /** npm remove from userDir; rolled back when it fails. Queued. */
  uninstall(module: string): Promise<void>;
  /**
   * `npm install <args> -- <spec>` in the userDir for a module nodes use (functionExternalModules), queued with
   * the palette's runs and rolled back when it fails; rejects with npm's output as `stderr`.
   */
  installDependency(spec: string, args: string[]): Promise<void>;
  /** Whether externalModules.palette's allow / deny lists let that module (at that version) be installed. */
  checkAllowed(module: string, version?: string): boolean;
  /** The palette settings as the installer reads them (allowInstall, allowUpload, lists). */
  readonly policy: PalettePolicy;
  /** Node-RED's start check: installer enabled by the settings and npm (>= 3) found; logs why not. */
  checkPrereq(): Promise<boolean>;
  /** What the start check found (undefined before it ran); GET /settings turns installs and uploads off when false. */
  enabled(): boolean | undefined;
  /** Undoes npm runs a crash interrupted (queued first at creation; await it before loading node_modules). */
  recover(): Promise<number>;
}
