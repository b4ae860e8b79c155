// A test node package: `probe` records the messages it receives (and optionally forwards, throws or
// reports an error/status); `emit` is a node the test sends from.
import type { Started } from './start-crimson.js';
import type { RED } from '../../src/registry/red-types.js';

export interface Seen { id: string; msg: Record<string, any>; order: number }

export async function withProbeNodes(started: Started) {
  const seen: Seen[] = [];
  let order = 0;
  const emitters = new Map<string, any>();
  await started.runtime.loadNodeModule({ name: 'test-probe', version: '1.0.0' }, {
    probe: (R: RED) => {
      R.nodes.registerType('probe', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        this.on('input', (msg: Record<string, unknown>, send: (m: unknown) => void, done: (e?: unknown) => void) => {
          seen.push({ id: this.id, msg, order: order++ });
          if (config.status) this.status(config.status);
          if (config.forward) send(msg);
          if (config.throws) throw new Error('probe failed');
          if (config.fails) return done(new Error(config.fails));
          done();
        });
      });
      R.nodes.registerType('emit', function (this: any, config: any) {
        R.nodes.createNode(this, config);
        emitters.set(this.id, this);
      });
    },
  });
  // several turns of the event loop (each delivery hop is one), then a short pause for timers
  const settle = async () => {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
  };
  return { seen, emitters, settle, of: (id: string) => seen.filter((s) => s.id === id).map((s) => s.msg) };
}
