#!/usr/bin/env node
// Records what real Node-RED outputs for the example flows of @node-red/nodes (see README.md here).
//
//   node test/nodes/examples/record.mjs                      # record all, twice, mark flaky ones
//   node test/nodes/examples/record.mjs --only "delay/0"     # only examples whose path contains the text
//   node test/nodes/examples/record.mjs --runs 1             # one recording, no flakiness check
//   node test/nodes/examples/record.mjs --check --url http://127.0.0.1:1880/
//                                                            # compare a running server with the fixtures
//   node test/nodes/examples/record.mjs --check              # same with a Node-RED started here
//   --node-red DIR   Node-RED install (DIR/node_modules/node-red/red.js; default: the project's devDependency)
//   --dry            do not write fixtures, print results
//
// harness.ts is bundled with esbuild (a devDependency) into a temp file and imported.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const recordedDir = path.join(here, 'recorded');
const examplesDir = path.join(repo, 'node_modules/@node-red/nodes/examples');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const flag = (name) => args.includes(name);
const only = opt('--only', '');
const runs = Number(opt('--runs', '2'));
const nodeRedDir = opt('--node-red', repo);
const check = flag('--check');
const checkUrl = opt('--url', '');
const dry = flag('--dry');

async function loadHarness() {
  const esbuild = await import(pathToFileURL(path.join(repo, 'node_modules/esbuild/lib/main.js')).href);
  const out = path.join(os.tmpdir(), `nr-examples-harness-${process.pid}.mjs`);
  await esbuild.default.build({
    entryPoints: [path.join(here, 'harness.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out,
    logLevel: 'warning', external: ['bufferutil', 'utf-8-validate'],
    banner: { js: `import { createRequire as __cr } from 'node:module'; const require = __cr(${JSON.stringify(path.join(repo, 'package.json'))});` },
  });
  const h = await import(pathToFileURL(out).href);
  await fsp.rm(out, { force: true });
  return h;
}

const freePort = () => new Promise((resolve, reject) => {
  const srv = net.createServer();
  srv.once('error', reject);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

async function startNodeRed() {
  const userDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nr-examples-userdir-'));
  await fsp.writeFile(path.join(userDir, 'settings.js'), `module.exports = {
  uiHost: '127.0.0.1',
  flowFile: 'flows.json',
  functionGlobalContext: { os: require('os') },
  logging: { console: { level: 'warn' } },
};\n`);
  const port = await freePort();
  const red = path.join(nodeRedDir, 'node_modules/node-red/red.js');
  const child = spawn(process.execPath, [red, '-u', userDir, '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}/`;
  const end = Date.now() + 30000;
  for (;;) {
    try { const r = await fetch(url + 'settings'); if (r.ok) break; } catch { /* not yet */ }
    if (Date.now() > end || child.exitCode != null) throw new Error('Node-RED did not start:\n' + log.join(''));
    await new Promise((r) => setTimeout(r, 200));
  }
  const version = (await (await fetch(url + 'settings')).json()).version;
  return {
    url, version, log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode != null) r(); else child.once('exit', r); setTimeout(r, 5000); });
      await fsp.rm(userDir, { recursive: true, force: true });
    },
  };
}

async function runAll(h, url, examples, label) {
  const results = new Map();
  const t0 = Date.now();
  for (const ex of examples) {
    const t = Date.now();
    let r;
    try { r = await h.runExample(url, ex, { examplesDir }); } catch (e) { r = { example: ex, error: String(e?.stack ?? e) }; }
    results.set(ex, r);
    console.log(`[${label}] ${((Date.now() - t) / 1000).toFixed(1)}s ${ex}: ${r.skip ? 'skip' : r.error ? 'ERROR ' + r.error : `${r.debug.length} debug, ${r.status.length} status, ${r.http.length} http`}`);
  }
  console.log(`[${label}] ${examples.length} examples in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return results;
}

const h = await loadHarness();
const examples = h.listExamples(examplesDir).filter((e) => e.includes(only));

if (check) {
  // compare a server (--url, or a Node-RED started here) with the fixtures
  const nr = checkUrl ? null : await startNodeRed();
  const url = checkUrl || nr.url;
  let failed = 0;
  for (const ex of examples) {
    const exp = h.loadFixture(ex, recordedDir);
    if (exp.skip) { console.log(`SKIP ${ex}: ${exp.skip}`); continue; }
    let d;
    try { d = h.diffResults(exp, await h.runExample(url, ex, { examplesDir })); } catch (e) { d = [`error: ${e?.message ?? e}`]; }
    if (d.length) { failed++; console.log(`FAIL ${ex}${exp.flaky ? ' (flaky)' : ''}\n  ${d.slice(0, 10).join('\n  ')}`); } else console.log(`ok   ${ex}`);
  }
  console.log(`${failed} of ${examples.length} differ`);
  if (nr) await nr.stop();
  process.exit(failed ? 1 : 0);
}

const recordings = [];
let version = '';
for (let i = 0; i < runs; i++) {
  const nr = await startNodeRed();
  version = nr.version;
  try {
    // the second run goes backwards, so examples whose output depends on the ones before them show up as flaky
    const order = i % 2 ? [...examples].reverse() : examples;
    recordings.push(await runAll(h, nr.url, order, `run ${i + 1}`));
  } finally { await nr.stop(); }
}

let written = 0; const flaky = []; const perNode = []; const skipped = [];
for (const ex of examples) {
  const first = recordings[0].get(ex);
  if (first.error) { console.log(`not written (error): ${ex}`); continue; }
  const out = { ...first, recordedWith: `Node-RED ${version}` };
  delete out.raw;
  if (out.skip) skipped.push(ex);
  for (const rec of recordings.slice(1)) {
    const other = rec.get(ex);
    if (other.error) { out.flaky = `a later run failed: ${other.error.split('\n')[0]}`; continue; }
    let d = h.diffResults(out, other);
    if (d.length && out.order === 'total') {
      const d2 = h.diffResults({ ...out, order: 'per-node' }, other);
      if (!d2.length) { out.order = 'per-node'; d = d2; perNode.push(ex); }
    }
    if (d.length) out.flaky = d.slice(0, 5).join('; ');
  }
  if (out.flaky) flaky.push(ex);
  const ordered = {
    example: out.example, recordedWith: out.recordedWith, ...(out.skip ? { skip: out.skip } : {}),
    ...(out.flaky ? { flaky: out.flaky } : {}), ...(out.note ? { note: out.note } : {}),
    order: out.order, statusOrder: out.statusOrder, ...(out.ignore ? { ignore: out.ignore } : {}),
    ...(out.ignoreNodes ? { ignoreNodes: out.ignoreNodes } : {}),
    debug: out.debug, status: out.status, http: out.http,
  };
  if (dry) { console.log(JSON.stringify(ordered, null, 2)); continue; }
  const file = h.fixturePath(ex, recordedDir);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, JSON.stringify(ordered, null, 2) + '\n');
  written++;
}
console.log(`\n${written} fixtures written to ${path.relative(repo, recordedDir)}; ${skipped.length} skipped; per-node order: ${perNode.length}; flaky: ${flaky.length}`);
for (const f of flaky) console.log(`  flaky: ${f}`);
for (const f of perNode) console.log(`  per-node: ${f}`);
