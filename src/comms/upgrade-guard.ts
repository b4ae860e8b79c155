// Unhandled websocket upgrades: any upgrade request (for /comms, a node's own path, or nothing) gets
// `inboundWebSocketTimeout` ms for someone to answer it; a socket nothing was written to is then destroyed.
import type http from 'node:http';
import type { Duplex } from 'node:stream';

export interface UpgradeGuard {
  /** Stops watching; destroys the sockets still waiting for an answer. */
  stop(): void;
}

export function guardUpgrades(server: http.Server, timeoutMs: number): UpgradeGuard {
  const waiting = new Map<Duplex, NodeJS.Timeout>();
  const unanswered = (socket: Duplex) => ((socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0) === 0;

  const onUpgrade = (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', () => { /* the remote end went away before anyone answered */ });
    const timer = setTimeout(() => {
      waiting.delete(socket);
      if (unanswered(socket)) socket.destroy();
    }, timeoutMs);
    timer.unref();
    waiting.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      waiting.delete(socket);
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    stop() {
      server.off('upgrade', onUpgrade);
      for (const [socket, timer] of waiting) {
        clearTimeout(timer);
        if (unanswered(socket)) socket.destroy();
      }
      waiting.clear();
    },
  };
}
