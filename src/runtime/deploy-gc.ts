// A full deploy that replaces many nodes leaves all the old ones as garbage, but V8 grows its heap to hold
// both generations before it collects, so the resident size of a process that is deployed to again and
// again settles well above what its flows need. One full collection between stopping the old flows and
// making the new ones keeps it where the first deploy left it; one old node of each type is held through it so
// the new flows start on warm code (DeployCollection).
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined | null;

const oldSpaceSize = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_size ?? 0;

/** Growth of the old space (after a collection) over its size after the last compaction that makes the next collection compact. */
const COMPACT_AFTER_GROWTH = 1.1;
let compactedSize = 0;
let collectedSize = 0;

function collector(): (() => void) | undefined {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const collect = vm.runInNewContext('gc') as () => void;
      gc = () => {
        // V8's heuristics leave pages of the old flows half filled and committed, so a process deployed to
        // again and again grows by a few MB each time: once the old space left by a collection has grown past
        // its size after the last compaction, the next collection compacts it (which costs more than a plain one)
        const compact = compactedSize > 0 && collectedSize > compactedSize * COMPACT_AFTER_GROWTH;
        if (compact) v8.setFlagsFromString('--compact-on-every-full-gc');
        try {
          collect();
        } finally {
          if (compact) v8.setFlagsFromString('--no-compact-on-every-full-gc');
        }
        collectedSize = oldSpaceSize();
        if (compact || compactedSize === 0) compactedSize = collectedSize;
      };
    } catch {
      gc = null;
    }
  }
  return gc ?? undefined;
}

let made = 0;
/** How many deploy collections this process has run (diagnostics and tests). */
export const deployCollectionsMade = (): number => made;

/** Full deploys that stop fewer running nodes than this are left to V8's own schedule. */
export const MIN_COLLECTED_DEPLOY = 2000;

/**
 * The collection of one full deploy that stops `nodes` running nodes. A full collection also frees the hidden classes
 * (maps) no live object has any more, and with them the optimised code and inline caches built on them:
 * with every old node garbage, the code that constructs nodes would start the new flows unoptimised.
 * hold() keeps one old node of each type (and what it references) alive until release(), after the new
 * flows run, so the new nodes are made with the maps of the old ones.
 */
export class DeployCollection {
  private specimens: unknown[] = [];
  constructor(private readonly nodes: number, private readonly min = MIN_COLLECTED_DEPLOY) {}

  get wanted(): boolean {
    return this.nodes >= this.min && collector() !== undefined;
  }

  /** Before the old flows stop: one running node of each type. */
  hold(running: Iterable<{ type: string }>): void {
    if (!this.wanted) return;
    const byType = new Map<string, unknown>();
    for (const n of running) if (!byType.has(n.type)) byType.set(n.type, n);
    this.specimens = [...byType.values()];
  }

  /** Between stopping the old flows and making the new ones: the old nodes are garbage, the new not yet made. */
  collect(): void {
    if (!this.wanted) return;
    collector()?.();
    made++;
  }

  /** Once the new flows run. */
  release(): void {
    this.specimens = [];
  }
}
