// The flow the package behaviour tests deploy to both servers: each package's nodes behind http in
// endpoints (POST bodies are text/plain or JSON), answering through http response; a catch node answers
// with the error a node reported with its message. "Fire" endpoints answer at once and pass the message on,
// for nodes whose effect is only a log line.
const T = 'pkgs';
let n = 0;
const id = (p: string) => `${p}${++n}`;
const nodes: Record<string, unknown>[] = [{ id: T, type: 'tab', label: 'packages' }];
/** Flow nodes have a position: without x and y Node-RED takes a node for a config node. */
const at = () => ({ x: 100 + (nodes.length % 10) * 150, y: 40 + Math.floor(nodes.length / 10) * 40 });
const RESPONSE = 'resp';
nodes.push({ id: RESPONSE, type: 'http response', z: T, ...at(), wires: [] });
nodes.push({ id: 'catchAll', type: 'catch', z: T, scope: null, uncaught: false, ...at(), wires: [['caught']] });
nodes.push({ id: 'caught', type: 'change', z: T, ...at(), rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"error": error.message}', tot: 'jsonata' }], wires: [[RESPONSE]] });

/** http in (method, url) → the chain of nodes → http response. Returns the chain's ids. */
function endpoint(method: string, url: string, chain: Record<string, unknown>[], opts: { fire?: boolean } = {}): void {
  const ids = chain.map((c) => (c.id as string) ?? id('n'));
  const inId = id('in');
  nodes.push({ id: inId, type: 'http in', z: T, ...at(), url, method, wires: [opts.fire ? [RESPONSE, ids[0]] : [ids[0]]] });
  chain.forEach((c, i) => {
    const last = i === chain.length - 1;
    nodes.push({ z: T, ...at(), ...c, id: ids[i], wires: c.wires ?? [last ? (opts.fire ? [] : [RESPONSE]) : [ids[i + 1]]] });
  });
}

const set = (p: string, to: string, tot = 'msg') => ({ t: 'set', p, pt: 'msg', to, tot });
const change = (...rules: unknown[]) => ({ type: 'change', rules });
const fn = (func: string, outputs = 1) => ({ type: 'function', func, outputs, noerr: 0, initialize: '', finalize: '', libs: [] });

// node-red-node-random
endpoint('get', '/random/int', [{ type: 'random', low: '1', high: '6', inte: 'true', property: 'payload' }]);
endpoint('get', '/random/float', [{ type: 'random', low: '2.5', high: '3.5', inte: 'false', property: 'payload' }]);
endpoint('get', '/random/msg', [change(set('from', 'req.query.from'), set('to', 'req.query.to')), { type: 'random', low: '', high: '', inte: true, property: 'out.value' }, change(set('payload', 'out'))]);
endpoint('get', '/random/bad', [change(set('from', 'req.query.from')), { type: 'random', low: '', high: '5', inte: true, property: 'payload' }], { fire: true });

// node-red-node-base64 (action "" toggles, "str" encodes, "b64" decodes)
endpoint('post', '/b64/toggle', [{ type: 'base64', action: '', property: 'payload' }]);
endpoint('post', '/b64/str', [{ type: 'base64', action: 'str', property: 'payload' }]);
endpoint('post', '/b64/b64', [{ type: 'base64', action: 'b64', property: 'payload' }]);
endpoint('post', '/b64/none', [{ type: 'base64', action: '', property: 'nothere' }], { fire: true });

// node-red-node-smooth: one node per function, each keeping its own history
for (const [name, cfg] of Object.entries({
  mean: { action: 'mean', count: '3' }, max: { action: 'max', count: '3' }, min: { action: 'min', count: '3' },
  sd: { action: 'sd', count: '4', round: '3' }, low: { action: 'low', count: '4', round: '2' }, high: { action: 'high', count: '2' },
  reduce: { action: 'mean', count: '2', reduce: true }, multi: { action: 'mean', count: '2', mult: 'multi' },
})) {
  const pre = name === 'multi' ? [change(set('topic', 'req.query.t'))] : [];
  endpoint('post', `/smooth/${name}`, [...pre, { type: 'smooth', property: 'payload', round: '', mult: 'single', reduce: false, ...cfg }], { fire: name === 'reduce' });
}
// what the reducing one sends, kept for /smooth/reduced
nodes.push({ id: 'keepReduced', type: 'function', z: T, ...at(), func: "const a = flow.get('reduced') || []; a.push(msg.payload); flow.set('reduced', a); return null;", outputs: 1, noerr: 0, initialize: '', finalize: '', libs: [], wires: [[]] });
endpoint('get', '/smooth/reduced', [change(set('payload', 'reduced', 'flow'))]);

// node-red-node-data-generator
const person = '{"name": "{{firstName}} {{lastName}}", "age": {{int 18 65}}, "email": "{{email}}", "score": {{float 0 1 round=0.01}}, "ok": {{boolean}}, "tags": [{{#repeat 3}}"{{lorem 1}}"{{/repeat}}]}';
endpoint('get', '/gen/json', [{ type: 'data-generator', field: 'payload', fieldType: 'msg', syntax: 'json', template: person }]);
endpoint('get', '/gen/seeded', [change(set('seed', 'abc', 'str')), { type: 'data-generator', field: 'payload', fieldType: 'msg', syntax: 'json', template: person }]);
endpoint('get', '/gen/text', [{ type: 'data-generator', field: 'payload', fieldType: 'msg', syntax: 'text', template: 'Hello {{firstName}}, you are {{int 1 9}}' }]);
endpoint('get', '/gen/badjson', [{ type: 'data-generator', field: 'payload', fieldType: 'msg', syntax: 'json', template: '{"a": {{int 1 2}},}' }]);
endpoint('get', '/gen/mockdata', [change(set('who', 'req.query.who')), { type: 'data-generator', field: 'payload', fieldType: 'msg', syntax: 'text', template: 'Hi {{who}}' }]);

// node-red-contrib-moment: fixed inputs, time zones and locales; the answer carries msg.settings too
const withSettings = fn('msg.payload = { payload: msg.payload, settings: msg.settings }; return msg;');
const moment = (cfg: Record<string, unknown>) => ({
  type: 'moment', topic: '', input: 'payload', inputType: 'msg', inTz: 'UTC', adjAmount: 0, adjType: 'days', adjDir: 'add',
  format: '', locale: 'en', output: 'payload', outputType: 'msg', outTz: '', ...cfg,
});
for (const [name, cfg] of Object.entries({
  ny: { inTz: 'Europe/London', outTz: 'America/New_York', format: 'YYYY-MM-DD HH:mm:ss Z' },
  iso: { inTz: 'UTC', outTz: 'Asia/Kolkata', adjAmount: 90, adjType: 'minutes', adjDir: 'subtract' },
  de: { inTz: 'Europe/Berlin', format: 'dddd, D. MMMM YYYY HH:mm', locale: 'de' },
  object: { inTz: 'Australia/Sydney', outTz: 'UTC', format: 'object' },
  us: { inTz: 'America/Chicago', format: 'LLLL', locale: 'en-US' },
  badtz: { inTz: 'Mars/Olympus_Mons', format: 'YYYY-MM-DDTHH:mm' },
  add: { inTz: 'UTC', adjAmount: 1, adjType: 'months', format: 'YYYY-MM-DD' },
})) endpoint('post', `/moment/${name}`, [moment(cfg), withSettings]);
endpoint('post', '/humanize', [{ type: 'humanizer', input: 'seconds' }]);

// node-red-contrib-cron-plus: commands in (topic and payload from the JSON body), responses on output 2;
// schedule messages on output 1 are kept for /cron/fired
endpoint('post', '/cron', [
  change(set('topic', 'payload.topic'), set('payload', 'payload.payload')),
  {
    id: 'cron', type: 'cronplus', name: 'sched', outputField: 'payload', timeZone: 'UTC', persistDynamic: false, commandResponseMsgOutput: 'output2', outputs: 2,
    options: [{ name: 'static1', topic: 'staticTopic', payloadType: 'str', payload: 'daily', expressionType: 'cron', expression: '0 0 12 * * *', location: '', offset: '0', solarType: 'all', solarEvents: 'sunrise,sunset' }],
    wires: [['keepFired'], ['cronAnswer']],
  },
]);
nodes.push({ id: 'keepFired', type: 'function', z: T, ...at(), func: "const a = flow.get('fired') || []; a.push({ topic: msg.topic, payload: typeof msg.payload, scheduledEvent: msg.scheduledEvent, name: msg.cronplus && msg.cronplus.name }); flow.set('fired', a); return null;", outputs: 1, noerr: 0, initialize: '', finalize: '', libs: [], wires: [[]] });
nodes.push({ id: 'cronAnswer', type: 'function', z: T, ...at(), func: 'msg.payload = { topic: msg.topic, payload: msg.payload, error: msg.error }; return msg;', outputs: 1, noerr: 0, initialize: '', finalize: '', libs: [], wires: [[RESPONSE]] });
endpoint('get', '/cron/fired', [change(set('payload', 'fired', 'flow'))]);

// the reducing smooth node's output goes to keepReduced
const reduceNode = nodes.find((x) => x.type === 'smooth' && x.reduce === true)!;
reduceNode.wires = [['keepReduced']];

export const PACKAGE_FLOWS = nodes;
