// What each installer operation works with, and Node-RED's way of logging a failed one (a framed block).
import type { EventEmitter } from 'node:events';
import type { Logger } from '../../runtime/logger.js';
import type { NpmRunner } from './npm-run.js';
import type { PalettePolicy } from './palette-policy.js';
import type { InstallerOptions } from './types.js';

export interface InstallerContext {
  userDir: string;
  logger: Logger;
  policy: PalettePolicy;
  npm: NpmRunner;
  timeoutMs: number;
  moduleInfo: NonNullable<InstallerOptions['moduleInfo']>;
  hooks?: InstallerOptions['hooks'];
  events?: EventEmitter;
}

const RULE = '------------------------------------------';

/** `<heading>` then the detail between two rules, at warn level. */
export function logFailure(logger: Logger, heading: string | undefined, detail: string): void {
  if (heading !== undefined) logger.warn(heading);
  logger.warn(RULE);
  logger.warn(detail);
  logger.warn(RULE);
}

/** Error text of anything thrown, as `String(err)` gives it (`Error: …`). */
export const errorText = (err: unknown): string => String(err);
