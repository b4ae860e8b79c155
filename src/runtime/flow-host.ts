// What a running node needs from the flow it lives in (implemented by Flow).
import type { Node, NodeStatus } from './node.js';
import type { ContextHandle } from './context.js';
import type { Hooks } from '../registry/hooks.js';
import type { Leadership } from './leadership.js';

/** A step a node defers to the next delivery turn; true when it finished synchronously (nothing awaits promises). */
export type DeferredTask = () => boolean;

export interface FlowHost {
  readonly id: string;
  /** `/<flow id>` for a tab, '' for the global flow. */
  readonly path: string;
  readonly closeTimeout: number;
  /** Whether metrics are logged (nodes then log their send / receive metrics). */
  readonly metricsOn?: boolean;
  /** Logs a metric entry as it is (no flow path added). */
  logMetric?(entry: { level: number; [k: string]: unknown }): void;
  /** The runtime's RED.hooks (the message path asks `routing` before taking the hooked way). */
  readonly hooks?: Hooks;
  /** Whether this instance runs scheduled work (inject timers); always leading without a cluster. */
  readonly leadership?: Leadership;
  getNode(id: string): Node | undefined;
  deliver(from: Node, to: Node, msg: object): void;
  /**
   * Runs `task` in the next delivery turn, in order with the deliveries queued before it: where Node-RED's
   * nodes take their next step with setImmediate (returns whether the step finished synchronously).
   */
  defer?(task: DeferredTask): void;
  clone<T>(msg: T): T;
  /** Routes an error with a message to catch nodes; false when nothing took it (it is then logged). */
  handleError(node: Node, err: unknown, msg: Record<string, unknown>, reporter?: Node): boolean;
  /** True when a status node took it. */
  handleStatus(node: Node, status: NodeStatus, reporter?: Node, mute?: boolean): boolean;
  handleComplete(node: Node, msg: Record<string, unknown>): void;
  nodeContext(node: Node): ContextHandle;
  flowContext(): ContextHandle;
  log(entry: { level: number; msg: unknown; [k: string]: unknown }): void;
  /** Env var lookup with the flow's scopes (tab env, then process.env). */
  getEnv(name: string): unknown;
  /** Env var lookup for a node in a group of this flow (its group scopes first). */
  getEnvFor?(groupId: string | undefined, name: string): unknown;
}
