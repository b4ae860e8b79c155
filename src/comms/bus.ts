// What the runtime's event bus publishes on /comms, in Node-RED's topics and payload shapes (COMPAT B6):
// `comms` (RED.comms.publish), `node-status` -> status/<id>, `runtime-state` / `runtime-deploy` /
// `runtime-event` -> notification/<id>, `event-log` -> event-log/<id>.
import type { EventEmitter } from 'node:events';
import type { Logger } from '../runtime/logger.js';
import type { CommsHub } from './hub.js';

type Payload = Record<string, unknown>;
const isObject = (v: unknown): v is Payload => typeof v === 'object' && v !== null;

/** Texts for error codes only Crimson emits (the editor shows a text without an i18n entry as is). */
const CRIMSON_TEXT = new Map<string, string>([
  ['start-failed', 'The flows could not be started: see the runtime log'],
]);
const WARNING = { missing: 'notification.warnings.missing-types', modules: 'notification.warnings.missing-modules', safe: 'notification.warnings.safe-mode' };

/**
 * The notification/runtime-state payload Node-RED sends for a runtime-state event (Crimson's flows
 * manager emits `{state, error?, types?, deploy?}`; payloads already in Node-RED's shape pass unchanged).
 */
export function runtimeStatePayload(event: unknown): Payload {
  if (!isObject(event)) return {};
  const { state, error, deploy } = event;
  if (error === 'missing-types') {
    return { state: 'stop', error, type: 'warning', text: WARNING.missing, types: Array.isArray(event.types) ? event.types : [] };
  }
  if (error === 'missing-modules') {
    return { state: 'stop', error, type: 'warning', text: WARNING.modules, modules: Array.isArray(event.modules) ? event.modules : [] };
  }
  if (error === 'safe-mode' || (state === 'safe' && error === undefined)) {
    return { state: 'safe', error: 'safe-mode', type: 'warning', text: WARNING.safe };
  }
  if (error === 'credentials_load_failed') {
    return { type: 'warning', error, text: 'notification.warnings.credentials_load_failed_reset' };
  }
  if (typeof error === 'string') {
    // other codes: Node-RED's {type, error, project?, text} (its project errors); the state is kept if given
    const out: Payload = typeof state === 'string' ? { state } : {};
    out.error = error;
    out.type = typeof event.type === 'string' ? event.type : 'warning';
    if (event.project !== undefined) out.project = event.project;
    out.text = typeof event.text === 'string' ? event.text : (CRIMSON_TEXT.get(error) ?? `notification.warnings.${error}`);
    return out;
  }
  if (typeof state !== 'string') return {};
  return deploy === undefined ? { state } : { state, deploy };
}

/** Node-RED's status handling: no status forgets, an empty one clears (if shown), else text/fill/shape. */
function publishStatus(hub: CommsHub, event: unknown): void {
  if (!isObject(event) || (typeof event.id !== 'string' && typeof event.id !== 'number')) return;
  const topic = `status/${event.id}`;
  const status = event.status as Payload | undefined;
  if (!status) {
    hub.forget(topic);
  } else if (!status.text && !status.fill && !status.shape) {
    if (hub.hasRetained(topic)) hub.publish(topic, {}, false);
  } else {
    // `instance`: in a cluster, which instance's node this status is
    const data: Payload = { text: status.text, fill: status.fill, shape: status.shape };
    if (typeof event.instance === 'string') data.instance = event.instance;
    hub.publish(topic, data, true);
  }
}

/** Subscribes the hub to the bus; returns the function that unsubscribes it. */
export function attachBus(events: EventEmitter, hub: CommsHub, logger: Logger): () => void {
  const handlers: Record<string, (event: unknown) => void> = {
    comms(event) {
      if (!isObject(event) || typeof event.topic !== 'string') return;
      const target = {
        session: typeof event.session === 'string' ? event.session : undefined,
        excludeSession: typeof event.excludeSession === 'string' ? event.excludeSession : undefined,
      };
      hub.publish(event.topic, event.data, !!event.retain, target);
    },
    'node-status': (event) => publishStatus(hub, event),
    'runtime-state': (event) => hub.publish('notification/runtime-state', runtimeStatePayload(event), true),
    'runtime-deploy'(event) {
      if (isObject(event)) hub.publish('notification/runtime-deploy', { revision: event.revision }, true);
    },
    'runtime-event'(event) {
      if (!isObject(event) || typeof event.id !== 'string') return;
      hub.publish(`notification/${event.id}`, event.payload || {}, !!event.retain);
    },
    'event-log'(event) {
      if (!isObject(event) || typeof event.id !== 'string') return;
      const payload = isObject(event.payload) ? event.payload : {};
      if (typeof payload.data === 'string') {
        const prefix = typeof payload.type === 'string' && payload.type ? `[${payload.type}] ` : '';
        for (const line of payload.data.replace(/\n$/, '').split('\n')) logger.debug(prefix + line);
      }
      hub.publish(`event-log/${event.id}`, payload);
    },
  };
  const safe = Object.entries(handlers).map(([name, fn]) => {
    const listener = (event: unknown) => {
      try { fn(event); } catch (err) { logger.warn(`comms: ${name} event not published: ${err instanceof Error ? err.message : String(err)}`); }
    };
    events.on(name, listener);
    return [name, listener] as const;
  });
  return () => { for (const [name, listener] of safe) events.off(name, listener); };
}
