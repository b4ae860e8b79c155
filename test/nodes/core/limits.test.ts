// settings.nodeMessageBufferMaxLength as Node-RED's own nodes read it (RED.settings): the queue of a rate-limiting
// delay, the sequences held by switch (sequence rules), sort and batch — the error each reports, with the
// catalogue text, to catch nodes (join in auto mode has no limit). Every expectation below was observed on Node-RED 4.1.15 running the same flows
// with the same setting (CORE_ORACLE=node-red).
import { describe, expect, it } from 'vitest';
import { TAB, catchAll, debugNode, injectNode, props, useCoreHarness, type NodeDef } from './harness.js';

const h = useCoreHarness({ settings: { nodeMessageBufferMaxLength: 2 } });

const nodes: NodeDef[] = [
  injectNode('in', ['dl', 'sw', 'srt', 'bt', 'jn']),
  { id: 'dl', type: 'delay', z: TAB, name: 'dl', pauseType: 'rate', timeout: '5', timeoutUnits: 'seconds', rate: '1', nbRateUnits: '1', rateUnits: 'hour', randomFirst: '1', randomLast: '5', randomUnits: 'seconds', drop: false, allowrate: false, outputs: 1, wires: [['ddl']] },
  { id: 'sw', type: 'switch', z: TAB, name: 'sw', property: 'payload', propertyType: 'msg', rules: [{ t: 'tail', v: '1', vt: 'num' }], checkall: 'true', repair: false, outputs: 1, wires: [['dsw']] },
  { id: 'srt', type: 'sort', z: TAB, name: 'srt', order: 'ascending', as_num: false, target: '', targetType: 'seq', msgKey: 'payload', msgKeyType: 'elem', seqKey: 'payload', seqKeyType: 'msg', wires: [['dsrt']] },
  { id: 'bt', type: 'batch', z: TAB, name: 'bt', mode: 'concat', count: '5', overlap: '0', interval: '10', allowEmptySequence: false, topics: [{ topic: 'a' }, { topic: 'b' }], wires: [['dbt']] },
  { id: 'jn', type: 'join', z: TAB, name: 'jn', mode: 'auto', build: 'array', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str', accumulate: false, timeout: '', count: '', reduceRight: false, wires: [['djn']] },
  ...['ddl', 'dsw', 'dsrt', 'dbt', 'djn'].map(debugNode), ...catchAll(),
];

describe('nodeMessageBufferMaxLength', () => {
  it('each node holding messages reports "too many pending messages" past the limit', async () => {
    await h.deploy(nodes);
    for (let i = 0; i < 4; i++) await h.inject('in', props(i, { topic: 'a', parts: { id: 'P', index: i, count: 6, type: 'array', len: 1 } }));
    const caught = await h.waitFor('caught', 6);
    // batch fails every message it held; join (auto mode) keeps its sequence
    expect(caught.map((m) => [m.error.source.id, m.error.message, m.payload])).toEqual([
      ['sw', 'too many pending messages in switch node', 2],
      ['srt', 'Too many pending messages in sort node', 2],
      ['bt', 'too many pending messages in batch node', 0],
      ['bt', 'too many pending messages in batch node', 1],
      ['bt', 'too many pending messages in batch node', 2],
      ['dl', 'too many pending messages in delay node', 3],
    ]);
    // the delay sent the first message and queued the second; the others held theirs
    expect(h.shown('ddl').map((m) => m.payload)).toEqual([0]);
    expect([...h.shown('dsw'), ...h.shown('dsrt'), ...h.shown('dbt'), ...h.shown('djn')]).toEqual([]);
  });
});
