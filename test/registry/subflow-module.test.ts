// Subflow modules (RED.nodes.registerSubflow): a package publishing a subflow as a node type, compared with
// Node-RED 4.1.15 on the same userDir: the set's entry in /nodes, the editor definition the palette gets
// (evaluated, as the editor would), instances running with their properties as env (str / num / bool /
// typed / cred), a subflow nested inside the module, the status port, errors caught outside, a missing
// property, log lines naming the instance, and credentials through GET /credentials.
import fs from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBoth, waitFor } from './loader/servers.js';
import type { Server } from './loader/servers.js';
import { writePackage } from './loader/fixtures.js';

const MODULE = 'node-red-contrib-sfdemo';

/** The module's subflow: env properties of each kind, a nested subflow, a status port, an error path. */
const subflow = {
  id: 'sf1', type: 'subflow', name: 'SF Demo', info: 'Demo *help*', category: 'demo', color: '#DDAA99', icon: 'font-awesome/fa-star',
  in: [{ x: 50, y: 30, wires: [{ id: 'fn1' }] }],
  out: [{ x: 400, y: 30, wires: [{ id: 'inner-i', port: 0 }] }],
  status: { x: 200, y: 100, wires: [{ id: 'fn1', port: 1 }] },
  env: [
    { name: 'GREETING', type: 'str', value: 'hello', ui: { label: { 'en-US': 'Greeting' } } },
    { name: 'COUNT', type: 'num', value: '3' },
    { name: 'FLAG', type: 'bool', value: 'true' },
    { name: 'SECRET', type: 'cred', value: '', ui: { icon: 'font-awesome/fa-lock' } },
    { name: 'DATA', type: 'json', value: '{"a":1}' },
  ],
  meta: { module: MODULE, type: 'sf-demo', version: '1.0.0' },
  flow: [
    {
      id: 'fn1', type: 'function', z: 'sf1', name: '', outputs: 2, x: 150, y: 30, wires: [['inner-i'], []],
      func: [
        "if (msg.payload === 'err') { node.error('boom', msg); return null; }",
        "node.warn('inside ' + msg.payload);",
        "msg.payload = { g: env.get('GREETING'), c: env.get('COUNT'), f: env.get('FLAG'), s: env.get('SECRET'), d: env.get('DATA'),",
        "  n: env.get('NR_SUBFLOW_NAME'), id: env.get('NR_NODE_ID'), in: msg.payload };",
        "return [msg, { payload: 'seen ' + msg.payload.in }];",
      ].join('\n'),
    },
    { id: 'inner', type: 'subflow', name: 'Inner', in: [{ x: 0, y: 0, wires: [{ id: 'inner-c' }] }], out: [{ x: 0, y: 0, wires: [{ id: 'inner-c', port: 0 }] }], env: [] },
    { id: 'inner-c', type: 'change', z: 'inner', rules: [{ t: 'set', p: 'payload.nested', pt: 'msg', to: 'yes', tot: 'str' }], x: 100, y: 30, wires: [[]] },
    { id: 'inner-i', type: 'subflow:inner', z: 'sf1', x: 250, y: 30, wires: [[]] },
  ],
};

async function build(userDir: string): Promise<void> {
  await writePackage(path.join(userDir, 'node_modules', MODULE), { name: MODULE, version: '1.0.0', red: { nodes: { sfdemo: 'sfdemo.js' } } }, {
    'sfdemo.js': [
      "const fs = require('fs'), path = require('path');",
      'module.exports = function (RED) {',
      "  RED.nodes.registerSubflow(JSON.parse(fs.readFileSync(path.join(__dirname, 'sfdemo.json'), 'utf8')));",
      '};',
      '',
    ].join('\n'),
    'sfdemo.json': JSON.stringify(subflow),
  });
}

