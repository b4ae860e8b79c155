// Reading the flows file and the credentials file as Node-RED does (missing, empty -> backup, corrupt), and the
// flows rev (sha256 of the compact JSON of the array).
import { createHash } from 'node:crypto';
import type { Logger } from '../runtime/logger.js';
import type { FlowConfig } from '../runtime/types.js';
import { isBlank, readText, tryParseJson } from './json-file.js';

export const EMPTY_FLOWS_REV = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

/** rev of a flows array; pass `compact` when JSON.stringify(flows) is already at hand. */
export function flowsRev(flows: FlowConfig, compact = JSON.stringify(flows)): string {
  return createHash('sha256').update(compact).digest('hex');
}

export interface FlowsRead {
  flows: FlowConfig;
  /** The flows file exists but is not a JSON array: it must be kept aside before it is overwritten. */
  corrupt: boolean;
}

async function readBackupFlows(backup: string): Promise<{ text: string; flows: FlowConfig } | null> {
  const text = await readText(backup);
  if (text === null || isBlank(text)) return null;
  const parsed = tryParseJson(text);
  return parsed.ok && Array.isArray(parsed.value) ? { text, flows: parsed.value as FlowConfig } : null;
}

/**
 * `source` is the file to read (the flows file, or a committed temp standing in for it in read-only mode).
 * `restore` writes a backup's text back over an empty flows file (omitted in read-only mode).
 */
export async function readFlowsFile(opts: {
  source: string;
  backup: string;
  logger: Logger;
  restore?: (text: string) => Promise<void>;
}): Promise<FlowsRead> {
  const { source, backup, logger } = opts;
  const text = await readText(source);
  if (text === null) {
    logger.info('Creating new flow file');
    return { flows: [], corrupt: false };
  }
  if (isBlank(text)) {
    logger.warn('Existing flow file is empty');
    const saved = await readBackupFlows(backup);
    if (!saved) return { flows: [], corrupt: false };
    logger.warn(`Restoring flow file backup : ${backup}`);
    await opts.restore?.(saved.text);
    return { flows: saved.flows, corrupt: false };
  }
  const parsed = tryParseJson(text);
  if (parsed.ok && Array.isArray(parsed.value)) return { flows: parsed.value as FlowConfig, corrupt: false };
  const why = parsed.ok ? 'it does not hold an array' : parsed.error;
  logger.error(`Existing flow file is not valid JSON (${why}): ${source}. It is kept, and saved aside before the next deploy overwrites it.`);
  const saved = await readBackupFlows(backup);
  if (!saved) return { flows: [], corrupt: true };
  logger.warn(`Using the flow file backup : ${backup}`);
  return { flows: saved.flows, corrupt: true };
}

export interface CredentialsRead {
  /** The parsed file; undefined when there is no file. */
  value: unknown;
  error?: string;
}

/** Reads the credentials file; an empty one falls back to its backup's content. */
export async function readCredentialsFile(source: string, backup: string, logger: Logger): Promise<CredentialsRead> {
  let text = await readText(source);
  if (text === null) return { value: undefined };
  if (isBlank(text)) {
    logger.warn('Existing credentials file is empty');
    const saved = await readText(backup);
    if (saved === null || isBlank(saved)) return { value: {} };
    logger.warn(`Using the credentials file backup : ${backup}`);
    text = saved;
  }
  const parsed = tryParseJson(text, true);
  return parsed.ok ? { value: parsed.value } : { value: undefined, error: `the credentials file is not valid JSON (${parsed.error})` };
}

/** Flows with any inline `credentials` property removed (copies only the nodes that carry one). */
export function withoutInlineCredentials(flows: FlowConfig): FlowConfig {
  if (!flows.some((n) => n && typeof n === 'object' && 'credentials' in n)) return flows;
  return flows.map((n) => {
    if (!n || typeof n !== 'object' || !('credentials' in n)) return n;
    const { credentials: _dropped, ...rest } = n;
    return rest as typeof n;
  });
}
