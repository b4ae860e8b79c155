// The switch node's messages at Node-RED's pace: a message that arrives while the node is idle is handled at
// once; once handled, the node stays busy until its next step, a turn later (Node-RED's switch takes it with
// setImmediate; here it is deferred into the delivery batch, in the same order), so messages that arrive
// meanwhile are handled one per turn, in arrival order. Downstream nodes see Node-RED's interleaving (a chain
// of switches passes a burst along message by message).
// Messages of different HTTP requests (a different msg.res) are paced apart, each request as if it had the
// node alone: when two requests arrive together is up to the network, so no flow can tell, and under load the
// node does not hold every request back one turn per request ahead of it. Messages without msg.res share one
// pace, as all messages do on Node-RED. A request's lanes hang on its msg.res object under a symbol (a Map
// keyed by short-lived request objects kept them alive through young-generation collections: 16% of the CPU
// in GC under load).
// A message whose handling stops the node (Stop) is reported against it, and nothing is handled after it.
import type { DeferredTask } from '../../runtime/flow-host.js';

export type Msg = Record<string, any>;

/** What stopped the node: an exception Node-RED's switch lets out of its input handler. */
export class Stop {
  constructor(readonly err: unknown) {}
}

/** Called once when a message has been handled (or stopped the node). */
export type Done = (stop?: Stop) => void;
export type Work = (msg: Msg, done: Done) => void;

/** Messages paced together: the node's busy state and the messages waiting, for one request (or all others). */
class Lane {
  waiting: Msg[] = [];
  head = 0;
  busy = false;
  /** The request's lane at another switch node (a request's lanes form a list on its msg.res). */
  other: Lane | undefined = undefined;
  constructor(readonly queue: ArrivalQueue, readonly request: Record<symbol, Lane | undefined> | undefined) {}
}

/** Where a request's msg.res carries its lanes. */
const LANES = Symbol('switch lanes');

export class ArrivalQueue {
  private readonly shared = new Lane(this, undefined);
  private stopped = false;

  constructor(
    private readonly work: Work,
    private readonly onStop: (err: unknown, msg: Msg) => void,
    private readonly defer: (task: DeferredTask) => void,
  ) {}

  push(msg: Msg): void {
    if (this.stopped) return;
    const lane = this.laneOf(msg);
    if (lane.busy) {
      lane.waiting.push(msg);
      return;
    }
    this.handle(lane, msg);
  }

  private laneOf(msg: Msg): Lane {
    const res: unknown = msg.res;
    if (typeof res !== 'object' || res === null) return this.shared;
    const request = res as Record<symbol, Lane | undefined>;
    const first = request[LANES];
    for (let lane = first; lane; lane = lane.other) if (lane.queue === this) return lane;
    const lane = new Lane(this, request);
    lane.other = first;
    request[LANES] = lane;
    return lane;
  }

  /** Takes an idle lane off its request's list. */
  private static drop(lane: Lane): void {
    const request = lane.request!;
    let at = request[LANES];
    if (at === lane) {
      request[LANES] = lane.other;
      return;
    }
    while (at && at.other !== lane) at = at.other;
    if (at) at.other = lane.other;
  }

  /** Handles `msg`; true when it was done before the call returned. */
  private handle(lane: Lane, msg: Msg): boolean {
    lane.busy = true;
    let inCall = true;
    let doneInCall = false;
    try {
      this.work(msg, (stop) => {
        if (stop) {
          this.stop(stop.err, msg);
          return;
        }
        if (inCall) doneInCall = true;
        this.defer(() => this.next(lane));
      });
    } catch (err) {
      this.stop(err, msg);
      return true;
    } finally {
      inCall = false;
    }
    return doneInCall;
  }

  private stop(err: unknown, msg: Msg): void {
    if (this.stopped) return;
    this.stopped = true;
    this.shared.waiting = [];
    this.onStop(err, msg);
  }

  /** The lane's next step: its oldest waiting message, or idle again. */
  private next(lane: Lane): boolean {
    if (this.stopped) return true;
    if (lane.head === lane.waiting.length) {
      lane.waiting.length = 0;
      lane.head = 0;
      lane.busy = false;
      if (lane.request) ArrivalQueue.drop(lane);
      return true;
    }
    const msg = lane.waiting[lane.head]!;
    lane.waiting[lane.head++] = undefined as never;
    return this.handle(lane, msg);
  }
}
