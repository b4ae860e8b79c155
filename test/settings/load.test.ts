import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/settings/defaults.js';
import { SettingsError } from '../../src/settings/errors.js';
import { findSettingsFile, loadSettings } from '../../src/settings/load.js';
import { validateSettings } from '../../src/settings/validate.js';

const root = mkdtempSync(join(tmpdir(), 'crimson-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh userDir holding the given files (name -> content). */
function userDir(files: Record<string, string>): string {
  const dir = join(root, `u${++n}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const NODE_RED_STYLE = `
// A settings.js the way Node-RED writes them: CommonJS, require() of builtins, functions inside.
const path = require('path');
const os = require('os');
module.exports = {
    flowFile: 'flows.json',
    flowFilePretty: true,
    uiPort: process.env.PORT || 1880,
    userDirGuess: path.join(os.tmpdir(), 'x'),
    logging: { console: { level: "info", metrics: false, audit: false } },
    httpNodeMiddleware: function(req, res, next) { next(); },
    functionGlobalContext: { os: require('os') },
    editorTheme: { projects: { enabled: false } },
}
`;

describe('loadSettings', () => {
  it('loads a Node-RED style CommonJS settings.js unchanged', async () => {
    const dir = userDir({ 'settings.js': NODE_RED_STYLE });
    const { settings, file } = await loadSettings({ userDir: dir });
    expect(file).toBe(join(dir, 'settings.js'));
    expect(settings.flowFile).toBe('flows.json');
    expect(settings.userDirGuess).toBe(join(tmpdir(), 'x'));
    expect(typeof settings.httpNodeMiddleware).toBe('function');
    expect((settings.functionGlobalContext as { os: { platform(): string } }).os.platform()).toBe(process.platform);
    expect(() => validateSettings(settings)).not.toThrow();
  });

  it("loads Node-RED's own default settings.js", async () => {
    const dir = userDir({});
    copyFileSync(createRequire(import.meta.url).resolve('node-red/settings.js'), join(dir, 'settings.js'));
    const { settings } = await loadSettings({ userDir: dir });
    expect(settings).toMatchObject({ flowFile: 'flows.json', diagnostics: { enabled: true, ui: true } });
    expect(() => validateSettings(settings)).not.toThrow();
  });

  it('loads CommonJS even inside a "type": "module" package', async () => {
    const dir = userDir({ 'package.json': '{"type":"module"}', 'settings.js': 'module.exports = { uiPort: 1901, dir: __dirname };' });
    expect((await loadSettings({ userDir: dir })).settings).toEqual({ uiPort: 1901, dir });
  });

  it('falls back to import() for an ESM settings.js (also with top-level await)', async () => {
    const dir = userDir({
      'package.json': '{"type":"module"}',
      'settings.js': "import os from 'node:os';\nawait Promise.resolve();\nexport default { uiPort: 1902, eol: os.EOL };",
    });
    expect((await loadSettings({ userDir: dir })).settings).toEqual({ uiPort: 1902, eol: '\n' });
  });

  it('loads settings.cjs, settings.mjs (default export), settings.json (with BOM) and settings.ts', async () => {
    const cjs = userDir({ 'settings.cjs': 'exports.uiPort = 1903;' });
    expect((await loadSettings({ userDir: cjs })).settings).toEqual({ uiPort: 1903 });
    const mjs = userDir({ 'settings.mjs': 'export const unused = 1;\nexport default { uiPort: 1904 };' });
    expect((await loadSettings({ userDir: mjs })).settings).toEqual({ uiPort: 1904 });
    const json = userDir({ 'settings.json': '\uFEFF{"uiPort": 1905}' });
    expect((await loadSettings({ userDir: json })).settings).toEqual({ uiPort: 1905 });
    const ts = userDir({
      'settings.ts': "import type { Settings } from 'crimson';\nimport { join, relative } from 'node:path';\n" +
        "const port: number = 1906;\nconst s: Settings = { uiPort: port, p: join('a', 'b') };\nexport default s;\n",
    });
    expect((await loadSettings({ userDir: ts })).settings).toEqual({ uiPort: 1906, p: join('a', 'b') });
  });

  it('prefers settings.js, then .cjs, .mjs, .json, .ts', () => {
    const dir = userDir({ 'settings.ts': '', 'settings.json': '{}', 'settings.mjs': '' });
    expect(findSettingsFile(dir)).toBe(join(dir, 'settings.mjs'));
    writeFileSync(join(dir, 'settings.js'), '');
    expect(findSettingsFile(dir)).toBe(join(dir, 'settings.js'));
  });

  it('uses the defaults when there is no file (or no userDir yet)', async () => {
    expect(await loadSettings({ userDir: userDir({}) })).toEqual({ settings: defaultSettings() });
    expect(await loadSettings({ userDir: join(root, 'does-not-exist') })).toEqual({ settings: defaultSettings() });
  });

  it('uses -s FILE whatever its name, relative to the working directory', async () => {
    const dir = userDir({ 'my-settings.conf.js': 'module.exports = { uiPort: 1907 }', 'settings.js': 'module.exports = { uiPort: 1 }' });
    const r = await loadSettings({ settingsFile: join(dir, 'my-settings.conf.js'), userDir: dir });
    expect(r).toEqual({ settings: { uiPort: 1907 }, file: join(dir, 'my-settings.conf.js') });
    const rel = relative(process.cwd(), join(dir, 'my-settings.conf.js'));
    expect((await loadSettings({ settingsFile: rel, userDir: root })).file).toBe(r.file);
  });

  it('reads the file again on each load', async () => {
    const dir = userDir({ 'settings.js': 'module.exports = { uiPort: 1 }', 'settings.mjs': '' });
    expect((await loadSettings({ userDir: dir })).settings.uiPort).toBe(1);
    writeFileSync(join(dir, 'settings.js'), 'module.exports = { uiPort: 2 }');
    expect((await loadSettings({ userDir: dir })).settings.uiPort).toBe(2);
    const m = join(dir, 'settings.mjs');
    writeFileSync(m, 'export default { uiPort: 3 }');
    expect((await loadSettings({ settingsFile: m, userDir: dir })).settings.uiPort).toBe(3);
    writeFileSync(m, 'export default { uiPort: 4 }');
    expect((await loadSettings({ settingsFile: m, userDir: dir })).settings.uiPort).toBe(4);
  });

  describe('errors name the file', () => {
    const fails = async (files: Record<string, string>, message: RegExp) => {
      const dir = userDir(files);
      const err = await loadSettings({ userDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SettingsError);
      expect((err as SettingsError).message).toMatch(message);
      expect((err as SettingsError).message).toContain(dir);
      expect((err as SettingsError).message).not.toMatch(/\n\s+at /);
    };
    it('syntax error, with its line', () =>
      fails({ 'settings.js': 'module.exports = {\n  uiPort: 1880\n  oops oops\n}\n' }, /^Error loading settings file .*settings\.js \(line 3\): SyntaxError: /));
    it('a throwing file, with its line', () =>
      fails({ 'settings.js': '// x\nthrow new Error("no database");\n' }, /settings\.js \(line 2\): Error: no database$/));
    it('a throwing .mjs', () => fails({ 'settings.mjs': 'throw new TypeError("bad");' }, /settings\.mjs.*TypeError: bad$/));
    it('require of a missing module', () =>
      fails({ 'settings.js': 'require("crimson-no-such-module")' }, /Cannot find module 'crimson-no-such-module'/));
    it('bad JSON', () => fails({ 'settings.json': '{"uiPort": ' }, /settings\.json: SyntaxError/));
    it('an export that is not an object', () => fails({ 'settings.js': 'module.exports = 42' }, /must export an object, got number/));
    it('a missing -s file', async () => {
      await expect(loadSettings({ settingsFile: join(root, 'nope.js'), userDir: root })).rejects.toThrow(`Settings file not found: ${join(root, 'nope.js')}`);
    });
  });
});
