// How many HTTP requests the server starts per turn of the event loop, and in which order. Node (libuv ≥ 1.45)
// accepts one new connection each time the event loop polls, and a turn starts every request that arrived on
// the connections it already has; with thousands of busy keep-alive connections a turn takes tens of
// milliseconds, so new connections wait seconds in the kernel's accept queue while the first ones are served
// again and again (wrk -c2000: p99 in seconds, requests timing out). Here a turn starts at most `perTurn`
// requests (`acceptingPerTurn` just after a connection was accepted, when more are likely waiting: short
// turns accept faster). The rest wait: first the first requests of new connections (they have waited longest,
// in the accept queue), then the others, each in arrival order. Under light load nothing waits: a request
// that finds no one waiting and the turn's budget left starts at once.
import type { IncomingMessage, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface AdmissionLimits {
  /** Requests started per turn when no connection is being accepted. */
  perTurn: number;
  /** Requests started per turn right after a connection was accepted (at least 1: requests always progress). */
  acceptingPerTurn: number;
}

export const DEFAULT_ADMISSION: AdmissionLimits = { perTurn: 32, acceptingPerTurn: 1 };

export interface RequestAdmission {
  /** The server's request listener. */
  listener: Listener;
  /** The server's 'connection' listener (a connection was accepted). */
  accepted(): void;
  /** Requests waiting for their turn. */
  readonly waiting: number;
}

/** A first-in first-out queue of requests (arrays with a moving head: no shift() per request). */
class RequestQueue {
  private reqs: IncomingMessage[] = [];
  private ress: ServerResponse[] = [];
  private head = 0;
  get size(): number { return this.reqs.length - this.head; }
  push(req: IncomingMessage, res: ServerResponse): void {
    this.reqs.push(req);
    this.ress.push(res);
  }
  /** Takes the oldest and hands it to `start` (the queue is consistent before `start` runs). */
  startOldest(start: Listener): void {
    const req = this.reqs[this.head]!;
    const res = this.ress[this.head]!;
    this.reqs[this.head] = undefined as never;
    this.ress[this.head] = undefined as never;
    if (++this.head === this.reqs.length) {
      this.reqs = [];
      this.ress = [];
      this.head = 0;
    }
    start(req, res);
  }
}

/** Marks a connection that has had a request. */
const SERVED = Symbol('crimson.served');

export function createRequestAdmission(handle: Listener, limits: AdmissionLimits = DEFAULT_ADMISSION): RequestAdmission {
  const fresh = new RequestQueue();
  const rest = new RequestQueue();
  const perTurn = Math.max(1, limits.perTurn);
  const acceptingPerTurn = Math.max(1, Math.min(perTurn, limits.acceptingPerTurn));
  let budget = perTurn;
  let armed = false;
  let accepting = false;

  /** Once per turn (check phase): a new budget, then the waiting requests it covers. */
  const turn = () => {
    armed = false;
    budget = accepting ? acceptingPerTurn : perTurn;
    accepting = false;
    while (budget > 0) {
      const queue = fresh.size > 0 ? fresh : rest.size > 0 ? rest : undefined;
      if (!queue) return;
      budget--;
      // armed before the request starts: whatever it throws, the others still get their turn
      if (fresh.size + rest.size > 1) arm();
      queue.startOldest(handle);
    }
  };
  const arm = () => {
    if (!armed) {
      armed = true;
      setImmediate(turn);
    }
  };

  return {
    listener(req, res) {
      const socket = req.socket as unknown as Record<symbol, boolean>;
      const first = !socket[SERVED];
      if (first) socket[SERVED] = true;
      if (budget > 0 && fresh.size + rest.size === 0) {
        budget--;
        arm();
        handle(req, res);
        return;
      }
      (first ? fresh : rest).push(req, res);
      arm();
    },
    accepted() {
      accepting = true;
      if (budget > acceptingPerTurn) budget = acceptingPerTurn;
      arm();
    },
    get waiting() { return fresh.size + rest.size; },
  };
}
