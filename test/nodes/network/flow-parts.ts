// Test helper for the network node tests: the nodes their flows are made of (tab, inject with message
// properties, http request, catch, debug), with ids made unique per scene so that tests sharing one server
// and one /comms observer never see each other's messages.
import { debugNode } from './target.js';

let scenes = 0;

/** A message property an inject node sets: [value, type] with Node-RED's typed-input types (str, json, num, bool). */
export type Prop = [string, string];

export interface Scene {
  z: string;
  /** `<scene>-<name>` */
  id(name: string): string;
  tab(): Record<string, unknown>;
  /** An inject node setting `props` (payload included when given) and wired to `to`. */
  inject(name: string, to: string, props?: Record<string, Prop>): Record<string, unknown>;
  /** An http request node (defaults: GET, ret txt, paytoqs ignore) wired to `to`. */
  request(name: string, to: string | null, config: Record<string, unknown>): Record<string, unknown>;
  /** A catch node for every node of the tab, wired to a debug node `caught`. */
  catchAll(): Array<Record<string, unknown>>;
  debug(name: string): Record<string, unknown>;
}

export function scene(): Scene {
  const p = `s${++scenes}`;
  const z = `${p}-tab`;
  const id = (name: string) => `${p}-${name}`;
  return {
    z, id,
    tab: () => ({ id: z, type: 'tab', label: p }),
    inject(name, to, props = {}) {
      const { payload, ...rest } = props;
      return {
        id: id(name), type: 'inject', z, name: '',
        props: [{ p: 'payload' }, ...Object.entries(rest).map(([k, [v, vt]]) => ({ p: k, v, vt }))],
        repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '',
        payload: payload ? payload[0] : '', payloadType: payload ? payload[1] : 'str',
        wires: [[id(to)]],
      };
    },
    request(name, to, config) {
      return {
        id: id(name), type: 'http request', z, name: '', method: 'GET', ret: 'txt', paytoqs: 'ignore', url: '',
        tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [],
        ...config, wires: [to ? [id(to)] : []],
      };
    },
    catchAll: () => [
      { id: id('catch'), type: 'catch', z, name: '', scope: null, uncaught: false, wires: [[id('caught')]] },
      debugNode(id('caught'), z),
    ],
    debug: (name) => debugNode(id(name), z),
  };
}
