// Message sequences (msg.parts) in the switch node. With `repair` or a `tail` rule, the parts of a sequence
// are held until its count is known and all have arrived, then routed in arrival order with msg.parts.count
// set; with `repair`, what each output got is sent as a sequence of its own (a new parts id, index and
// count per output) once the last part is routed. The pending count and its limit
// (settings.nodeMessageBufferMaxLength: "too many pending messages", everything held dropped) count as
// Node-RED's do, quirks included: a sent sequence takes off its number of outputs, not of messages.
import type { Node } from '../../runtime/node.js';
import { cloneMessage } from '../../runtime/util/clone.js';
import { generateId } from '../../runtime/util/id.js';
import type { Done, Msg } from './arrival-queue.js';

interface Arriving {
  /** msg.parts.count, from whichever part had one (compared with ===: a count given as text never completes). */
  count: unknown;
  msgs: Msg[];
}

export interface SequenceHost {
  node: Node;
  /** settings.nodeMessageBufferMaxLength (0: no limit). */
  maxKept(): any;
  tooMany(): string;
  /** Routes one held message (its sequence complete). */
  route(msg: Msg, done: Done): void;
}

/** Sequences are told apart by msg.parts.id as text, as the keys of Node-RED's tables. */
const keyOf = (id: unknown): string => String(id);

export class HeldSequences {
  private pendingCount = 0;
  private arriving = new Map<string, Arriving>();
  /** repair: per sequence, the outputs array each routed part got. */
  private routed = new Map<string, unknown[][]>();
  private received = new Map<string, number>();

  constructor(private readonly host: SequenceHost) {}

  /** Holds a part; when its sequence is complete, routes all of its parts (done once they are). */
  hold(msg: Msg, done: Done): void {
    const parts = msg.parts;
    const group = this.add(msg, parts);
    const msgs = group.msgs;
    const count = group.count;
    const size = msgs.length;
    if (count !== size) {
      done();
      return;
    }
    this.drain(msgs, count, (stop) => {
      if (stop) {
        done(stop);
        return;
      }
      this.pendingCount -= size;
      this.arriving.delete(keyOf(parts.id));
      done();
    });
  }

  private add(msg: Msg, parts: any): Arriving {
    const key = keyOf(parts.id);
    let group = this.arriving.get(key);
    if (!group) {
      group = { count: undefined, msgs: [] };
      this.arriving.set(key, group);
    }
    group.msgs.push(msg);
    this.pendingCount++;
    this.checkLimit(msg); // (past the limit the group is forgotten, yet still completes below if it can)
    if (parts.hasOwnProperty('count')) group.count = parts.count;
    return group;
  }

  /** Routes the messages in order; one that goes on in a callback holds the rest until it is done. */
  private drain(msgs: Msg[], count: unknown, finished: Done): void {
    let inCall = false;
    let ready = false;
    const next: Done = (stop) => {
      if (stop || msgs.length === 0) {
        finished(stop);
        return;
      }
      if (inCall) ready = true;
      else loop();
    };
    const loop = () => {
      do {
        ready = false;
        const msg = msgs.shift()!;
        msg.parts.count = count;
        inCall = true;
        try {
          this.host.route(msg, next);
        } finally {
          inCall = false;
        }
      } while (ready);
    };
    loop();
  }

  /** repair: records where a part went; the last part of its sequence sends them all. */
  sendOn(onward: unknown[], msg: Msg): void {
    const parts = msg.parts;
    const key = keyOf(parts.id);
    const got = (this.received.get(key) ?? 0) + 1;
    this.received.set(key, got);
    let onwards = this.routed.get(key);
    if (!onwards) {
      onwards = [];
      this.routed.set(key, onwards);
    }
    onwards.push(onward);
    this.pendingCount++;
    if (got === parts.count) {
      this.sendSequences(onwards, onward.length);
      this.pendingCount -= onward.length;
      this.routed.delete(key);
      this.received.delete(key);
    }
    this.checkLimit(msg);
  }

  /**
   * One send per part, each output getting a copy with that output's own sequence id, index and count. The
   * number of outputs is the last part's (with checkall "false" a part's array can be shorter or longer).
   */
  private sendSequences(onwards: unknown[][], ports: number): void {
    const counts = new Array<number>(ports).fill(0);
    // (an entry missing from a shorter array is counted: only null is "not sent")
    for (const onward of onwards) for (let j = 0; j < ports; j++) if (onward[j] !== null) counts[j]!++;
    const ids = Array.from({ length: ports }, () => generateId());
    const indexes = new Array<number>(ports).fill(0);
    for (const onward of onwards) {
      const out: unknown[] = new Array(ports);
      for (let j = 0; j < ports; j++) {
        const m = onward[j] as Msg | null | undefined;
        if (!m) {
          out[j] = null;
          continue;
        }
        const copy = cloneMessage(m);
        copy.parts.id = ids[j];
        copy.parts.index = indexes[j]!++;
        copy.parts.count = counts[j];
        out[j] = copy;
      }
      this.host.node.send(out);
    }
  }

  private checkLimit(msg: Msg): void {
    const max = this.host.maxKept();
    if (max > 0 && this.pendingCount > max) {
      this.clear();
      this.host.node.error(this.host.tooMany(), msg);
    }
  }

  clear(): void {
    this.pendingCount = 0;
    this.arriving = new Map();
    this.routed = new Map();
    this.received = new Map();
  }
}
