// Hostile change node configs in a deployed flow: invalid JSONata / JSON / bin / regex values, rules of the
// wrong shape, JSONata that fails at run time or reaches for prototype keys. A bad rule is reported on its
// node (at deploy or per message); the deploy is accepted, other routes answer, the restart is clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectAlive, expectCleanRestart, expectNoPollution, SENTINEL, startHostile, type Hostile } from './harness.js';

const tab = 'ch';
/** GET /<id> -> change <id> (config) -> http response. */
const changeRoute = (id: string, config: Record<string, unknown>) => [
  { id: `${id}-in`, type: 'http in', z: tab, x: 1, y: 1, url: `/${id}`, method: 'get', wires: [[id]] },
  { id, type: 'change', z: tab, x: 1, y: 1, name: id, wires: [['ch-res']], ...config },
];
const rule = (r: Record<string, unknown>) => ({ rules: [{ t: 'set', p: 'payload', pt: 'msg', ...r }] });

/** Rules refused when the node starts: reported then, and the node never answers. */
const REFUSED_AT_START: Array<[string, Record<string, unknown>]> = [
  ['jsonata-syntax', rule({ to: '$$$(', tot: 'jsonata' })],
  ['jsonata-unclosed', rule({ to: '{"a": ', tot: 'jsonata' })],
  ['jsonata-empty-call', rule({ to: '$foo(', tot: 'jsonata' })],
  ['json-invalid', rule({ to: '{bad json', tot: 'json' })],
  ['json-cutoff', rule({ to: '{"a":[1,2', tot: 'json' })],
  ['bin-invalid', rule({ to: '[1,2', tot: 'bin' })],
  ['regex-invalid', { rules: [{ t: 'change', p: 'payload', pt: 'msg', from: '(', fromt: 're', to: 'x', tot: 'str' }] }],
];

/** Rules that fail per message: reported with the message, which goes no further. */
const FAIL_PER_MESSAGE: Array<[string, Record<string, unknown>]> = [
  ['jsonata-error', rule({ to: '$error("boom")', tot: 'jsonata' })],
  ['jsonata-unknown-fn', rule({ to: '$nope(1)', tot: 'jsonata' })],
  ['jsonata-eval-bad', rule({ to: '$eval("$$$(")', tot: 'jsonata' })],
  ['jsonata-type-error', rule({ to: '"a" + 1', tot: 'jsonata' })],
];

/** Odd but survivable: the message goes on (possibly unchanged), or the node reports once at start. */
const ODD: Array<[string, Record<string, unknown>]> = [
  ['jsonata-proto', rule({ to: '$flowContext("__proto__") & $globalContext("constructor.prototype") & $$.__proto__', tot: 'jsonata' })],
  ['jsonata-clone-req', rule({ to: '$clone($$).req ? "has req" : "no req"', tot: 'jsonata' })],
  ['rules-string', { rules: 'set payload' }],
  ['rules-object', { rules: { 0: { t: 'set' } } }],
  ['rules-junk', { rules: [null, 5, 'x', [], { t: '__proto__' }, { t: 'set', p: { a: 1 }, pt: 'msg', to: 1, tot: 'num' }] }],
  ['rule-to-object', { rules: [{ t: 'set', p: 'payload', pt: 'msg', to: { indexOf: 1 } }] }],
  ['rule-unknown-types', { rules: [{ t: 'set', p: 'payload', pt: 'nowhere', to: 'x', tot: 'strange' }, { t: 'explode', p: 'payload' }] }],
  ['move-odd', { rules: [{ t: 'move', p: 'payload', pt: 'msg', to: 'payload.payload.payload', tot: 'msg' }, { t: 'move', p: '', pt: 'msg', to: '', tot: 'msg' }] }],
  // not a search type Node-RED offers: the text is taken as it is
  ['from-jsonata-invalid', { rules: [{ t: 'change', p: 'payload', pt: 'msg', from: '$$(', fromt: 'jsonata', to: 'x', tot: 'str' }] }],
  ['legacy-odd', { action: 'change', property: 'payload', from: '(', to: 'x', reg: true }],
];

const FLOWS = [
  ...SENTINEL,
  { id: tab, type: 'tab', label: 'change attacks' },
  { id: 'ch-res', type: 'http response', z: tab, x: 1, y: 1, statusCode: '', headers: {}, wires: [] },
  ...[...REFUSED_AT_START, ...FAIL_PER_MESSAGE, ...ODD].flatMap(([id, config]) => changeRoute(id, config)),
];

let c: Hostile;
beforeAll(async () => {
  c = await startHostile({ flows: [] });
  await c.deploy(FLOWS);
});
afterAll(async () => { await c?.cleanup(); });

const logsOf = (id: string) => c.logs.filter((l) => l.includes(`[change:${id}]`));

describe('change rules', () => {
  it.each(REFUSED_AT_START)('%s is reported at deploy; the node takes no messages', async (id) => {
    expect(logsOf(id).some((l) => l.includes('[error]')), c.logs.slice(-5).join('\n')).toBe(true);
    await expect(call(c, id, { timeout: 200 })).rejects.toThrow();
    await expectAlive(c);
  });

  it.each(FAIL_PER_MESSAGE)('%s is reported with the message', async (id) => {
    await expect(call(c, id, { timeout: 200 })).rejects.toThrow();
    await expect.poll(() => logsOf(id).some((l) => l.includes('[error]'))).toBe(true);
    await expectAlive(c);
  });

  it.each(ODD)('%s does not take anything down', async (id) => {
    try {
      const res = await call(c, id, { timeout: 200 });
      expect(res.status).toBeLessThan(500);
      await res.text();
    } catch {
      // a node that failed to start (or drops the message) never answers: the request times out
    }
    expectNoPollution();
    await expectAlive(c);
  });

  it('the flows restart cleanly with every bad rule still in them', async () => {
    c = await expectCleanRestart(c);
  });
});