const flows = [
  { id: 't1', type: 'tab', label: 'T' },
  { id: 'h1', type: 'http in', z: 't1', url: '/sf/:in', method: 'get', x: 100, y: 100, wires: [['c1']] },
  { id: 'c1', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'req.params.in', tot: 'msg' }], x: 200, y: 100, wires: [['s1']] },
  {
    id: 's1', type: 'sf-demo', z: 't1', name: 'mine', GREETING: 'hey', COUNT: 7, FLAG: false, SECRET: '', DATA: { type: 'json', value: '{"b":2}' },
    x: 300, y: 100, wires: [['r1']], credentials: { SECRET: 'pw' },
  },
  { id: 'r1', type: 'http response', z: 't1', x: 400, y: 100, wires: [] },
  { id: 'ca', type: 'catch', z: 't1', scope: null, uncaught: false, x: 100, y: 200, wires: [['cf']] },
  { id: 'cf', type: 'function', z: 't1', func: 'msg.payload = { caught: msg.error.message, source: msg.error.source };\nreturn msg;', outputs: 1, x: 200, y: 200, wires: [['r1']] },
  { id: 'st', type: 'status', z: 't1', scope: ['s1'], x: 100, y: 300, wires: [['sc']] },
  { id: 'sc', type: 'change', z: 't1', rules: [{ t: 'set', p: 'last', pt: 'global', to: 'status', tot: 'msg' }], x: 200, y: 300, wires: [[]] },
  { id: 'h2', type: 'http in', z: 't1', url: '/status', method: 'get', x: 100, y: 400, wires: [['c2']] },
  { id: 'c2', type: 'change', z: 't1', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'last', tot: 'global' }], x: 200, y: 400, wires: [['r1']] },
  // an instance without the properties the subflow declares: Node-RED logs an error and leaves it out
  { id: 's2', type: 'sf-demo', z: 't1', x: 300, y: 500, wires: [[]] },
];

let crimson: Server;
let nodeRed: Server;
let stopAll: () => Promise<void>;
const since = new Map<Server, number>();

beforeAll(async () => {
  ({ crimson, nodeRed, stop: stopAll } = await startBoth(build, { flowFile: 'flows.json', credentialSecret: 'a-secret' }));
  for (const s of [crimson, nodeRed]) {
    since.set(s, s.logs().length);
    await s.deploy(flows);
    await waitFor(() => s.logs().slice(since.get(s)).includes('[info] Started flows'), 20000, `${s.kind} to start the flows`);
  }
}, 90000);
afterAll(async () => { await stopAll?.(); });

const both = async <T>(f: (s: Server) => Promise<T>): Promise<[T, T]> => Promise.all([f(crimson), f(nodeRed)]);

it('lists the type in its set, as Node-RED does', async () => {
  const [a, b] = await both((s) => s.json(`nodes/${MODULE}`));
  expect(a).toEqual(b);
  expect(a.body.nodes[0]).toMatchObject({ id: `${MODULE}/sfdemo`, types: ['sf-demo'], enabled: true });
  expect(a.body.nodes[0].err).toBeUndefined();
});

/** Runs a set's editor HTML as the editor would: what each RED.nodes.registerType call defined. */
function editorDefinitions(html: string, exported: unknown[] = []): Record<string, any> {
  const defs: Record<string, any> = {};
  const RED = {
    nodes: { registerType: (type: string, def: unknown) => { defs[type] = def; } },
    // what the editor's subflow form hands the definition's oneditsave
    subflow: { exportSubflowInstanceEnv: () => structuredClone(exported) },
  };
  for (const m of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) vm.runInNewContext(m[1]!, { RED });
  return defs;
}

