// The two servers under comparison: how each is started (`<node> <script> -p PORT -u USERDIR -s
// settings.cjs`, a fresh user directory per start, pinned to one CPU with taskset when there is
// one), stopped by PID, and measured (resident memory from /proc). Every process started here is
// remembered so that killAll() can end it on errors, Ctrl-C or exit.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from './http.mjs';

const live = new Set(); // handles of started processes that have not exited yet

export const hasTaskset = spawnSync('taskset', ['-p', String(process.pid)]).status === 0;

// argv prefix with `taskset -c cpu` when pinning is possible (taskset execs, so the PID is the program's)
export function pinned(argv, cpu) {
    return hasTaskset && cpu !== null && cpu < os.cpus().length ? ['taskset', '-c', String(cpu), ...argv] : argv;
}

export function targets({ benchDir, repoDir }) {
    return [
        { name: 'nodered', label: 'Node-RED 4.1.15', script: path.join(benchDir, 'node_modules', 'node-red', 'red.js') },
        { name: 'crimson', label: 'Crimson', script: path.join(repoDir, 'dist', 'cli.js') }
    ];
}

// Starts `target` on `port` with a new user directory under `tmpRoot` holding `flowsJson`.
// Returns { pid, userDir, logFile, isAlive(), exited (promise), stop() }.
export function startServer(target, { port, settings, tmpRoot, cpu, flowsJson = '[]' }) {
    const userDir = fs.mkdtempSync(path.join(tmpRoot, target.name + '-'));
    fs.writeFileSync(path.join(userDir, 'flows.json'), flowsJson);
    const logFile = path.join(userDir, 'server.log');
    const log = fs.openSync(logFile, 'a');
    const argv = pinned([process.execPath, target.script, '-p', String(port), '-u', userDir, '-s', settings], cpu);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    let alive = true;
    const handle = {
        pid: child.pid, userDir, logFile,
        isAlive: () => alive,
        exited: new Promise((resolve) => {
            const done = () => { alive = false; live.delete(handle); resolve(); };
            child.on('exit', done);
            child.on('error', done);
        }),
        stop: () => stopServer(handle)
    };
    live.add(handle);
    return handle;
}

// SIGTERM, then SIGKILL after `graceMs`; any children the server had are killed too (by PID)
export async function stopServer(handle, graceMs = 10000) {
    if (!handle.isAlive()) return;
    const kids = descendants(handle.pid);
    signal(handle.pid, 'SIGTERM');
    const timer = setTimeout(() => signal(handle.pid, 'SIGKILL'), graceMs);
    await handle.exited;
    clearTimeout(timer);
    for (const k of kids) signal(k, 'SIGKILL');
    await sleep(100); // let the port close
}

// synchronous last resort for 'exit' and signal handlers
export function killAll() {
    for (const h of live) {
        for (const k of descendants(h.pid)) signal(k, 'SIGKILL');
        signal(h.pid, 'SIGKILL');
    }
    live.clear();
}

function signal(pid, sig) {
    try { process.kill(pid, sig); } catch { /* already gone */ }
}

function ppidOf(pid) {
    try {
        const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
    } catch { return null; }
}

function descendants(pid) {
    let procs;
    try { procs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number); } catch { return []; }
    const parent = new Map(procs.map((p) => [p, ppidOf(p)]));
    const out = [];
    for (let frontier = [pid]; frontier.length;) {
        const next = procs.filter((p) => frontier.includes(parent.get(p)));
        out.push(...next);
        frontier = next;
    }
    return out;
}

function statusKb(pid, field) {
    try {
        const m = new RegExp(field + ':\\s+(\\d+) kB').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) : 0;
    } catch { return 0; }
}

// resident memory of the server and its children, MiB
export function rssMiB(pid) {
    return [pid, ...descendants(pid)].reduce((kb, p) => kb + statusKb(p, 'VmRSS'), 0) / 1024;
}
