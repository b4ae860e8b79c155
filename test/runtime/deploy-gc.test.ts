// The collection between the stop of the old flows and the start of the new ones: it frees the old nodes,
// except the one specimen of each type held through it, and only for full deploys of many nodes.
import { describe, expect, it } from 'vitest';
import { DeployCollection, MIN_COLLECTED_DEPLOY, deployCollectionsMade } from '../../src/runtime/deploy-gc.js';
import { startCrimson } from '../helpers/start-crimson.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

/** Old nodes, referenced only through the WeakRefs returned (made in a turn of their own). */
async function oldNodes(types: string[]): Promise<{ refs: WeakRef<object>[]; running: () => Iterable<{ type: string }> }> {
  let nodes: Array<{ type: string; payload: number[] }> | undefined = types.map((type) => ({ type, payload: new Array(1000).fill(1) }));
  const refs = nodes.map((n) => new WeakRef(n));
  await nextTurn();
  return { refs, running: () => { const list = nodes!; nodes = undefined; return list; } };
}

describe('DeployCollection', () => {
  it('is wanted for full deploys of at least MIN_COLLECTED_DEPLOY nodes only', () => {
    expect(new DeployCollection(MIN_COLLECTED_DEPLOY).wanted).toBe(true);
    expect(new DeployCollection(MIN_COLLECTED_DEPLOY - 1).wanted).toBe(false);
    expect(new DeployCollection(0).wanted).toBe(false);
  });

  it('collects the old nodes but one of each type, until release()', async () => {
    const { refs, running } = await oldNodes(['change', 'change', 'inject', 'change', 'inject', 'debug']);
    const collection = new DeployCollection(10000);
    collection.hold(running());
    await nextTurn();
    collection.collect();
    await nextTurn();
    expect(refs.map((r) => r.deref() !== undefined)).toStrictEqual([true, false, true, false, false, true]);
    collection.release();
    await nextTurn();
    collection.collect();
    await nextTurn();
    expect(refs.map((r) => r.deref() !== undefined)).toStrictEqual([false, false, false, false, false, false]);
  });

  it('below the threshold nothing is held', async () => {
    const { refs, running } = await oldNodes(['change', 'inject']);
    const small = new DeployCollection(10);
    small.hold(running());
    await nextTurn();
    new DeployCollection(10000).collect();
    await nextTurn();
    expect(refs.map((r) => r.deref() !== undefined)).toStrictEqual([false, false]);
    small.release();
  });
});

describe('deploys and the collection', () => {
  const flow = (nodes: number, tag: string) => [{ id: 't', type: 'tab', label: 't' },
    ...Array.from({ length: nodes }, (_, i) => ({ id: `${tag}${i}`, type: 'inject', z: 't', props: [], repeat: '', once: false, x: 1, y: 1, wires: [] }))];

  it('a full deploy collects when it stops many running nodes, not when its own flows are big', async () => {
    const c = await startCrimson();
    try {
      const before = deployCollectionsMade();
      await c.deploy(flow(MIN_COLLECTED_DEPLOY + 100, 'a'));
      expect(deployCollectionsMade()).toBe(before); // over empty flows: nothing to free
      await c.deploy(flow(100, 'b'));
      expect(deployCollectionsMade()).toBe(before + 1); // stops the big flows
      await c.deploy(flow(MIN_COLLECTED_DEPLOY + 100, 'c'));
      expect(deployCollectionsMade()).toBe(before + 1);
      await c.deploy(flow(MIN_COLLECTED_DEPLOY + 100, 'd'));
      expect(deployCollectionsMade()).toBe(before + 2);
    } finally {
      await c.stop();
    }
  });
});
