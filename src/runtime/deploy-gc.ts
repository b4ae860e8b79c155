// A full deploy that replaces many nodes leaves all the old ones as garbage, but V8 grows its heap to hold
// both generations before it collects, so the resident size of a process that is deployed to again and
// again settles well above what its flows need. One full collection between stopping the old flows and
// making the new ones keeps it where the first deploy left it.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined | null;

function collector(): (() => void) | undefined {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc ?? undefined;
}

/**
 * One full collection now, when a full deploy of `nodes` nodes (>= `min`) has stopped the old flows and not
 * yet made the new ones: the old nodes are all garbage then, and the new ones are made in the heap freed.
 */
export function collectBetweenDeploys(nodes: number, min = 2000): void {
  if (nodes < min) return;
  collector()?.();
}
