// The switch node's messages, handled one at a time in arrival order but at once: a message is handled when
// it arrives unless an earlier one is still waiting on a callback (JSONata, an async context store), in which
// case it waits behind that one. (Node-RED's switch handles one message per turn of the event loop, always.)
// A message whose handling stops the node (Stop) is reported against it, and nothing is handled after it.

export type Msg = Record<string, any>;

/** What stopped the node: an exception Node-RED's switch lets out of its input handler. */
export class Stop {
  constructor(readonly err: unknown) {}
}

/** Called once when a message has been handled (or stopped the node). */
export type Done = (stop?: Stop) => void;
export type Work = (msg: Msg, done: Done) => void;

export class ArrivalQueue {
  private waiting: Msg[] = [];
  private busy = false;
  private stopped = false;
  /** The message being handled, and whether its done() came before its handling returned. */
  private current: Msg | undefined;
  private inCall = false;
  private doneInCall = false;

  constructor(private readonly work: Work, private readonly onStop: (err: unknown, msg: Msg) => void) {}

  push(msg: Msg): void {
    if (this.stopped) return;
    if (this.busy) {
      this.waiting.push(msg);
      return;
    }
    this.runFrom(msg);
  }

  private readonly done: Done = (stop) => {
    if (stop) {
      this.stopped = true;
      this.waiting = [];
      this.onStop(stop.err, this.current!);
    }
    if (this.inCall) {
      this.doneInCall = true;
      return;
    }
    this.busy = false;
    const next = this.waiting.shift();
    if (next !== undefined) this.runFrom(next);
  };

  /** Handles `first`, then what waits, for as long as each is done before its handling returns. */
  private runFrom(first: Msg): void {
    let msg: Msg | undefined = first;
    while (msg !== undefined) {
      this.busy = true;
      this.current = msg;
      this.doneInCall = false;
      this.inCall = true;
      try {
        this.work(msg, this.done);
      } finally {
        this.inCall = false;
      }
      if (!this.doneInCall) return; // goes on in a callback: its done() carries on from there
      msg = this.waiting.shift();
    }
    this.busy = false;
  }
}
