// GET /debug/view/*: the debug sidebar's files from @node-red/nodes, answered as Node-RED answers them.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrimson, type Started } from '../helpers/start-crimson.js';

const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('@node-red/nodes/package.json')), 'core/common/lib/debug');
let c: Started;
beforeAll(async () => {
  c = await startCrimson({ settings: { adminAuth: { type: 'credentials', users: [{ username: 'a', password: '$2b$08$wuAqPiKJlVN27eF5qJp.RuQYuy6ZYONW7a/UWYxDTtwKFCdB8F19y', permissions: '*' }] } } });
});
afterAll(async () => { await c.stop(); });

describe('debug view files', () => {
  it('serves debug-utils.js without a token (the editor loads it with a script tag)', async () => {
    const res = await fetch(c.url + 'debug/view/debug-utils.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=UTF-8');
    expect(await res.text()).toBe(fs.readFileSync(path.join(dir, 'debug-utils.js'), 'utf8'));
  });

  it('serves view.html with the theme-css marker replaced', async () => {
    const res = await fetch(c.url + 'debug/view/view.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(fs.readFileSync(path.join(dir, 'view.html'), 'utf8').replace('<!-- INSERT-THEME-CSS -->', ''));
  });

  it('answers 404 for unknown files, traversal and an empty path', async () => {
    for (const p of ['debug/view/nope.js', 'debug/view/..%2fdebug.js', 'debug/view/.hidden', 'debug/view/']) {
      const res = await fetch(c.url + p);
      expect([p, res.status, await res.text()]).toEqual([p, 404, 'Not Found']);
    }
  });
});
