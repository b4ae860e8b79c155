// Group env scopes (COMPAT C9), as Node-RED 4.1.15 answered for the same flow (recorded side by side): a
// node in a group reads the group's env, then its parent groups', then the tab's; NR_GROUP_NAME/ID;
// `$parent.X` skips the innermost scope; an `env` entry of an inner group reads the outer one; `${X}` in a
// node's config is substituted with the group's value; a subflow instance in a group reads that group
// after the subflow's own scopes.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';
import { commsUrl, openComms, sleep, type TestClient } from '../comms/ws-client.js';

const flow = [
 {
  "id": "tg",
  "type": "tab",
  "label": "G",
  "env": [
   {
    "name": "A",
    "value": "tabA",
    "type": "str"
   },
   {
    "name": "T",
    "value": "tabT",
    "type": "str"
   }
  ]
 },
 {
  "id": "gout",
  "type": "group",
  "z": "tg",
  "name": "Outer",
  "style": {},
  "nodes": [
   "gin",
   "fo",
   "sig"
  ],
  "env": [
   {
    "name": "A",
    "value": "outerA",
    "type": "str"
   },
   {
    "name": "B",
    "value": "outerB",
    "type": "str"
   }
  ],
  "x": 1,
  "y": 1,
  "w": 10,
  "h": 10
 },
 {
  "id": "gin",
  "type": "group",
  "z": "tg",
  "g": "gout",
  "name": "Inner",
  "style": {},
  "nodes": [
   "fi",
   "ch"
  ],
  "env": [
   {
    "name": "A",
    "value": "innerA",
    "type": "str"
   },
   {
    "name": "C",
    "value": "B",
    "type": "env"
   }
  ],
  "x": 1,
  "y": 1,
  "w": 10,
  "h": 10
 },
 {
  "id": "i1",
  "type": "inject",
  "z": "tg",
  "props": [
   {
    "p": "payload"
   }
  ],
  "repeat": "",
  "crontab": "",
  "once": false,
  "topic": "",
  "payload": "",
  "payloadType": "date",
  "x": 1,
  "y": 1,
  "wires": [
   [
    "fi",
    "fo",
    "fn",
    "sig"
   ]
  ]
 },
 {
  "id": "fi",
  "type": "function",
  "z": "tg",
  "name": "fi",
  "func": "msg.payload = {A: env.get('A'), B: env.get('B'), C: env.get('C'), PA: env.get('$parent.A'), GN: env.get('NR_GROUP_NAME'), GI: env.get('NR_GROUP_ID'), T: env.get('T'), SUB: env.get('NR_SUBFLOW_NAME')};\nreturn msg;",
  "outputs": 1,
  "timeout": 0,
  "noerr": 0,
  "initialize": "",
  "finalize": "",
  "libs": [],
  "x": 100,
  "y": 100,
  "wires": [
   [
    "d"
   ]
  ],
  "g": "gin"
 },
 {
  "id": "fo",
  "type": "function",
  "z": "tg",
  "name": "fo",
  "func": "msg.payload = {A: env.get('A'), B: env.get('B'), C: env.get('C'), PA: env.get('$parent.A'), GN: env.get('NR_GROUP_NAME'), GI: env.get('NR_GROUP_ID'), T: env.get('T'), SUB: env.get('NR_SUBFLOW_NAME')};\nreturn msg;",
  "outputs": 1,
  "timeout": 0,
  "noerr": 0,
  "initialize": "",
  "finalize": "",
  "libs": [],
  "x": 100,
  "y": 100,
  "wires": [
   [
    "d"
   ]
  ],
  "g": "gout"
 },
 {
  "id": "fn",
  "type": "function",
  "z": "tg",
  "name": "fn",
  "func": "msg.payload = {A: env.get('A'), B: env.get('B'), C: env.get('C'), PA: env.get('$parent.A'), GN: env.get('NR_GROUP_NAME'), GI: env.get('NR_GROUP_ID'), T: env.get('T'), SUB: env.get('NR_SUBFLOW_NAME')};\nreturn msg;",
  "outputs": 1,
  "timeout": 0,
  "noerr": 0,
  "initialize": "",
  "finalize": "",
  "libs": [],
  "x": 100,
  "y": 100,
  "wires": [
   [
    "d"
   ]
  ]
 },
 {
  "id": "sfg",
  "type": "subflow",
  "name": "SFG",
  "in": [
   {
    "x": 1,
    "y": 1,
    "wires": [
     {
      "id": "fs"
     }
    ]
   }
  ],
  "out": [
   {
    "x": 1,
    "y": 1,
    "wires": [
     {
      "id": "fs",
      "port": 0
     }
    ]
   }
  ],
  "env": []
 },
 {
  "id": "fs",
  "type": "function",
  "z": "sfg",
  "name": "fs",
  "func": "msg.payload = {A: env.get('A'), B: env.get('B'), C: env.get('C'), PA: env.get('$parent.A'), GN: env.get('NR_GROUP_NAME'), GI: env.get('NR_GROUP_ID'), T: env.get('T'), SUB: env.get('NR_SUBFLOW_NAME')};\nreturn msg;",
  "outputs": 1,
  "timeout": 0,
  "noerr": 0,
  "initialize": "",
  "finalize": "",
  "libs": [],
  "x": 100,
  "y": 100,
  "wires": [
   []
  ]
 },
 {
  "id": "sig",
  "type": "subflow:sfg",
  "z": "tg",
  "g": "gout",
  "name": "inst",
  "x": 1,
  "y": 1,
  "wires": [
   [
    "d"
   ]
  ]
 },
 {
  "id": "d",
  "type": "debug",
  "z": "tg",
  "name": "d",
  "active": true,
  "tosidebar": true,
  "console": false,
  "tostatus": false,
  "complete": "payload",
  "targetType": "msg",
  "x": 1,
  "y": 1,
  "wires": []
 },
 {
  "id": "ch",
  "type": "change",
  "z": "tg",
  "g": "gin",
  "name": "",
  "rules": [
   {
    "t": "set",
    "p": "payload",
    "pt": "msg",
    "to": "${A}",
    "tot": "str"
   }
  ],
  "x": 1,
  "y": 1,
  "wires": [
   [
    "d"
   ]
  ]
 },
 {
  "id": "i2",
  "type": "inject",
  "z": "tg",
  "props": [
   {
    "p": "payload"
   }
  ],
  "repeat": "",
  "crontab": "",
  "once": false,
  "topic": "",
  "payload": "",
  "payloadType": "date",
  "x": 1,
  "y": 1,
  "wires": [
   [
    "ch"
   ]
  ]
 }
];

