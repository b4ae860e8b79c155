import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CreateRuntime, type MainEnvironment } from '../../src/cli/main.js';
import type { Settings } from '../../src/settings/types.js';

const root = mkdtempSync(join(tmpdir(), 'crimson-main-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const pkgVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Run {
  out: string[];
  err: string[];
  logs: string[];
  exits: number[];
  handlers: Map<string, (arg?: unknown) => void>;
  titles: string[];
  created: Array<{ settings: Settings; opts: Parameters<CreateRuntime>[1] }>;
  calls: string[];
  exited: Promise<number>;
}

function harness(runtime: { start?: () => Promise<void>; stop?: () => Promise<void> } = {}) {
  let onExit!: (code: number) => void;
  const run: Run = {
    out: [], err: [], logs: [], exits: [], handlers: new Map(), titles: [], created: [], calls: [],
    exited: new Promise<number>((r) => { onExit = r; }),
  };
  const io: Partial<MainEnvironment> = {
    env: { HOME: join(root, 'home') },
    cwd: root,
    out: (l) => run.out.push(l),
    err: (l) => run.err.push(l),
    exit: (code) => { run.exits.push(code); onExit(code); },
    on: (event, h) => { run.handlers.set(event, h); },
    setTitle: (t) => run.titles.push(t),
    logWrite: (l) => run.logs.push(l),
    createRuntime: (settings, opts) => {
      run.created.push({ settings, opts });
      return {
        start: async () => { run.calls.push('start'); await runtime.start?.(); },
        stop: async () => { run.calls.push('stop'); await runtime.stop?.(); },
      };
    },
  };
  return { run, io };
}

describe('main', () => {
  it('--help prints the usage and exits 0 without starting anything', async () => {
    const { run, io } = harness();
    await main(['--help'], io);
    expect(run.exits).toEqual([0]);
    expect(run.out.join('\n')).toContain(`Crimson v${pkgVersion}`);
    for (const flag of ['--port', '--userDir', '--settings', '--define', '--safe', '--verbose', '--version', '--title', '--no-telemetry', '--help']) {
      expect(run.out.join('\n')).toContain(flag);
    }
    expect(run.created).toEqual([]);
  });

  it('--version prints the Crimson and Node.js versions', async () => {
    const { run, io } = harness();
    await main(['--version'], io);
    expect(run.exits).toEqual([0]);
    expect(run.out.slice(0, 2)).toEqual([`Crimson v${pkgVersion}`, `Node.js ${process.version}`]);
  });

  it('a bad command line prints one clear error and exits 1', async () => {
    const { run, io } = harness();
    await main(['--bogus'], io);
    expect(run.exits).toEqual([1]);
    expect(run.err).toEqual(["Unknown option '--bogus'", "Run 'crimson --help' to see the options."]);
  });

  it('a broken settings file: one line naming it, the stack only with -v', async () => {
    const dir = join(root, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.js'), 'module.exports = {\n  uiPort 1880\n}');
    const quiet = harness();
    await main(['-u', dir], quiet.io);
    expect(quiet.run.exits).toEqual([1]);
    expect(quiet.run.err).toHaveLength(1);
    expect(quiet.run.err[0]).toMatch(new RegExp(`^Error loading settings file ${join(dir, 'settings.js')} \\(line 2\\): SyntaxError`));
    const loud = harness();
    await main(['-u', dir, '-v'], loud.io);
    expect(loud.run.err.length).toBeGreaterThan(1);
    expect(loud.run.err[1]).toContain('SyntaxError');
  });

  it('an invalid setting stops start-up', async () => {
    const { run, io } = harness();
    await main(['-u', join(root, 'inv'), '-D', 'adminAuth="yes"'], io);
    expect(run.err).toEqual(["Invalid setting 'adminAuth': expected an object, got string"]);
    expect(run.exits).toEqual([1]);
  });

  it('starts the runtime with resolved settings, creates the userDir, and stops on a signal', async () => {
    const userDir = join(root, 'ud-start');
    const { run, io } = harness();
    await main(['-u', userDir, '-p', '0', '--safe', '--title', 'my-crimson', '-D', 'logging.console.level=warn'], io);
    expect(run.exits).toEqual([]);
    expect(existsSync(userDir)).toBe(true);
    expect(run.titles).toEqual(['my-crimson']);
    expect(run.calls).toEqual(['start']);
    const [{ settings, opts }] = run.created;
    expect(settings).toMatchObject({ uiPort: 0, httpAdminRoot: '/', httpNodeRoot: '/', flowFile: 'flows.json', userDir, safeMode: true });
    expect(opts).toMatchObject({ userDir, safeMode: true, settingsFile: undefined, version: pkgVersion });
    opts.logger.info('hidden');
    opts.logger.warn('shown');
    expect(run.logs.map((l) => l.replace(/^.* - /, ''))).toEqual(['[warn] shown']);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(run.handlers.has(s)).toBe(true);
    run.handlers.get('SIGTERM')!();
    expect(await run.exited).toBe(0);
    expect(run.calls).toEqual(['start', 'stop']);
  });

  it('uses the userDir settings file and the default title', async () => {
    const userDir = join(root, 'ud-file');
    mkdirSync(userDir, { recursive: true });
    writeFileSync(join(userDir, 'settings.js'), "module.exports = { uiPort: 1999, httpRoot: 'red' };");
    const { run, io } = harness();
    await main(['-u', userDir], io);
    expect(run.titles).toEqual(['crimson']);
    expect(run.created[0]!.settings).toMatchObject({ uiPort: 1999, httpAdminRoot: '/red/', httpNodeRoot: '/red/' });
    expect(run.created[0]!.opts.settingsFile).toBe(join(userDir, 'settings.js'));
  });

  it('a runtime that cannot listen logs why, stops and exits 1', async () => {
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const { run, io } = harness({ start: () => Promise.reject(busy) });
    await main(['-u', join(root, 'ud-busy'), '-p', '1880'], io);
    expect(run.exits).toEqual([1]);
    expect(run.calls).toEqual(['start', 'stop']);
    expect(run.logs.join('\n')).toContain('[error] Unable to listen on port 1880: it is already in use');
  });
});
