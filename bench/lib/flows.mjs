// The flows both servers run: the request workloads (W1 W2 W3 W7) and the generated N-node flow
// of W4/W5, each with a readiness endpoint GET /bench-ready answering a marker string.
// Same nodes and ids as the reference harness (/work/shared/bench/lib/flows.mjs), so that the
// figures of the two harnesses describe the same work.

export const READY_PATH = '/bench-ready';
export const BURST_ITEMS = 10000;
export const BURST_SUM = BURST_ITEMS * BURST_ITEMS; // item i leaves the chain as 2i+1; the sum over i < N is N²
export const FN_CHAIN = 20;
export const W2_BODY = '{"title":"buy milk","done":false,"priority":2,"tags":["home","shopping"]}';
export const BURST_BODY = JSON.stringify(Array.from({ length: BURST_ITEMS }, (_, i) => i));

// 16 hex digits like an editor-made id; the prefix keeps families of ids apart
const hexId = (prefix, n) => (prefix + n.toString(16)).padStart(16, '0').slice(-16);
const out = (next) => (next ? [[next]] : [[]]);

const tab = (id, label) => ({ id, type: 'tab', label, disabled: false, info: '', env: [] });
const httpIn = (id, z, method, url, next, x, y) =>
    ({ id, type: 'http in', z, name: '', url, method, upload: false, swaggerDoc: '', x, y, wires: [[next]] });
const httpOut = (id, z, statusCode, x, y) =>
    ({ id, type: 'http response', z, name: '', statusCode, headers: {}, x, y, wires: [] });
const change = (id, z, name, rules, next, x, y) =>
    ({ id, type: 'change', z, name, rules, action: '', property: '', from: '', to: '', reg: false, x, y, wires: out(next) });
const fn = (id, z, name, func, next, x, y) =>
    ({ id, type: 'function', z, name, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x, y, wires: out(next) });
