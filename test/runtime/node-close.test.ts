// Close handlers as Node-RED runs them: (removed, done) / (done) / () forms, thrown errors ignored, and
// settings.nodeCloseTimeout bounding a handler that never calls done, so a deploy never stalls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import type { RED } from '../../src/registry/red-types.js';

let c: Started;
let calls: unknown[][];

beforeEach(async () => {
  calls = [];
  c = await startCrimson({ settings: { nodeCloseTimeout: 300 } });
  await c.runtime.loadNodeModule({ name: 'test-close', version: '1.0.0' }, {
    closers: (R: RED) => {
      R.nodes.registerType('stuck', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        this.on('close', (removed: boolean, _done: () => void) => { calls.push(['stuck', removed]); });
      });
      R.nodes.registerType('forms', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        this.on('close', function (this: any) { calls.push(['none', this.id]); throw new Error('ignored'); });
        this.on('close', (done: () => void) => { calls.push(['done']); done(); });
        this.on('close', (a: unknown, b: unknown, _c: unknown) => { calls.push(['three', typeof a, b]); (a as () => void)(); });
        this.on('close', (removed: boolean, done: () => void) => { calls.push(['removed', removed]); throw new Error('also ignored'); done(); });
      });
    },
  });
});
afterEach(async () => { await c.stop(); });

describe('close handlers', () => {
  it('a handler that never calls done is given up on after nodeCloseTimeout', async () => {
    await c.deploy([{ id: 't', type: 'tab' }, { id: 's', type: 'stuck', z: 't', x: 1, y: 1, wires: [] }]);
    const started = Date.now();
    await c.deploy([{ id: 't', type: 'tab' }]);
    const took = Date.now() - started;
    expect(calls).toEqual([['stuck', true]]);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(c.logs.some((l) => l.includes('[stuck:s] Error stopping node: Close timed out'))).toBe(true);
    // the runtime goes on deploying
    await c.deploy([{ id: 't', type: 'tab' }, { id: 's2', type: 'stuck', z: 't', x: 1, y: 1, wires: [] }]);
    expect(c.runtime.engine.nodes.has('s2')).toBe(true);
  });

  it('every handler form runs; the removed flag is false for a node kept in the config; throws are ignored', async () => {
    const flows = [{ id: 't', type: 'tab' }, { id: 'f', type: 'forms', z: 't', x: 1, y: 1, wires: [] }];
    await c.deploy(flows);
    await c.deploy(flows);
    expect(calls).toEqual([['none', 'f'], ['done'], ['three', 'function', undefined], ['removed', false]]);
    expect(c.logs.some((l) => l.includes('Error stopping node'))).toBe(false);
    expect(c.runtime.engine.nodes.has('f')).toBe(true);
  });
});
