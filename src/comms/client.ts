// One /comms connection (COMPAT B6): the `{"auth":token}` handshake when adminAuth is on (status.read,
// the anonymous default-user quirk), subscribe frames, client `{topic,data}` frames put on the event bus.
// Frames are handled one after the other, so a frame sent right behind `auth` waits for its answer.
// A connection whose backlog passes commsMaxBacklog is dropped: one warning, close 1013, cut if it lingers.
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { WS_CLOSED, WS_OPEN } from './ready-state.js';
import type { Logger } from '../runtime/logger.js';
import { hasPermission, hashToken, type PublicUser, type TokenGrant } from '../auth/index.js';
import type { CommsHub, HubClient } from './hub.js';
import { DEFAULT_LIMITS, OutboundQueue } from './outbound.js';

/** What a connection needs of the runtime. */
export interface ClientContext {
  hub: CommsHub;
  events: EventEmitter;
  logger: Logger;
  /** Whether adminAuth is on (a handshake is required). */
  authEnabled: boolean;
  resolveToken(token: unknown): Promise<TokenGrant | null>;
  anonymousUser(): Promise<PublicUser | null>;
  /** settings.commsMaxBacklog: the unsent bytes past which a connection is dropped. */
  maxBacklog: number;
}

type State = 'pending' | 'active' | 'closed';

const MAX_WAITING_FRAMES = 100;
/** Close code for a connection dropped for its backlog: "try again later" (the editor reconnects on any close). */
const CLOSE_BACKLOG = 1013;
/** How long a dropped connection gets to complete the close handshake before its socket is cut. */
const DROP_GRACE_MS = 2000;

/** A field of a parsed frame; primitives and arrays have none (as Node-RED reads `msg.auth` etc.). */
function field(msg: unknown, key: string): unknown {
  return typeof msg === 'object' && msg !== null && Object.prototype.hasOwnProperty.call(msg, key)
    ? (msg as Record<string, unknown>)[key]
    : undefined;
}

function frameText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
}

export class CommsClient implements HubClient {
  readonly session = randomBytes(32).toString('base64');
  private state: State;
  private user: PublicUser | undefined;
  private tokenHash: string | undefined;
  private readonly out: OutboundQueue;
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;

  /**
   * `user` is set when the upgrade request already authenticated (adminAuth tokenHeader); `peer` names the
   * client in the log (its address:port).
   */
  constructor(private readonly ws: WebSocket, private readonly ctx: ClientContext, user?: PublicUser, private readonly peer = 'unknown') {
    this.out = new OutboundQueue(ws, ctx.logger, { ...DEFAULT_LIMITS, maxBacklog: ctx.maxBacklog }, (backlog) => this.drop(backlog));
    this.user = user;
    this.state = 'pending';
    ctx.logger.audit({ event: 'comms.open' });
    ctx.logger.trace(`comms.open ${this.session}`);
    ws.on('message', (data) => this.receive(data));
    ws.on('close', () => this.closed());
    ws.on('error', (err) => ctx.logger.warn(`Communication channel error: ${err.message}`));
    if (user || !ctx.authEnabled) this.activate();
  }

  enqueue(frame: string | null): void {
    this.out.push(frame);
  }

  /** The session (by token hash) has expired: tell the client and close. */
  expire(tokenHash: string): void {
    if (this.state === 'active' && this.tokenHash === tokenHash) this.fail();
  }