const split = (id, z, next, x, y) =>
    ({ id, type: 'split', z, name: '', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload', x, y, wires: out(next) });
const inject = (id, z, name, next, x, y) =>
    ({ id, type: 'inject', z, name, props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', x, y, wires: out(next) });
const debug = (id, z, name, x, y) =>
    ({ id, type: 'debug', z, name, active: false, tosidebar: true, console: false, tostatus: false, complete: 'false', statusVal: '', statusType: 'auto', x, y, wires: [] });
const setPayload = (to, tot) => [{ t: 'set', p: 'payload', pt: 'msg', to, tot }];

// GET /bench-ready -> change(payload = marker) -> http response: 3 nodes
function readyEndpoint(z, prefix, marker, y) {
    const [a, b, c] = ['a', 'b', 'c'].map((s) => hexId(prefix + s, 1));
    return [httpIn(a, z, 'get', READY_PATH, b, 120, y), change(b, z, 'bench-ready', setPayload(marker, 'str'), c, 320, y), httpOut(c, z, '', 500, y)];
}

// W2: store the posted todo in global context with an increasing id (list capped at 1000)
export const W2_FUNC = [
    "const seq = (global.get('todoSeq') || 0) + 1;",
    "global.set('todoSeq', seq);",
    "const list = global.get('todoLog') || [];",
    'list.push(Object.assign({ id: seq }, msg.payload));',
    'if (list.length > 1000) { list.shift(); }',
    "global.set('todoLog', list);",
    'msg.payload = list[list.length - 1];',
    'return msg;'
].join('\n');

// W3, last node: count the items of one burst (by parts.id), answer once all have arrived
const W3_FINAL_FUNC = [
    "const acc = context.get('acc') || {};",
    'let s = acc[msg.parts.id];',
    "if (!s) { s = acc[msg.parts.id] = { count: 0, sum: 0 }; context.set('acc', acc); }",
    's.count++;',
    's.sum += msg.payload;',
    'if (s.count < msg.parts.count) { return null; }',
    'delete acc[msg.parts.id];',
    'msg.payload = { count: s.count, sum: s.sum, last: msg.parts.index };',
    'delete msg.parts;',
    'return msg;'
].join('\n');

// W3 chain after `http in`: split, then change/function alternating, then the collector
const W3_CHAIN = [
    (id, z, next, x) => split(id, z, next, x, 80),
    (id, z, next, x) => change(id, z, 'topic', [{ t: 'set', p: 'topic', pt: 'msg', to: 'burst', tot: 'str' }], next, x, 80),
    (id, z, next, x) => fn(id, z, 'double', 'msg.payload = msg.payload * 2;\nreturn msg;', next, x, 80),
    (id, z, next, x) => change(id, z, 'stage', [{ t: 'set', p: 'stage', pt: 'msg', to: '3', tot: 'num' }], next, x, 80),
    (id, z, next, x) => fn(id, z, 'plus one', 'msg.payload = msg.payload + 1;\nreturn msg;', next, x, 80),
    (id, z, next, x) => change(id, z, 'move', [{ t: 'move', p: 'stage', pt: 'msg', to: 'done', tot: 'msg' }], next, x, 80),
    (id, z, next, x) => fn(id, z, 'flag', 'msg.checked = true;\nreturn msg;', next, x, 80),
    (id, z, next, x) => change(id, z, 'delete', [{ t: 'delete', p: 'done', pt: 'msg' }], next, x, 80),
    (id, z, next, x) => fn(id, z, 'collect', W3_FINAL_FUNC, next, x, 80)
];

// every request workload on its own tab, plus the readiness endpoint answering 'workloads'
export function workloadFlows() {
    const nodes = [];
    const t1 = hexId('b1', 0), t2 = hexId('b2', 0), t3 = hexId('b3', 0), t7 = hexId('b7', 0), tr = hexId('b9', 0);

    nodes.push(tab(t1, 'W1 GET API'),
        httpIn(hexId('b1a', 1), t1, 'get', '/test', hexId('b1b', 1), 120, 80),
        change(hexId('b1b', 1), t1, 'todos', setPayload('todos', 'global'), hexId('b1c', 1), 320, 80),
        httpOut(hexId('b1c', 1), t1, '', 520, 80));

    nodes.push(tab(t2, 'W2 POST API'),
        httpIn(hexId('b2a', 1), t2, 'post', '/todo', hexId('b2b', 1), 120, 80),
        fn(hexId('b2b', 1), t2, 'store todo', W2_FUNC, hexId('b2c', 1), 320, 80),
        httpOut(hexId('b2c', 1), t2, '201', 520, 80));

    const id3 = (i) => hexId('b3', 0x100 + i);
    nodes.push(tab(t3, 'W3 message throughput'), httpIn(id3(0), t3, 'post', '/burst', id3(1), 120, 80));
    W3_CHAIN.forEach((make, i) => nodes.push(make(id3(i + 1), t3, id3(i + 2), 280 + 160 * i)));
    nodes.push(httpOut(id3(W3_CHAIN.length + 1), t3, '', 120 + 160 * (W3_CHAIN.length + 1), 80));

    const id7 = (i) => hexId('b7', 0x100 + i);
    nodes.push(tab(t7, 'W7 function chain'), httpIn(id7(0), t7, 'get', '/fn20', id7(1), 120, 80));
    for (let i = 1; i <= FN_CHAIN; i++) nodes.push(fn(id7(i), t7, '', 'return msg;', id7(i + 1), 120 + 60 * i, 80 + (i % 2) * 60));
    nodes.push(httpOut(id7(FN_CHAIN + 1), t7, '', 120 + 60 * (FN_CHAIN + 1), 80));

    nodes.push(tab(tr, 'ready'), ...readyEndpoint(tr, 'b9', 'workloads', 80));
    return nodes;
}

// An n-node flow (tabs counted): chains of 10 nodes
//   inject -> change -> function -> split -> change -> function -> change -> function -> change -> debug (inactive)
// over n/500 tabs, the readiness endpoint answering `marker` on the last tab. Nothing fires by itself.
export function bigFlow(n, marker) {
    const kinds = ['inject', 'change', 'function', 'split', 'change', 'function', 'change', 'function', 'change', 'debug'];
    const tabs = Math.max(2, Math.round(n / 500));
    const body = n - tabs - 3;
    const perTab = Math.ceil(body / tabs);
    const nodes = [];
    let k = 0, left = body;
    for (let t = 0; t < tabs; t++) {
        const z = hexId('c0', t + 1);
        nodes.push(tab(z, 'Generated ' + (t + 1)));
        let inTab = Math.min(perTab, left);
        left -= inTab;
        for (let row = 0; inTab > 0; row++) {
            const len = Math.min(kinds.length, inTab);
            for (let j = 0; j < len; j++) {
                const i = k + j, id = hexId('d', i), next = j + 1 < len ? hexId('d', i + 1) : null;
                const x = 120 + 170 * j, y = 60 + 60 * row;
                if (kinds[j] === 'inject') nodes.push(inject(id, z, 'tick ' + i, next, x, y));
                else if (kinds[j] === 'change') nodes.push(change(id, z, '', [
                    { t: 'set', p: 'topic', pt: 'msg', to: 'topic-' + i, tot: 'str' },
                    { t: 'set', p: 'count', pt: 'msg', to: String(i), tot: 'num' }], next, x, y));
                else if (kinds[j] === 'function') nodes.push(fn(id, z, 'step ' + i,
                    'msg.step = (msg.step || 0) + ' + i + ';\nif (msg.count > ' + (i * 7) + ') { node.warn("big"); }\nreturn msg;', next, x, y));
                else if (kinds[j] === 'split') nodes.push(split(id, z, next, x, y));
                else nodes.push(debug(id, z, 'out ' + i, x, y));
            }
            k += len;
            inTab -= len;
        }
    }
    nodes.push(...readyEndpoint(hexId('c0', tabs), 'c9', marker, 60 + 60 * (Math.ceil(perTab / 10) + 1)));
    if (nodes.length !== n) throw new Error(`bigFlow made ${nodes.length} nodes, wanted ${n}`);
    return nodes;
}