let c: Started;
let ws: TestClient;
beforeEach(async () => {
  c = await startCrimson({ flows: flow });
  ws = await openComms(commsUrl(c.url));
  ws.send({ subscribe: 'debug' });
  await sleep(200);
});
afterEach(async () => { await ws.close(); await c.stop(); });

const U = { __enc__: true, type: 'undefined' };
const outputs = () => ws.messages().filter((m) => m.topic === 'debug').map((m) => (m.data as { msg: string }).msg);

it('scopes env vars by group, nested, as Node-RED does', async () => {
  expect((await fetch(c.url + 'inject/i1', { method: 'POST' })).status).toBe(200);
  await ws.until(() => outputs().length >= 4, 3000);
  expect(outputs().map((m) => JSON.parse(m))).toEqual([
    { A: 'innerA', B: 'outerB', C: 'outerB', PA: 'outerA', GN: 'Inner', GI: 'gin', T: 'tabT', SUB: U },
    { A: 'outerA', B: 'outerB', C: U, PA: 'tabA', GN: 'Outer', GI: 'gout', T: 'tabT', SUB: U },
    { A: 'tabA', B: U, C: U, PA: U, GN: U, GI: U, T: 'tabT', SUB: U },
    { A: 'outerA', B: 'outerB', C: U, PA: 'outerA', GN: 'Outer', GI: 'gout', T: 'tabT', SUB: 'inst' },
  ]);
  expect((await fetch(c.url + 'inject/i2', { method: 'POST' })).status).toBe(200);
  await ws.until(() => outputs().length >= 5, 3000);
  expect(outputs()[4]).toBe('innerA');
});
