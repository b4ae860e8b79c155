// The services every Flow shares within one runtime (registry, delivery, context, log, events).
import type { Leadership } from './leadership.js';
import type { EventEmitter } from 'node:events';
import type { Registry } from '../registry/registry.js';
import type { Delivery } from './delivery.js';
import type { ContextManager } from './context.js';
import type { Logger } from './logger.js';
import type { Settings } from '../settings/types.js';
import type { CredentialMap } from './types.js';
import type { Node } from './node.js';
import type { Hooks } from '../registry/hooks.js';

export interface Engine {
  registry: Registry;
  delivery: Delivery;
  contexts: ContextManager;
  logger: Logger;
  events: EventEmitter;
  settings: Settings;
  /** Credentials of the active config, by node id. */
  credentials: CredentialMap;
  /** Every running node, by id, across flows. */
  nodes: Map<string, Node>;
  closeTimeout: number;
  envExcludes: Set<string>;
  /** RED.hooks of this runtime. */
  hooks: Hooks;
  /** Whether this instance runs scheduled work (a cluster's leader; always without a cluster). */
  leadership: Leadership;
}
