// The outgoing queue of one /comms connection against a fake socket: batching (50 a frame, the first flush
// 50 ms after the first message, then all that is queued while the socket takes it), the backlog accounting
// (queued lengths plus the socket's unsent bytes) and the one overflow past maxBacklog.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboundQueue, type OutboundLimits, type OutboundSocket } from '../../src/comms/outbound.js';
import { createLogger } from '../../src/runtime/logger.js';

/** A socket whose unsent bytes the test sets; `takes` = whether sends go straight out (else they pile up). */
class FakeSocket implements OutboundSocket {
  readyState = 1; // OPEN
  bufferedAmount = 0;
  takes = true;
  sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
    if (!this.takes) this.bufferedAmount += Buffer.byteLength(data);
  }
  /** The messages sent, batches flattened. */
  messages(): unknown[] { return this.sent.flatMap((s) => JSON.parse(s) as unknown[]); }
}

const limits: OutboundLimits = { batchDelay: 50, batchSize: 50, maxBacklog: 10_000, highWaterMark: 4_000 };
const frame = (n: number, pad = 0) => JSON.stringify({ topic: 't', data: { n, pad: 'x'.repeat(pad) } });

let socket: FakeSocket;
let overflows: number[];
let logs: string[];
let q: OutboundQueue;
beforeEach(() => {
  vi.useFakeTimers();
  socket = new FakeSocket();
  overflows = [];
  logs = [];
  q = new OutboundQueue(socket, createLogger({ write: (l) => logs.push(l) }), limits, (b) => overflows.push(b));
});
afterEach(() => { q.close(); vi.useRealTimers(); });

describe('batching', () => {
  it('sends 50 ms after the first message, everything queued, 50 messages a frame, in order', () => {
    for (let i = 0; i < 120; i++) q.push(frame(i));
    vi.advanceTimersByTime(49);
    expect(socket.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(socket.sent.map((s) => (JSON.parse(s) as unknown[]).length)).toEqual([50, 50, 20]);
    expect(socket.messages().map((m) => (m as { data: { n: number } }).data.n)).toEqual([...Array(120).keys()]);
    expect(q.backlog).toBe(0);
  });

  it('a null frame adds nothing but still makes an (empty) batch, as Node-RED', () => {
    q.push(null);
    vi.advanceTimersByTime(50);
    expect(socket.sent).toEqual(['[]']);
  });

  it('writes nothing while the socket holds more than the high-water mark; the rest follows once it drains', () => {
    socket.bufferedAmount = 5_000;
    q.push(frame(1));
    q.push(frame(2));
    vi.advanceTimersByTime(200);
    expect(socket.sent).toEqual([]);
    socket.bufferedAmount = 0;
    vi.advanceTimersByTime(50);
    expect(socket.messages()).toHaveLength(2);
  });
});

describe('backlog', () => {
  it('is the queued frames plus what the socket has not sent, kept as frames come and go', () => {
    const a = frame(1, 100);
    const b = frame(2, 200);
    q.push(a);
    q.push(b);
    expect(q.backlog).toBe(a.length + b.length);
    socket.bufferedAmount = 700;
    expect(q.backlog).toBe(a.length + b.length + 700);
    socket.bufferedAmount = 0;
    socket.takes = false; // the client stops reading: what is sent stays in the socket
    vi.advanceTimersByTime(50);
    expect(q.backlog).toBe(socket.bufferedAmount);
    expect(socket.bufferedAmount).toBe(a.length + b.length + 3); // `[` `,` `]`
  });

  it('past maxBacklog the next frame is refused: one overflow, the queue emptied and stopped', () => {
    socket.takes = false;
    let pushed = 0;
    while (overflows.length === 0 && pushed < 1000) {
      q.push(frame(pushed++, 500));
      vi.advanceTimersByTime(50);
    }
    expect(overflows).toHaveLength(1);
    expect(overflows[0]).toBeGreaterThan(limits.maxBacklog);
    // never more than the bound plus one frame and a batch's brackets
    expect(overflows[0]).toBeLessThanOrEqual(limits.maxBacklog + frame(0, 500).length + 2);
    const sentBefore = socket.sent.length;
    for (let i = 0; i < 100; i++) q.push(frame(i, 500));
    vi.advanceTimersByTime(1000);
    expect(overflows).toHaveLength(1);
    expect(socket.sent).toHaveLength(sentBefore);
    expect(q.backlog).toBe(socket.bufferedAmount);
    expect(logs).toEqual([]); // the owner logs, not the queue
  });

  it('a burst bigger than the bound for a socket that takes it is sent at once, not dropped', () => {
    for (let i = 0; i < 100; i++) q.push(frame(i, 400)); // ~45 KB within one batching delay
    expect(overflows).toEqual([]);
    expect(q.backlog).toBeLessThanOrEqual(limits.maxBacklog + frame(0, 400).length);
    vi.advanceTimersByTime(50);
    expect(socket.messages().map((m) => (m as { data: { n: number } }).data.n)).toEqual([...Array(100).keys()]);
    expect(q.backlog).toBe(0);
  });

  it('a socket that is no longer open gets nothing; its queue is still bounded', () => {
    socket.readyState = 2; // CLOSING
    let pushed = 0;
    while (overflows.length === 0 && pushed < 1000) {
      q.push(frame(pushed++, 500));
      vi.advanceTimersByTime(50);
    }
    expect(socket.sent).toEqual([]);
    expect(overflows).toHaveLength(1);
  });
});
