// One connection's outgoing queue and its backlog. Messages go out as JSON arrays of at most 50, the first
// 50 ms after it was queued (Node-RED's batching); a flush then sends all that is queued, 50 a frame, while the
// socket takes it, so a reading client is not held to Node-RED's 1,000 messages a second. The backlog is what
// is queued here plus what the socket has not sent (ws's bufferedAmount), counted incrementally; a frame that
// arrives while it is past `maxBacklog` (after sending at once what the socket takes: a burst is not a stuck
// client) is not queued: the owner is told once and the queue stops for good.
import { WS_OPEN } from './ready-state.js';
import type { Logger } from '../runtime/logger.js';
import { FALLBACKS } from '../settings/defaults.js';

export interface OutboundLimits {
  batchDelay: number;
  batchSize: number;
  /**
   * Largest backlog (queued frames' lengths in UTF-16 units, ≈ bytes for JSON, plus the socket's unsent
   * bytes) a connection may have when a message arrives (settings.commsMaxBacklog).
   */
  maxBacklog: number;
  /** Nothing more is written while the socket holds more than this many unsent bytes: the rest stays queued. */
  highWaterMark: number;
}

export const DEFAULT_LIMITS: OutboundLimits = {
  batchDelay: 50,
  batchSize: 50,
  maxBacklog: FALLBACKS.commsMaxBacklog,
  highWaterMark: 1024 * 1024,
};

/** What the queue needs of a socket (a ws WebSocket). */
export interface OutboundSocket {
  readonly readyState: number;
  /** Bytes handed to the socket and not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
}

export class OutboundQueue {
  private frames: string[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly sent = (err?: Error) => {
    if (err && !this.closed) this.logger.warn(`Communication send error: ${err.message}`);
  };

  /** `onOverflow(backlog)` is called once, when a frame arrives while the backlog is past maxBacklog. */
  constructor(
    private readonly socket: OutboundSocket,
    private readonly logger: Logger,
    private readonly limits: OutboundLimits,
    private readonly onOverflow: (backlog: number) => void,
  ) {}

  /** Unsent: queued here plus held by the socket. */
  get backlog(): number {
    return this.bytes + this.socket.bufferedAmount;
  }

  /** Queues one frame (null adds nothing, as Node-RED does with empty data, but still arms a flush). */
  push(frame: string | null): void {
    if (this.closed) return;
    if (frame !== null) {
      if (this.bytes + this.socket.bufferedAmount > this.limits.maxBacklog) {
        // a burst queued faster than the batching sends it: send it now if the socket takes it
        if (this.frames.length > 0) this.flush();
        const backlog = this.bytes + this.socket.bufferedAmount;
        if (backlog > this.limits.maxBacklog) {
          this.close();
          this.onOverflow(backlog);
          return;
        }
      }
      this.frames.push(frame);
      this.bytes += frame.length;
    }
    this.arm();
  }

  /** Stops sending and forgets what is queued. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.frames = [];
    this.bytes = 0;
  }

  private arm(): void {
    if (!this.timer && !this.closed) this.timer = setTimeout(() => this.flush(), this.limits.batchDelay);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.socket.readyState !== WS_OPEN) return;
    const { batchSize, highWaterMark } = this.limits;
    const frames = this.frames;
    let i = 0;
    do {
      if (this.socket.bufferedAmount > highWaterMark) break; // the client is behind: the rest waits here
      const batch = frames.slice(i, i + batchSize);
      i += batch.length;
      for (const f of batch) this.bytes -= f.length;
      this.socket.send(`[${batch.join(',')}]`, this.sent); // an empty batch too (`[]`, as Node-RED)
    } while (i < frames.length);
    this.frames = i === frames.length ? [] : frames.slice(i);
    if (this.frames.length > 0) this.arm();
  }
}
