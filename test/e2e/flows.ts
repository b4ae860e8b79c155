// Flows the e2e tests import or preload.

/** inject → function (sets a green status and flow context) → debug, nodes only (for the import dialog). */
export function injectFunctionDebug(opts: { func?: string; prefix?: string } = {}) {
  const p = opts.prefix ?? 'e2e';
  // keys in the order the editor writes them
  return [
    { id: `${p}-inject`, type: 'inject', name: 'go', props: [{ p: 'payload' }], repeat: '', once: false, topic: '', payload: 'hello', payloadType: 'str', x: 140, y: 80, wires: [[`${p}-function`]] },
    {
      id: `${p}-function`, type: 'function', name: 'shout',
      func: opts.func ?? "node.status({ fill: 'green', shape: 'dot', text: 'ok' });\nflow.set('lastPayload', msg.payload);\nmsg.payload = msg.payload.toUpperCase() + '!';\nreturn msg;",
      outputs: 1, x: 320, y: 80, wires: [[`${p}-debug`]],
    },
    { id: `${p}-debug`, type: 'debug', name: 'out', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', x: 500, y: 80, wires: [] },
  ];
}

/**
 * The same flow on its own tab, as a flows file. Keys in the order the editor writes them (z after type):
 * the editor compares flows as JSON text when it looks for conflicts, so another order is a change.
 */
export function injectFunctionDebugTab(opts: { func?: string; prefix?: string; tab?: string; label?: string } = {}) {
  const tab = opts.tab ?? 'e2e-tab';
  return [
    { id: tab, type: 'tab', label: opts.label ?? 'E2E', disabled: false, info: '', env: [] },
    ...injectFunctionDebug(opts).map(({ id, type, ...rest }) => ({ id, type, z: tab, ...rest })),
  ];
}
