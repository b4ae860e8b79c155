// Test helper: a Crimson started with `flows` for each test, a /comms client subscribed to `debug`, and
// what the debug nodes sent (their `msg` texts, in arrival order); `inject(id)` presses an inject node.
import { afterEach, beforeEach, expect } from 'vitest';
import { startCrimson, type Started } from './start-crimson.js';
import { commsUrl, openComms, sleep, type TestClient } from '../comms/ws-client.js';

export interface DebugComms {
  readonly c: Started;
  readonly ws: TestClient;
  /** The `msg` of every debug message received so far. */
  outputs(): string[];
  /** POST /inject/<id>, expecting 200. */
  inject(id: string): Promise<void>;
}

export function useDebugComms(flows: unknown[]): DebugComms {
  let c: Started;
  let ws: TestClient;
  beforeEach(async () => {
    c = await startCrimson({ flows });
    ws = await openComms(commsUrl(c.url));
    ws.send({ subscribe: 'debug' });
    await sleep(200);
  });
  afterEach(async () => { await ws.close(); await c.stop(); });
  return {
    get c() { return c; },
    get ws() { return ws; },
    outputs: () => ws.messages().filter((m) => m.topic === 'debug').map((m) => (m.data as { msg: string }).msg),
    async inject(id) { expect((await fetch(c.url + 'inject/' + id, { method: 'POST' })).status).toBe(200); },
  };
}
