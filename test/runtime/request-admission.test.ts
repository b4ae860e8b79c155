// Request admission (src/runtime/request-admission.ts): at most perTurn requests start per event-loop turn
// (acceptingPerTurn right after a connection was accepted); waiting ones start in the next turns, first
// requests of new connections before the others, each in arrival order; nothing waits under light load.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRequestAdmission } from '../../src/runtime/request-admission.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** A request on `socket` (an object standing for the connection), named for the log. */
const request = (name: string, socket: object) => ({ name, socket }) as unknown as IncomingMessage;
const res = {} as ServerResponse;

function admitted(limits = { perTurn: 3, acceptingPerTurn: 1 }) {
  const started: string[] = [];
  const a = createRequestAdmission((req) => { started.push((req as unknown as { name: string }).name); }, limits);
  return { a, started };
}

describe('request admission', () => {
  it('starts a request at once when nothing waits', () => {
    const { a, started } = admitted();
    a.listener(request('r1', {}), res);
    expect(started).toEqual(['r1']);
    expect(a.waiting).toBe(0);
  });

  it('starts at most perTurn a turn; the rest in the next turns, in arrival order', async () => {
    const { a, started } = admitted();
    const s = Array.from({ length: 7 }, () => ({}));
    for (let i = 0; i < 7; i++) a.listener(request(`r${i}`, s[i]!), res);
    expect(started).toEqual(['r0', 'r1', 'r2']);
    expect(a.waiting).toBe(4);
    await nextTurn();
    expect(started).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    await nextTurn();
    expect(started).toHaveLength(7);
    expect(a.waiting).toBe(0);
  });

  it('starts the first request of a new connection before later requests of older ones', async () => {
    const { a, started } = admitted();
    const old = [{}, {}, {}];
    for (const [i, s] of old.entries()) a.listener(request(`old${i}`, s), res);
    await nextTurn();
    // the old connections send again, then a new connection's first request arrives, all in one turn
    a.listener(request('old0b', old[0]!), res);
    a.listener(request('old1b', old[1]!), res);
    a.listener(request('old2b', old[2]!), res);
    a.listener(request('again', old[0]!), res);
    a.listener(request('new', {}), res);
    await nextTurn();
    expect(started.slice(3)).toEqual(['old0b', 'old1b', 'old2b', 'new', 'again']);
  });

  it('starts acceptingPerTurn in a turn after a connection was accepted, and always makes progress', async () => {
    const { a, started } = admitted();
    const s = [{}, {}, {}, {}, {}];
    a.accepted();
    for (const [i, x] of s.entries()) a.listener(request(`r${i}`, x), res);
    expect(started).toEqual(['r0']);
    for (let turn = 0; turn < 4; turn++) {
      a.accepted(); // a connection accepted in every turn: still one request a turn
      await nextTurn();
    }
    expect(started).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('keeps serving when a request handler throws', async () => {
    const started: string[] = [];
    const a = createRequestAdmission((req) => {
      const name = (req as unknown as { name: string }).name;
      started.push(name);
      if (name === 'r3') throw new Error('boom');
    }, { perTurn: 2, acceptingPerTurn: 1 });
    const errors: unknown[] = [];
    const onError = (err: unknown) => { errors.push(err); };
    process.on('uncaughtException', onError);
    try {
      for (let i = 0; i < 6; i++) a.listener(request(`r${i}`, {}), res);
      for (let i = 0; i < 4; i++) await nextTurn();
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(started).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });
});
