// Node ids used more than once in a flows array, and the warning that names them. Node-RED 4.1.15 takes
// such flows without a word: it stores them as sent and, in each tab, each subflow and among the global
// config nodes, runs only the last node of an id (flow-parse.ts does the same). Crimson says so in the log.
import type { FlowConfig } from './types.js';

/** Ids named in the warning; the rest are counted. */
const MAX_NAMED = 20;

/** The ids held by more than one node, in the order they first repeat. */
export function duplicateIds(config: FlowConfig): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const n of config) {
    if (seen.has(n.id)) repeated.add(n.id);
    else seen.add(n.id);
  }
  return [...repeated];
}

/** The warning for `ids` (non-empty). */
export function duplicatesWarning(ids: readonly string[]): string {
  const named = ids.slice(0, MAX_NAMED).join(', ');
  const more = ids.length > MAX_NAMED ? ` and ${ids.length - MAX_NAMED} more` : '';
  return `Duplicate node ids in the flows: ${named}${more} (within a flow, only the last node with an id runs)`;
}