  /** Closes the socket (runtime stop); resolves once it is closed, terminating it if it lingers. */
  shutdown(graceMs: number): Promise<void> {
    if (this.ws.readyState === WS_CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.ws.terminate(), graceMs);
      this.ws.once('close', () => { clearTimeout(timer); resolve(); });
      this.ws.close(1001);
    });
  }

  private receive(data: WebSocket.RawData): void {
    if (this.state === 'closed') return;
    let msg: unknown;
    try {
      msg = JSON.parse(frameText(data));
    } catch (err) {
      this.ctx.logger.trace(`comms received malformed message : ${String(err)}`);
      return;
    }
    if (msg === null) return; // Node-RED crashes on this one; it means nothing
    if (this.waiting >= MAX_WAITING_FRAMES) {
      this.ctx.logger.trace('comms dropped a frame: too many waiting for authentication');
      return;
    }
    this.waiting++;
    this.chain = this.chain.then(() => this.handle(msg)).catch((err: unknown) => {
      this.ctx.logger.warn(`Communication channel error: ${err instanceof Error ? err.message : String(err)}`);
    }).finally(() => { this.waiting--; });
  }

  private async handle(msg: unknown): Promise<void> {
    if (this.state === 'closed') return;
    const auth = field(msg, 'auth');
    const subscribe = field(msg, 'subscribe');
    if (auth) return this.authenticate(auth);
    if (this.state === 'pending') {
      // (quirk) any other first frame is an attempt at anonymous access; only a subscribe in it is honoured
      const anon = await this.ctx.anonymousUser().catch(() => null);
      if (this.state !== 'pending') return;
      if (!anon || !hasPermission(anon.permissions, 'status.read')) {
        this.ctx.logger.audit({ event: 'comms.auth.fail' });
        return this.fail();
      }
      this.user = anon;
      this.ctx.logger.audit({ event: 'comms.auth', user: anon });
      this.activate();
      if (typeof subscribe === 'string' && subscribe) this.ctx.hub.replay(this, subscribe);
      return;
    }
    if (subscribe) {
      if (typeof subscribe === 'string') this.ctx.hub.replay(this, subscribe);
      return;
    }
    const topic = field(msg, 'topic');
    if (typeof topic === 'string' && topic) {
      this.ctx.events.emit(`comms:message:${topic}`, { session: this.session, user: this.user, data: field(msg, 'data') });
    }
  }

  private async authenticate(token: unknown): Promise<void> {
    if (!this.ctx.authEnabled) {
      this.sendNow({ auth: 'ok' }); // nothing to check (Node-RED crashes on an auth frame without adminAuth)
      return;
    }
    const grant = await this.ctx.resolveToken(token).catch(() => null);
    if (this.state === 'closed') return;
    if (!grant || !hasPermission(grant.scope, 'status.read')) {
      this.ctx.logger.audit({ event: 'comms.auth.fail' });
      return this.fail();
    }
    this.user = grant.user;
    this.tokenHash = typeof token === 'string' ? hashToken(token) : undefined;
    this.ctx.logger.audit({ event: 'comms.auth', user: grant.user });
    this.activate();
    this.sendNow({ auth: 'ok' });
  }

  private activate(): void {
    if (this.state !== 'pending') return;
    this.state = 'active';
    this.ctx.hub.add(this);
    this.ctx.events.emit('comms:connection-added', { session: this.session, user: this.user });
  }

  /** `{"auth":"fail"}` then close (the client sees 1005: no status code). */
  private fail(): void {
    this.sendNow({ auth: 'fail' });
    this.ws.close();
    this.closed();
  }

  /**
   * The backlog passed maxBacklog: one warning, then close 1013. The close frame queues behind what the socket
   * already holds; a client that has not read it (and answered) within DROP_GRACE_MS has its socket cut.
   */
  private drop(backlog: number): void {
    this.ctx.logger.warn(`Communication channel ${this.peer} dropped: ${backlog} bytes not sent, more than commsMaxBacklog (${this.ctx.maxBacklog})`);
    this.closed();
    const timer = setTimeout(() => this.ws.terminate(), DROP_GRACE_MS);
    timer.unref();
    this.ws.once('close', () => clearTimeout(timer));
    this.ws.close(CLOSE_BACKLOG, 'backlog too large');
  }

  private sendNow(msg: Record<string, string>): void {
    if (this.ws.readyState === WS_OPEN) this.ws.send(JSON.stringify(msg));
  }

  private closed(): void {
    if (this.state === 'closed') return;
    const wasActive = this.state === 'active';
    this.state = 'closed';
    this.out.close();
    if (wasActive && this.ctx.hub.remove(this)) {
      this.ctx.events.emit('comms:connection-removed', { session: this.session });
    }
    this.ctx.logger.audit({ event: 'comms.close', user: this.user, session: this.session });
    this.ctx.logger.trace(`comms.close ${this.session}`);
  }
}
