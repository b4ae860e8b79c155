// Keeps a promise rejection that a function node's code leaves unhandled from taking the process down: a
// promise made in a node's vm context has that context's Promise.prototype, which names the node to report to.

type Reporter = (reason: unknown) => void;

const reporters = new WeakMap<object, Reporter>();
let listening = false;

/** The process 'unhandledRejection' listener (exported so tests can tell it from other listeners). */
export function functionRejectionListener(reason: unknown, promise: Promise<unknown>): void {
  const report = reporters.get(Object.getPrototypeOf(promise) as object);
  if (report) { report(reason); return; }
  // not from a function node: with nobody else listening, keep Node's default (an uncaught exception)
  if (process.listenerCount('unhandledRejection') === 1) throw reason;
}

/** True when `promise` was made by a function node's code (its rejection is reported to that node). */
export function isFunctionNodeRejection(promise: unknown): boolean {
  return typeof promise === 'object' && promise !== null && reporters.has(Object.getPrototypeOf(promise) as object);
}

/** Routes unhandled rejections of promises whose prototype is `promiseProto` (one vm context) to `report`. */
export function reportRejectionsOf(promiseProto: object, report: Reporter): void {
  reporters.set(promiseProto, report);
  if (!listening) {
    listening = true;
    process.on('unhandledRejection', functionRejectionListener);
  }
}
