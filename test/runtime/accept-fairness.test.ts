// New connections are not starved by busy ones (request-admission.ts): the crimson command serving an
// `http in` → `http response` flow to 200 keep-alive connections that each send their next request as soon as
// an answer arrives, while 200 more connections open at once and send one request each. Node accepts one
// connection per event-loop turn; without the bounded turns every turn serves all busy connections again, so
// the new ones are answered only after tens of thousands of answers to the busy ones. Counted in answers,
// not in time, so that the machine's speed does not matter.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const BUSY = 200;
const NEW = 200;
const REQUEST = 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

let proc: ChildProcess | undefined;
let dir: string;
let port: number;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crimson-accept-'));
  await fs.writeFile(path.join(dir, 'flows.json'), JSON.stringify([
    { id: 't', type: 'tab', label: 'T' },
    { id: 'in', type: 'http in', z: 't', url: '/hello', method: 'get', x: 1, y: 1, wires: [['out']] },
    { id: 'out', type: 'http response', z: 't', x: 2, y: 1, wires: [] },
  ]));
  proc = spawn(process.execPath, [cli, '-u', dir, '-p', '0', '-D', 'uiHost=127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  port = await new Promise<number>((resolve, reject) => {
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = /Server now running at http:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    };
    proc!.stdout!.on('data', seen);
    proc!.stderr!.on('data', seen);
    proc!.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}, 30000);

afterAll(async () => {
  if (proc && proc.exitCode === null) { proc.kill('SIGKILL'); await new Promise((r) => proc!.once('exit', r)); }
  await fs.rm(dir, { recursive: true, force: true });
});

/** A keep-alive connection that counts answers; `again` decides whether to send the next request. */
function connection(onAnswer: () => void, again: () => boolean): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let buffered = '';
  socket.on('connect', () => socket.write(REQUEST));
  socket.on('data', (d) => {
    buffered += d.toString('latin1');
    // each answer is one status line ("{}" body, content-length set): count them
    let at: number;
    while ((at = buffered.indexOf('HTTP/1.1 200', 1)) > 0 || (buffered.startsWith('HTTP/1.1 200') && buffered.includes('\r\n\r\n{}'))) {
      const end = buffered.indexOf('\r\n\r\n{}');
      if (end < 0) break;
      buffered = buffered.slice(end + 6);
      onAnswer();
      if (again()) socket.write(REQUEST);
      if (at < 0) break;
    }
  });
  socket.on('error', () => { /* closed at the end */ });
  return socket;
}

it('answers the first requests of new connections while busy connections keep the server saturated', async () => {
  let busyAnswers = 0;
  let running = true;
  const busy = Array.from({ length: BUSY }, () => connection(() => { busyAnswers++; }, () => running));
  // let the busy connections get going
  await new Promise<void>((resolve) => { const t = setInterval(() => { if (busyAnswers > BUSY * 20) { clearInterval(t); resolve(); } }, 20); });
  const before = busyAnswers;
  let answeredNew = 0;
  const done = new Promise<void>((resolve) => {
    for (let i = 0; i < NEW; i++) connection(() => { if (++answeredNew === NEW) resolve(); }, () => false);
  });
  await done;
  const during = busyAnswers - before;
  running = false;
  for (const s of busy) s.destroy();
  // without bounded turns: about BUSY answers per accepted connection (BUSY x NEW = 40,000)
  expect(during).toBeLessThan((BUSY * NEW) / 8);
}, 60000);
