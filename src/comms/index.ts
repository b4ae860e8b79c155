// The /comms websocket (COMPAT B6): at <httpAdminRoot>comms on the runtime's http.Server (ws, noServer),
// retained messages and publishing from the event bus, the heartbeat, and the unhandled-upgrade timeout.
// Each connection is named by its address for the log and bounded by commsMaxBacklog (see outbound.ts).
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { EventEmitter } from 'node:events';
import type { WebSocketServer } from 'ws';
import { ws } from '../runtime/util/deps.js';
import type { Settings } from '../settings/types.js';
import { FALLBACKS } from '../settings/defaults.js';
import type { Logger } from '../runtime/logger.js';
import { hasPermission, type AdminAuth, type PublicUser } from '../auth/index.js';
import { CommsHub } from './hub.js';
import { CommsClient, type ClientContext } from './client.js';
import { attachBus } from './bus.js';
import { guardUpgrades, type UpgradeGuard } from './upgrade-guard.js';

export { topicMatches } from './topics.js';
export { runtimeStatePayload } from './bus.js';

export interface CommsOptions {
  server: http.Server;
  settings: Settings;
  auth: Pick<AdminAuth, 'enabled' | 'resolveToken' | 'anonymousUser' | 'authenticateHeaders' | 'onSessionExpiry'>;
  events: EventEmitter;
  logger: Logger;
}

export interface Comms {
  /** Starts answering upgrades and the heartbeat. */
  start(): void;
  /** Closes every connection (terminating those that linger) and detaches from the server and the bus. */
  stop(): Promise<void>;
  /** RED.comms.publish: to every connection; retain keeps it for later subscribers, no retain forgets it. */
  publish(topic: string, data: unknown, retain?: boolean): void;
}

const MAX_FRAME_BYTES = 10 * 1024 * 1024;
const CLOSE_GRACE_MS = 1000;

const positive = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

/** `<httpAdminRoot>comms` as Node-RED builds it, or null when there is no editor / admin API. */
export function commsPath(settings: Settings): string | null {
  if (settings.httpRoot === false || settings.httpAdminRoot === false || settings.disableEditor === true) return null;
  let root = String(settings.httpAdminRoot || settings.httpRoot || '/');
  if (!root.startsWith('/')) root = '/' + root;
  if (!root.endsWith('/')) root += '/';
  return root + 'comms';
}

/** `address:port` of the client end of a socket (`[v6]:port`), for log lines. */
function peerName(socket: { remoteAddress?: string; remotePort?: number }): string {
  const address = socket.remoteAddress;
  if (!address) return 'unknown';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}

/** The path of a request target, compared as is (no decoding), like url.parse(...).pathname. */
function pathnameOf(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try { return new URL(url).pathname; } catch { return ''; }
  }
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export function createComms(opts: CommsOptions): Comms {
  const { server, settings, auth, events, logger } = opts;
  const hub = new CommsHub(logger);
  const clients = new Set<CommsClient>();
  const detachBus = attachBus(events, hub, logger);
  let anonymous: Promise<PublicUser | null> | undefined;
  const ctx: ClientContext = {
    hub, events, logger,
    authEnabled: auth.enabled,
    resolveToken: (token) => auth.resolveToken(token as string),
    anonymousUser: () => (anonymous ??= auth.anonymousUser().catch(() => null)),
    maxBacklog: positive(settings.commsMaxBacklog, FALLBACKS.commsMaxBacklog),
  };
  let wss: WebSocketServer | undefined;
  let guard: UpgradeGuard | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;
  const path = commsPath(settings);

  auth.onSessionExpiry((tokenHash) => {
    for (const c of clients) c.expire(tokenHash);
  });

  async function accept(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let user: PublicUser | undefined;
    if (auth.enabled) {
      // a token in adminAuth.tokenHeader on the upgrade request authenticates the connection up front
      const viaHeader = await auth.authenticateHeaders(req.headers).catch(() => null);
      if (viaHeader === null || (viaHeader && !hasPermission(viaHeader.permissions, 'status.read'))) {
        logger.audit({ event: 'comms.auth.fail' });
        socket.destroy();
        return;
      }
      user = viaHeader;
    }
    if (stopped || !started || path === null || socket.destroyed) return;
    const peer = peerName(req.socket);
    // the websocket server (and the ws package) is made on the first connection: an idle runtime never needs it
    if (!wss) {
      wss = new (ws().WebSocketServer)({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: false });
      wss.on('error', (err) => logger.warn(`Communication server error: ${err.message}`));
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = new CommsClient(ws, ctx, user, peer);
      clients.add(client);
      ws.once('close', () => clients.delete(client));
    });
  }

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathnameOf(req.url ?? '') !== path) return; // someone else's (a node's), or nobody's: the guard decides
    accept(req, socket, head).catch((err: unknown) => {
      logger.warn(`Communication server error: ${err instanceof Error ? err.message : String(err)}`);
      socket.destroy();
    });
  };

  return {
    start() {
      if (started || stopped) return;
      started = true;
      guard = guardUpgrades(server, positive(settings.inboundWebSocketTimeout, 5000));
      if (path === null) return;
      server.on('upgrade', onUpgrade);
      const startedAt = Date.now(); // (quirk) every heartbeat carries this same time
      heartbeat = setInterval(() => hub.broadcast('hb', startedAt), positive(settings.webSocketKeepAliveTime, 15000));
      heartbeat.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (heartbeat) clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      guard?.stop();
      detachBus();
      await Promise.all([...clients].map((c) => c.shutdown(CLOSE_GRACE_MS)));
      clients.clear();
      wss?.close();
    },
    publish: (topic, data, retain) => hub.publish(topic, data, retain),
  };
}
