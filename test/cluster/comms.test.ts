// The editor on any instance of a cluster (issue 16 §5): debug messages and node status from nodes running on
// another instance reach its /comms clients, each carrying `instance`, the id of the instance it came from;
// local ones carry this instance's id.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCrimson } from '../helpers/start-crimson.js';
import { describeRedis, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { commsUrl, openComms, until } from '../comms/ws-client.js';

const flows = [
  { id: 'tab', type: 'tab', label: 'comms' },
  { id: 'in', type: 'http in', z: 'tab', url: '/hit', method: 'get', x: 1, y: 1, wires: [['fn']] },
  { id: 'fn', type: 'function', z: 'tab', outputs: 1, x: 1, y: 1, wires: [['dbg', 'out']],
    func: 'node.status({ fill: "green", shape: "dot", text: "hit " + msg.req.query.n });\nmsg.payload = "hit " + msg.req.query.n;\nreturn msg;' },
  { id: 'dbg', type: 'debug', z: 'tab', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', x: 1, y: 1, wires: [] },
  { id: 'out', type: 'http response', z: 'tab', x: 1, y: 1, wires: [] },
];

describeRedis('cluster debug and status', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedis(); });
  afterAll(async () => { await redis?.stop(); });

  const member = (instanceId: string) => startCrimson({
    flows, settings: { credentialSecret: 'comms-secret', cluster: { url: redis.url, name: 'comms', instanceId } },
  });

  it('shows debug messages and status of every instance, with the instance they came from', async () => {
    const one = await member('one');
    const two = await member('two');
    const ws = await openComms(commsUrl(two.url));
    try {
      ws.send({ subscribe: 'debug' });
      ws.send({ subscribe: 'status/#' });
      await new Promise((r) => setTimeout(r, 200));
      expect(await (await fetch(one.url + 'hit?n=1')).text()).toBe('hit 1');
      expect(await (await fetch(two.url + 'hit?n=2')).text()).toBe('hit 2');
      const debug = () => ws.messages().filter((m) => m.topic === 'debug').map((m) => m.data as { msg: string; instance?: string });
      await until(() => debug().length === 2, 3000, 'two debug messages');
      expect(debug().map((d) => [d.msg, d.instance]).sort()).toEqual([['hit 1', 'one'], ['hit 2', 'two']]);
      const statuses = () => ws.messages().filter((m) => m.topic === 'status/fn').map((m) => m.data as { text: string; instance?: string });
      await until(() => statuses().length >= 2, 3000, 'two statuses');
      expect(statuses().map((s) => [s.text, s.instance]).sort()).toEqual([['hit 1', 'one'], ['hit 2', 'two']]);
    } finally {
      await ws.close();
      await one.stop();
      await two.stop();
    }
  });
});
