// The figures the benchmark reports and the markdown table: per figure the median over the rounds
// for each server, the ratio Crimson ÷ Node-RED, and that ratio read as "better"/"worse".

// [key, workload, figure, unit, 'hi' (higher is better) | 'lo', decimals]
export const METRICS = [
    ['w1_rps', 'W1', 'GET /test → change → http response', 'req/s', 'hi', 0],
    ['w1_p99', 'W1', 'latency p99', 'ms', 'lo', 1],
    ['w2_rps', 'W2', 'POST /todo JSON → function → 201', 'req/s', 'hi', 0],
    ['w2_p99', 'W2', 'latency p99', 'ms', 'lo', 1],
    ['w3_items', 'W3', 'POST 10k items → split → 8 nodes → response', 'items/s', 'hi', 0],
    ['w3_ms', 'W3', 'time per 10k-item burst', 'ms', 'lo', 1],
    ['w7_rps', 'W7', 'GET /fn20 → 20 × function → response', 'req/s', 'hi', 0],
    ['w7_p99', 'W7', 'latency p99', 'ms', 'lo', 1],
    ['w4_api', 'W4', 'full deploy of 10k nodes: POST /flows answered', 'ms', 'lo', 0],
    ['w4_ready', 'W4', 'full deploy of 10k nodes: new flows running', 'ms', 'lo', 0],
    ['w5_idle', 'W5', 'RSS idle after start (empty flows)', 'MiB', 'lo', 1],
    ['w5_10k', 'W5', 'RSS after one 10k-node deploy', 'MiB', 'lo', 1],
    ['w6_start', 'W6', 'startup until GET /settings answers 200', 'ms', 'lo', 0]
];

export function median(xs) {
    const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
    if (!v.length) return null;
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const num = (x, d) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '—');

// values: { nodered: { key: [per-round numbers] }, crimson: {...} } -> { key: { nodered, crimson, ratio } }
export function summarize(values) {
    const out = {};
    for (const [key] of METRICS) {
        const n = median(values.nodered[key] || []), c = median(values.crimson[key] || []);
        if (n === null && c === null) continue;
        out[key] = { nodered: n, crimson: c, ratio: n && c !== null ? c / n : null };
    }
    return out;
}

export function markdown(summary, notes) {
    const lines = [
        '| workload | figure | unit | Node-RED 4.1.15 | Crimson | Crimson ÷ Node-RED | Crimson is |',
        '|---|---|---|---:|---:|---:|---|'
    ];
    for (const [key, w, label, unit, better, d] of METRICS) {
        const s = summary[key];
        if (!s) continue;
        let verdict = '—';
        if (Number.isFinite(s.ratio) && s.ratio > 0) {
            const f = better === 'hi' ? s.ratio : 1 / s.ratio; // > 1: Crimson is better
            verdict = Math.abs(f - 1) < 0.005 ? 'the same' : f > 1 ? `${f.toFixed(2)}× better` : `${(1 / f).toFixed(2)}× worse`;
        }
        lines.push(`| ${w} | ${label} | ${unit} | ${num(s.nodered, d)} | ${num(s.crimson, d)} | ${Number.isFinite(s.ratio) ? s.ratio.toFixed(2) : '—'} | ${verdict} |`);
    }
    return [...lines, '', ...notes.map((n) => `- ${n}`)].join('\n');
}
