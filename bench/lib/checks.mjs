// Correctness checks run on each server after the workload flows are deployed and before any
// timing: a workload whose check fails is not timed for that server (and the run exits 1).
import { isDeepStrictEqual } from 'node:util';
import { request, parseJson } from './http.mjs';
import { burst } from './load.mjs';
import { W2_BODY, BURST_ITEMS, BURST_SUM } from './flows.mjs';

// returns [{ id: 'sanity' | 'W1' | ..., ok, what }]
export async function checkWorkloads(port, todos) {
    const results = [];
    const check = async (id, what, test) => {
        let ok = false, got = '';
        try { [ok, got] = await test(); } catch (e) { got = e.message; }
        results.push({ id, ok, what: ok ? what : `${what} (got ${got})` });
    };
    const brief = (r) => `${r.status} ${r.text.replace(/\s+/g, ' ').slice(0, 100)}`;

    await check('sanity', 'an unknown path answers 404', async () => {
        const r = await request(port, 'GET', '/no-such-endpoint-' + Date.now());
        return [r.status === 404, brief(r)];
    });
    await check('W1', `GET /test answers 200 with JSON equal to the ${todos.length} seeded todos`, async () => {
        const r = await request(port, 'GET', '/test');
        return [r.status === 200 && /json/.test(r.headers['content-type'] || '') && isDeepStrictEqual(parseJson(r.text), todos), brief(r)];
    });
    await check('W2', 'POST /todo answers 201 with the stored item, ids increasing by one', async () => {
        const a = await request(port, 'POST', '/todo', { body: W2_BODY });
        const b = await request(port, 'POST', '/todo', { body: W2_BODY });
        const ja = parseJson(a.text), jb = parseJson(b.text), sent = JSON.parse(W2_BODY);
        const ok = a.status === 201 && b.status === 201 && ja?.title === sent.title && isDeepStrictEqual(ja?.tags, sent.tags) &&
            Number.isInteger(ja?.id) && jb?.id === ja.id + 1;
        return [ok, `${brief(a)} / ${brief(b)}`];
    });
    await check('W3', `POST /burst of ${BURST_ITEMS} numbers answers {count: ${BURST_ITEMS}, sum: ${BURST_SUM}}`, async () => {
        await burst(port); // throws with the answer when it is wrong
        return [true, ''];
    });
    await check('W7', 'GET /fn20?x=1 answers 200 {"x":"1"} after 20 function nodes', async () => {
        const r = await request(port, 'GET', '/fn20?x=1');
        return [r.status === 200 && isDeepStrictEqual(parseJson(r.text), { x: '1' }), brief(r)];
    });
    return results;
}
