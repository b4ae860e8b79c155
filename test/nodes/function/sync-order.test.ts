// A function node's results leave in Node-RED's order. Node-RED delivers each message in its own
// setImmediate and runs the async function body's completion in the microtask after it, so an await-free
// function sends before the next node in line runs; a body that awaits sends later. Recorded on Node-RED
// 4.1.15 with this flow: inject -> [function, change, function with await] -> debug gives
// function, change, await (Crimson used to give change, function, await).
import { expect, it } from 'vitest';
import { useDebugComms } from '../../helpers/debug-comms.js';

const fn = (id: string, func: string) =>
  ({ id, type: 'function', z: 'to', name: id, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 1, y: 1, wires: [['do']] });
const flow = [
  { id: 'to', type: 'tab', label: 'o' },
  { id: 'io', type: 'inject', z: 'to', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, topic: '', payload: 'x', payloadType: 'str', x: 1, y: 1, wires: [['fo', 'co', 'fa']] },
  fn('fo', "msg.payload='function';return msg;"),
  fn('fa', "await null; msg.payload='await';return msg;"),
  { id: 'co', type: 'change', z: 'to', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'change', tot: 'str' }], x: 1, y: 1, wires: [['do']] },
  { id: 'do', type: 'debug', z: 'to', name: 'd', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', x: 1, y: 1, wires: [] },
];

const t = useDebugComms(flow);

it('sends an await-free function\'s result before the next node in line runs, as Node-RED', async () => {
  for (const n of [3, 6]) {
    await t.inject('io');
    await t.ws.until(() => t.outputs().length >= n, 3000);
  }
  expect(t.outputs()).toEqual(['function', 'change', 'await', 'function', 'change', 'await']);
});
