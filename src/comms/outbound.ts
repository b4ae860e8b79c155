// One connection's outgoing queue: frames are sent as JSON arrays of at most 50 messages, 50 ms after the
// first queued one (Node-RED's batching). Bounded: a client that does not read (ws bufferedAmount high)
// is not written to, its queue stops growing at a message/byte budget and newer messages are dropped.
import type WebSocket from 'ws';
import { ws } from '../runtime/util/deps.js';
import type { Logger } from '../runtime/logger.js';

export interface OutboundLimits {
  batchDelay: number;
  batchSize: number;
  maxMessages: number;
  /** Sum of the queued frames' lengths (UTF-16 units, close enough to bytes for a budget). */
  maxBytes: number;
  /** Nothing more is written while the socket holds more than this many unsent bytes. */
  highWaterMark: number;
}

export const DEFAULT_LIMITS: OutboundLimits = {
  batchDelay: 50,
  batchSize: 50,
  maxMessages: 1000,
  maxBytes: 8 * 1024 * 1024,
  highWaterMark: 1024 * 1024,
};

export class OutboundQueue {
  private frames: string[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private dropping = false;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly logger: Logger,
    private readonly label: string,
    private readonly limits: OutboundLimits = DEFAULT_LIMITS,
  ) {}

  /** Queues one frame (null adds nothing, as Node-RED does with empty data, but still arms a flush). */
  push(frame: string | null): void {
    if (this.closed) return;
    if (frame !== null) {
      if (this.frames.length >= this.limits.maxMessages || this.bytes + frame.length > this.limits.maxBytes) {
        if (!this.dropping) {
          this.dropping = true;
          this.logger.warn(`Communication channel ${this.label} is not reading: dropping messages until it catches up`);
        }
      } else {
        this.frames.push(frame);
        this.bytes += frame.length;
      }
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
    this.timer = undefined;
    if (this.closed || this.ws.readyState !== ws.OPEN) return;
    if (this.ws.bufferedAmount > this.limits.highWaterMark) {
      this.arm(); // the client is behind: try again later, the queue absorbs (up to its budget)
      return;
    }
    const batch = this.frames.splice(0, this.limits.batchSize);
    for (const f of batch) this.bytes -= f.length;
    this.ws.send(`[${batch.join(',')}]`, (err) => {
      if (err && !this.closed) this.logger.warn(`Communication send error: ${err.message}`);
    });
    if (this.frames.length === 0) this.dropping = false;
    if (this.frames.length > 0) this.arm();
  }
}
