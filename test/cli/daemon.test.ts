// The built command (dist/cli.js) as a user runs it: default userDir created, PORT honoured, a Node-RED
// settings.js loaded unchanged, --safe, -D overrides, clean exit on SIGTERM.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let proc: ChildProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  if (proc && proc.exitCode === null) { proc.kill('SIGKILL'); await new Promise((r) => proc!.once('exit', r)); }
  proc = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const tmp = async () => { const d = await mkdtemp(path.join(os.tmpdir(), 'crimson-cli-')); dirs.push(d); return d; };

/** Starts the daemon and resolves with its base URL once it logs "Server now running". */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; out: () => string }> {
  let out = '';
  proc = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Server now running at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!.replace('0.0.0.0', '127.0.0.1'), out: () => out });
    };
    proc!.stdout!.on('data', onData);
    proc!.stderr!.on('data', onData);
    proc!.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`no start: ${out}`)), 15000).unref();
  });
}

describe('crimson command', () => {
  it('creates ~/.crimson on first start and honours PORT', async () => {
    const home = await tmp();
    const { url } = await run([], { HOME: home, PORT: '0' });
    expect((await stat(path.join(home, '.crimson'))).isDirectory()).toBe(true);
    expect((await fetch(url + 'flows')).status).toBe(200);
  });

  it('loads a Node-RED settings.js from the userDir, applies -D and stops on SIGTERM', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'settings.js'), `const os = require('os');\nmodule.exports = {\n  uiHost: '127.0.0.1',\n  httpAdminRoot: '/admin',\n  functionGlobalContext: { host: os.hostname() },\n};\n`);
    const { url } = await run(['-u', dir, '-p', '0', '-D', 'httpAdminRoot=/red']);
    expect(url).toMatch(/\/red\/$/);
    expect((await fetch(url + 'settings')).status).toBe(200);
    const exited = new Promise((r) => proc!.once('exit', r));
    proc!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('gives CommonJS node packages a require.main (the crimson command, as red.js under Node-RED)', async () => {
    const dir = await tmp();
    const pkg = path.join(dir, 'node_modules', 'node-red-contrib-main');
    await mkdir(pkg, { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'node-red-contrib-main', version: '1.0.0', 'node-red': { nodes: { m: 'm.js' } } }));
    // what Dashboard 2.0 does to find the application's package.json, and a require through the main module
    await writeFile(path.join(pkg, 'm.js'), "module.exports = function (RED) { RED.log.info('main: ' + require.main.filename + ' ' + typeof require.main.require('node:path').join); };\n");
    const { out } = await run(['-u', dir, '-p', '0']);
    expect(out()).toContain(`main: ${cli} function`);
  });

  it('--safe starts without running flows', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'flows.json'), '[]');
    const { url } = await run(['-u', dir, '-p', '0', '--safe']);
    expect(await (await fetch(url + 'flows/state')).json()).toEqual({ state: 'safe' });
  });

  it('a wrong-typed setting is a clear start-up error', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'settings.js'), `module.exports = { uiPort: 'abc' };\n`);
    const started = run(['-u', dir]);
    await expect(started).rejects.toThrow(/exited 1.*uiPort/s);
  });
});
