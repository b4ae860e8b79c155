// nginx (Debian's) as the load balancer in front of a cluster's instances, for bench/cluster.mjs: found on
// PATH or installed with apt-get when running as root; its config written to a temporary folder (upstream of the
// instances with keep-alive, the /comms websocket upgrade, access log off, one worker, `daemon off`, pid and temp
// paths in that folder) and run as a child pinned to one CPU.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pinned } from './servers.mjs';
import { sleep } from './http.mjs';

const onPath = () => ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p));

/** The nginx binary, installed first when missing and root; undefined (with the reason) otherwise. */
export function findNginx() {
    let bin = onPath();
    if (bin) return { bin };
    if (process.getuid?.() !== 0) return { why: 'nginx is not installed and this is not root (apt-get install nginx)' };
    process.stderr.write('installing nginx (apt-get install -y nginx)\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'nginx'], { env, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
    if (!install()) {
        spawnSync('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
        install();
    }
    // the package starts its own service where it can: this bench runs its own nginx, so that one is stopped
    if (fs.existsSync('/run/nginx.pid')) spawnSync('/usr/sbin/nginx', ['-s', 'quit'], { stdio: 'ignore' });
    bin = onPath();
    return bin ? { bin } : { why: 'apt-get install nginx failed' };
}

/** The config: `upstreams` are ports on 127.0.0.1; nginx listens on 127.0.0.1:`port`. */
export function nginxConf({ dir, port, upstreams }) {
    return `# written by bench/cluster.mjs
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;

    # the editor's /comms websocket: Upgrade passed on; plain requests keep their upstream connection
    map $http_upgrade $connection_upgrade { default upgrade; '' ''; }

    upstream crimson {
${upstreams.map((p) => `        server 127.0.0.1:${p};`).join('\n')}
        keepalive 64;
    }
    server {
        listen 127.0.0.1:${port};
        location / {
            proxy_pass http://crimson;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;
        }
    }
}
`;
}

/** Starts nginx on `port` in front of `upstreams`, pinned to `cpu`; resolves { port, conf, stop() }. */
export async function startNginx(bin, { port, upstreams, cpu }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crimson-nginx-'));
    fs.chmodSync(dir, 0o755); // workers run as nobody when started by root
    const conf = nginxConf({ dir, port, upstreams });
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    const argv = pinned([bin, '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], cpu);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    for (let i = 0; ; i++) {
        const up = await new Promise((r) => { const s = net.connect(port, '127.0.0.1', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
        if (up) break;
        if (child.exitCode !== null || i > 100) throw new Error(`nginx did not start: ${err}${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`);
        await sleep(50);
    }
    return {
        port, conf, pid: child.pid,
        async stop() {
            if (child.exitCode === null) {
                child.kill('SIGQUIT');
                await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5000)]);
                if (child.exitCode === null) child.kill('SIGKILL');
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
