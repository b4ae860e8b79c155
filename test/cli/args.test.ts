import { describe, expect, it } from 'vitest';
import { CliError, parseCliArgs } from '../../src/cli/args.js';

describe('parseCliArgs', () => {
  it('gives the all-off defaults for an empty command line', () => {
    expect(parseCliArgs([])).toEqual({ help: false, version: false, verbose: false, safe: false, noTelemetry: false, define: [] });
  });

  const table: Array<[string[], Record<string, unknown>]> = [
    [['-p', '1881'], { port: 1881 }],
    [['--port', '0'], { port: 0 }],
    [['--port=65535'], { port: 65535 }],
    [['-p1999'], { port: 1999 }],
    [['-u', '/tmp/u'], { userDir: '/tmp/u' }],
    [['--userDir', 'dir'], { userDir: 'dir' }],
    [['--user', 'dir'], { userDir: 'dir' }], // unique prefix, as node-red accepts
    [['--userdir', 'dir'], { userDir: 'dir' }],
    [['-s', 'my.js'], { settingsFile: 'my.js' }],
    [['--settings=my.js'], { settingsFile: 'my.js' }],
    [['--safe'], { safe: true }],
    [['-v'], { verbose: true }],
    [['--verbose'], { verbose: true }],
    [['--version'], { version: true }],
    [['-h'], { help: true }],
    [['-?'], { help: true }],
    [['-t'], { help: true }],
    [['--help'], { help: true }],
    [['--title', 'my-red'], { title: 'my-red' }],
    [['--no-telemetry'], { noTelemetry: true }],
    [['flows2.json'], { flowFile: 'flows2.json' }],
    [['-vp', '1'], { verbose: true, port: 1 }],
    [['-p', '1', '-p', '2'], { port: 2 }],
    [['--', '-odd.json'], { flowFile: '-odd.json' }],
  ];
  it.each(table)('%j', (argv, expected) => {
    expect(parseCliArgs(argv)).toMatchObject(expected);
  });

  it('collects -D in order, JSON-parsing values when possible', () => {
    const args = parseCliArgs(['-D', 'uiPort=1890', '--define', 'a.b=text', '-D', 'x={"k":[1]}', '-D', '@extra.json']);
    expect(args.define).toEqual([
      { kind: 'set', path: 'uiPort', value: 1890, source: 'uiPort=1890' },
      { kind: 'set', path: 'a.b', value: 'text', source: 'a.b=text' },
      { kind: 'set', path: 'x', value: { k: [1] }, source: 'x={"k":[1]}' },
      { kind: 'file', file: 'extra.json', source: '@extra.json' },
    ]);
  });

  const bad: Array<[string[], RegExp]> = [
    [['--bogus'], /^Unknown option '--bogus'$/],
    [['-x'], /^Unknown option '-x'$/],
    [['-p', 'abc'], /^Invalid port 'abc'/],
    [['-p', '65536'], /^Invalid port '65536'/],
    [['-p', '18.5'], /^Invalid port '18.5'/],
    [['-p', '-1'], /^Option '-p' needs a value$/],
    [['-p'], /^Option '-p' needs a value$/],
    [['-u', '--safe'], /^Option '-u' needs a value$/],
    [['--safe=yes'], /^Option '--safe' does not take a value$/],
    [['--s', 'x'], /^Ambiguous option '--s'/],
    [['-D', 'novalue'], /^Invalid -D option 'novalue'/],
    [['-D', 'a='], /^Invalid -D option 'a='/],
    [['-D', '__proto__.polluted=1'], /'__proto__' is not allowed/],
    [['a.json', 'b.json'], /^Unexpected argument 'b.json'/],
    [['admin', 'list'], /no 'admin' command/],
  ];
  it.each(bad)('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