it('gives the editor a definition of the type that holds what Node-RED\'s does', async () => {
  const [a, b] = await both(async (s) => (await s.text(`nodes/${MODULE}/sfdemo`, { accept: 'text/html' })).body);
  // saving the edit form: every kind of property stored as Node-RED's own definition stores it
  const exported = [
    { name: 'GREETING', type: 'str', value: 'yo' }, { name: 'COUNT', type: 'num', value: '9' }, { name: 'FLAG', type: 'bool', value: 'true' },
    { name: 'SECRET', type: 'cred', value: 'pw' }, { name: 'DATA', type: 'json', value: '{"c":3}' },
  ];
  const [da, db] = [editorDefinitions(a, exported)['sf-demo'], editorDefinitions(b, exported)['sf-demo']];
  expect(da).toBeDefined();
  for (const key of ['subflowModule', 'category', 'color', 'defaults', 'credentials', 'inputs', 'outputs', 'icon', 'paletteLabel']) {
    expect(da[key], key).toEqual(db[key]);
  }
  expect(da.defaults.COUNT).toEqual({ value: 3 });
  expect(da.defaults.SECRET.ui.type).toBe('cred');
  for (const self of [{}, { name: 'x' }]) {
    expect(da.label.call(self)).toBe(db.label.call(self));
    expect(da.labelStyle.call(self)).toBe(db.labelStyle.call(self));
  }
  const save = (def: any) => {
    const node: any = { _def: def, credentials: {} };
    def.oneditsave.call(node);
    return node;
  };
  const [sa, sb] = [save(da), save(db)];
  delete sa._def; delete sb._def;
  expect(sa).toEqual(sb);
  expect(sa).toMatchObject({ GREETING: 'yo', COUNT: 9, FLAG: true, SECRET: '', credentials: { SECRET: 'pw', has_SECRET: true } });
  // the edit form and the help
  for (const html of [a, b]) {
    expect(html).toContain('data-template-name="sf-demo"');
    expect(html).toContain('<div id="subflow-input-ui"></div>');
    expect(html).toContain('<script type="text/markdown" data-help-name="sf-demo">Demo *help*</script>');
  }
  const [all] = await both(async (s) => (await s.text('nodes', { accept: 'text/html' })).body);
  expect(all).toContain(`<!-- --- [red-module:${MODULE}/sfdemo] --- -->\n<script type="text/javascript">`);
});

it('runs an instance with its properties as the subflow\'s env, a nested subflow inside', async () => {
  const [a, b] = await both((s) => s.text('sf/x'));
  expect(a).toEqual(b);
  expect(JSON.parse(a.body)).toEqual({ g: 'hey', c: 7, f: false, s: 'pw', d: { b: 2 }, n: 'mine', id: 's1-fn1', in: 'x', nested: 'yes' });
});

it('logs what the module\'s nodes log as coming from the instance', async () => {
  await both((s) => s.text('sf/logged'));
  const lines = (s: Server) => s.logs().slice(since.get(s)).filter((l) => l.includes('inside logged'));
  await waitFor(() => lines(crimson).length > 0 && lines(nodeRed).length > 0, 5000, 'the log lines');
  expect(lines(crimson)).toEqual(['[warn] [sf-demo:s1] inside logged']);
  expect(lines(crimson)).toEqual(lines(nodeRed));
});

it('reports the status port as the instance\'s status, and its errors to the flow\'s catch', async () => {
  await both((s) => s.text('sf/st'));
  const [sa, sb] = await both(async (s) => {
    let last: any;
    await waitFor(async () => { last = JSON.parse((await s.text('status')).body); return last?.text === 'seen st'; }, 5000, 'the status');
    return last;
  });
  expect(sa).toEqual(sb);
  const [ea, eb] = await both((s) => s.text('sf/err'));
  expect(ea).toEqual(eb);
  expect(JSON.parse(ea.body)).toMatchObject({ caught: 'boom', source: { id: 's1-fn1', type: 'function' } });
});

it('leaves out an instance without the subflow\'s properties, logging the error Node-RED logs', async () => {
  const errors = (s: Server) => s.logs().slice(since.get(s)).filter((l) => l.startsWith('[error]'));
  expect(errors(crimson)).toEqual(["[error] TypeError: Cannot read properties of undefined (reading 'type')"]);
  expect(errors(crimson)).toEqual(errors(nodeRed));
});

it('keeps the instance\'s cred property as a credential (GET /credentials)', async () => {
  const [a, b] = await both((s) => s.json('credentials/sf-demo/s1'));
  expect(a).toEqual(b);
  expect(a.body).toEqual({ has_SECRET: true });
  // encrypted at rest: the file holds only the ciphertext (checking the text for 'pw' failed whenever the
  // base64 happened to contain those two letters)
  const stored = JSON.parse(await fs.readFile(path.join(crimson.userDir, 'flows_cred.json'), 'utf8')) as Record<string, unknown>;
  expect(Object.keys(stored)).toEqual(['$']);
  expect(stored.$).toMatch(/^[0-9a-f]{32}[A-Za-z0-9+/]+=*$/);
});
