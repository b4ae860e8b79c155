// The user's seed flow ../shared/flows/npm-downloads-chart.json (copied to test/flows/fixtures), with its
// http request replaced by an inject of a canned npm API answer and its ui-chart by a full-message debug
// (fixtures/npm-downloads-chart.substitute.ts), sends the chart exactly the debug messages Node-RED 4.1.15
// sent for it over /comms (fixtures/npm-downloads-chart.expected.json): an empty array to clear the chart,
// then one {x: $toMillis(day), y: downloads} point per day from the split, in order.
// Recorded by deploying substitutedFlow() to a real Node-RED, subscribing a /comms socket to `debug` and
// POSTing /inject/da9a67e8c3ea7742 twice (a second run through the same split and links, once the first had
// settled). Not compared: msg._msgid and msg.parts.id — random ids generated per
// run (the inject's, each split piece's, the split's) — which both sides have replaced by numbered
// placeholders (fixtures/debug-ids.ts), so which messages share an id is still compared. Nothing else
// varies between runs: the flow has no timestamps. The comms batching into frames is not compared, only
// the messages in arrival order. (The trigger's crontab, 12:00 daily, is kept as in the file: a run started
// in the very second it fires would see an extra 31 messages.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { openComms, sleep, commsUrl, type TestClient } from '../comms/ws-client.js';
import { substitutedFlow, TRIGGER_ID, HTTP_REQUEST_ID, CHART_ID } from './fixtures/npm-downloads-chart.substitute.js';
import { withPlaceholderIds, type DebugMessage } from './fixtures/debug-ids.js';

const expected = JSON.parse(await readFile(new URL('./fixtures/npm-downloads-chart.expected.json', import.meta.url), 'utf8')) as { messages: DebugMessage[] };

let c: Started;
let ws: TestClient;
beforeAll(async () => {
  c = await startCrimson();
  await c.deploy(substitutedFlow());
  ws = await openComms(commsUrl(c.url));
  ws.send({ subscribe: 'debug' });
  // subscriptions are handled in order: once this retained one is replayed, `debug` is subscribed too
  ws.send({ subscribe: 'notification/runtime-deploy' });
  await ws.message('notification/runtime-deploy', () => true, 10_000);
});
afterAll(async () => {
  await ws?.close();
  await c?.stop();
});

const debugMessages = () => ws.messages().filter((m) => m.topic === 'debug') as DebugMessage[];

describe('npm downloads chart flow', () => {
  it('is the seed flow with only the http request and the chart substituted', () => {
    const flow = substitutedFlow();
    const types = Object.fromEntries(flow.map((n) => [n.id, n.type]));
    expect(types[HTTP_REQUEST_ID]).toBe('inject');
    expect(types[CHART_ID]).toBe('debug');
    expect(flow.map((n) => n.type).sort()).toEqual(
      ['tab', 'inject', 'inject', 'change', 'change', 'link out', 'link out', 'link out', 'link in', 'link in', 'split', 'debug'].sort());
  });

  it('sends the chart what Node-RED sent it, on each run', async () => {
    const perRun = expected.messages.length / 2;
    for (const run of [1, 2]) {
      const res = await fetch(c.url + 'inject/' + TRIGGER_ID, { method: 'POST' });
      expect(res.status).toBe(200);
      await ws.until(() => debugMessages().length >= run * perRun, 15_000);
      await sleep(500); // settled: nothing more may follow
    }
    const got = withPlaceholderIds(debugMessages());
    expect(got).toEqual(expected.messages);
    // and byte for byte, key order included
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected.messages));
  });
});
