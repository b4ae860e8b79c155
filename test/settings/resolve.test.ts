import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { SettingsError } from '../../src/settings/errors.js';
import { formatRoot, initialUserDir, resolveFlowFilePath, resolveSettings } from '../../src/settings/resolve.js';
import type { Settings } from '../../src/settings/types.js';

const cwd = mkdtempSync(join(tmpdir(), 'crimson-resolve-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const HOME = join(cwd, 'home');

function resolve(argv: string[], settings: Settings = {}, env: NodeJS.ProcessEnv = {}, file?: string) {
  return resolveSettings({ args: parseCliArgs(argv), loaded: { settings, file }, env: { HOME, ...env }, cwd });
}

describe('resolveSettings: port', () => {
  it('file, then -D, then -p', () => {
    expect(resolve([], { uiPort: 1000 }).settings.uiPort).toBe(1000);
    expect(resolve(['-D', 'uiPort=2000'], { uiPort: 1000 }).settings.uiPort).toBe(2000);
    expect(resolve(['-D', 'uiPort=2000', '-p', '3000'], { uiPort: 1000 }).settings.uiPort).toBe(3000);
    expect(resolve(['-p', '0'], { uiPort: 1000 }).settings.uiPort).toBe(0);
  });
  it('PORT only when the settings leave uiPort unset; else 1880', () => {
    expect(resolve([], {}, { PORT: '4000' }).settings.uiPort).toBe(4000);
    expect(resolve([], { uiPort: 1000 }, { PORT: '4000' }).settings.uiPort).toBe(1000);
    expect(resolve(['-p', '5'], {}, { PORT: '4000' }).settings.uiPort).toBe(5);
    expect(resolve([]).settings.uiPort).toBe(1880);
  });
  it("turns the default file's `process.env.PORT || 1880` string into a number", () => {
    expect(resolve([], { uiPort: '4001' as unknown as number }).settings.uiPort).toBe(4001);
  });
  it('rejects a bad PORT and a bad -D value', () => {
    expect(() => resolve([], {}, { PORT: 'http' })).toThrow("Invalid PORT environment variable 'http': expected a port number 0-65535");
    expect(() => resolve(['-D', 'uiPort=abc'])).toThrow(SettingsError);
    expect(() => resolve(['-D', 'uiPort=abc'])).toThrow("Invalid setting 'uiPort': expected a number, got string");
  });
});

describe('resolveSettings: roots', () => {
  it.each<[Settings, unknown, unknown, boolean]>([
    [{}, '/', '/', false],
    [{ httpRoot: '/red' }, '/red/', '/red/', false],
    [{ httpRoot: 'red', httpAdminRoot: 'admin' }, '/admin/', '/red/', false],
    [{ httpAdminRoot: '/admin', httpNodeRoot: 'api/' }, '/admin/', '/api/', false],
    [{ httpAdminRoot: '', httpNodeRoot: '' }, '/', '/', false],
    [{ httpAdminRoot: false }, false, '/', true],
    [{ httpRoot: false, httpAdminRoot: '/a' }, false, false, true],
    [{ httpNodeRoot: false }, '/', false, false],
  ])('%j', (settings, admin, node, disableEditor) => {
    const { settings: s } = resolve([], settings);
    expect([s.httpAdminRoot, s.httpNodeRoot, s.disableEditor]).toEqual([admin, node, disableEditor]);
  });
  it('keeps disableEditor from the file', () => {
    expect(resolve([], { disableEditor: true }).settings.disableEditor).toBe(true);
  });
  it('formatRoot adds the slashes', () => {
    expect([formatRoot('x'), formatRoot('/x/'), formatRoot('/')]).toEqual(['/x/', '/x/', '/']);
  });
});

describe('resolveSettings: userDir and flows file', () => {
  it('-u, else settings.userDir, else ~/.crimson; relative to cwd, ~ expanded', () => {
    expect(resolve(['-u', 'ud']).userDir).toBe(join(cwd, 'ud'));
    expect(resolve(['-u', '~/ud']).userDir).toBe(join(HOME, 'ud'));
    expect(resolve([], { userDir: 'from-file' }).userDir).toBe(join(cwd, 'from-file'));
    expect(resolve(['-u', '/abs'], { userDir: 'from-file' }).userDir).toBe('/abs');
    const r = resolve([]);
    expect(r.userDir).toBe(join(HOME, '.crimson'));
    expect(r.settings.userDir).toBe(r.userDir);
    expect(initialUserDir({}, { USERPROFILE: '/win' })).toBe(join('/win', '.crimson'));
  });
  it('positional flows file: cwd when present there or ./, else userDir, absolute as is', () => {
    writeFileSync(join(cwd, 'here.json'), '[]');
    expect(resolve(['-u', '/ud', 'here.json']).settings.flowFile).toBe(join(cwd, 'here.json'));
    expect(resolve(['-u', '/ud', 'there.json']).settings.flowFile).toBe('/ud/there.json');
    expect(resolve(['-u', '/ud', './new.json']).settings.flowFile).toBe(join(cwd, 'new.json'));
    expect(resolve(['-u', '/ud', '/x/f.json'], { flowFile: 'ignored.json' }).settings.flowFile).toBe('/x/f.json');
    expect(resolve(['-u', '/ud'], { flowFile: 'mine.json' }).settings.flowFile).toBe('mine.json');
    expect(resolveFlowFilePath('a/b.json', '/ud', cwd)).toBe('/ud/a/b.json');
  });
});

describe('resolveSettings: switches', () => {
  it('--safe, NODE_RED_ENABLE_SAFE_MODE (anything but "false") or safeMode in the file', () => {
    expect(resolve([]).safeMode).toBe(false);
    expect(resolve(['--safe'])).toMatchObject({ safeMode: true, settings: { safeMode: true } });
    expect(resolve([], {}, { NODE_RED_ENABLE_SAFE_MODE: '1' }).safeMode).toBe(true);
    expect(resolve([], {}, { NODE_RED_ENABLE_SAFE_MODE: 'FALSE' }).safeMode).toBe(false);
    expect(resolve([], { safeMode: true }).safeMode).toBe(true);
  });
  it('-v sets verbose; the file is recorded', () => {
    expect(resolve(['-v']).settings.verbose).toBe(true);
    expect(resolve([], {}, {}, '/ud/settings.js')).toMatchObject({ settingsFile: '/ud/settings.js', settings: { settingsFile: '/ud/settings.js' } });
  });
  it('telemetry, projects and tours switches keep the rest of their objects', () => {
    const s = resolve(['--no-telemetry'], { telemetry: { url: 'x' } }).settings;
    expect(s.telemetry).toEqual({ url: 'x', enabled: false });
    expect(resolve([], {}, { NODE_RED_DISABLE_TELEMETRY: '1' }).settings.telemetry).toEqual({ enabled: false });
    const theme = resolve([], { editorTheme: { projects: { workflow: { mode: 'auto' } }, page: { title: 'T' } } }, {
      NODE_RED_ENABLE_PROJECTS: 'true',
      NODE_RED_ENABLE_TOURS: 'false',
    }).settings.editorTheme;
    expect(theme).toEqual({ projects: { workflow: { mode: 'auto' }, enabled: true }, page: { title: 'T' }, tours: false });
  });
  it('leaves the loaded settings object untouched', () => {
    const loaded: Settings = { uiPort: 1, logging: { console: { level: 'info' } }, editorTheme: {} };
    const copy = structuredClone(loaded);
    resolve(['-D', 'logging.console.level=debug', '-p', '2', '--no-telemetry'], loaded, { NODE_RED_ENABLE_TOURS: '1' });
    expect(loaded).toEqual(copy);
  });
  it('keeps unknown keys', () => {
    expect(resolve(['-D', 'custom.deep=1'], { mine: 'x' }).settings).toMatchObject({ mine: 'x', custom: { deep: 1 } });
  });
});
