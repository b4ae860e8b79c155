import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyDefines, parseDefine, parsePropertyPath, setProperty } from '../../src/settings/define.js';
import { SettingsError } from '../../src/settings/errors.js';

describe('parseDefine', () => {
  it.each([
    ['a=1', 1],
    ['a=true', true],
    ['a=null', null],
    ['a="quoted"', 'quoted'],
    ['a=[1,"x"]', [1, 'x']],
    ['a={"b":2}', { b: 2 }],
    ['a=hello world', 'hello world'],
    ['a=1.2.3', '1.2.3'],
    ['a=x=y', 'x=y'],
  ])('%s', (text, value) => {
    expect(parseDefine(text)).toMatchObject({ kind: 'set', path: 'a', value });
  });

  it('recognises @file', () => {
    expect(parseDefine('@/tmp/x.json')).toEqual({ kind: 'file', file: '/tmp/x.json', source: '@/tmp/x.json' });
  });

  it.each(['plain', '=1', 'a=', '@', 'a..b=1', 'a.=1', 'a[x]=1', 'constructor.prototype=1'])('rejects %s', (text) => {
    expect(() => parseDefine(text)).toThrow(SettingsError);
  });
});

describe('parsePropertyPath', () => {
  it('splits dots, numeric indexes and quoted keys', () => {
    expect(parsePropertyPath('a.b[0]["c.d"].e')).toEqual(['a', 'b', 0, 'c.d', 'e']);
    expect(parsePropertyPath("x['y']")).toEqual(['x', 'y']);
  });
});

describe('setProperty', () => {
  it('creates missing objects, and arrays before a numeric index', () => {
    const s: Record<string, unknown> = {};
    setProperty(s, 'logging.console.level', 'debug');
    setProperty(s, 'list[1].name', 'n');
    expect(s).toEqual({ logging: { console: { level: 'debug' } }, list: [undefined, { name: 'n' }] });
  });

  it('does not change the objects it was given (the settings file exports)', () => {
    const fileLogging = { console: { level: 'info', audit: false } };
    const target: Record<string, unknown> = { logging: fileLogging };
    setProperty(target, 'logging.console.level', 'trace');
    expect(fileLogging.console.level).toBe('info');
    expect(target.logging).toEqual({ console: { level: 'trace', audit: false } });
  });

  it('refuses to descend into a primitive', () => {
    expect(() => setProperty({ uiPort: 1880 }, 'uiPort.x', 1)).toThrow(/'uiPort' is a number/);
  });
});

describe('applyDefines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crimson-define-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies in order; @file keys are property paths too', () => {
    writeFileSync(join(dir, 'extra.json'), '\uFEFF{"httpNodeRoot":"fromfile","editorTheme.header.title":"T","uiPort":1}');
    const target: Record<string, unknown> = { uiPort: 5 };
    applyDefines(target, [parseDefine('uiPort=7'), parseDefine('@extra.json'), parseDefine('uiPort=9')], dir);
    expect(target).toEqual({ uiPort: 9, httpNodeRoot: 'fromfile', editorTheme: { header: { title: 'T' } } });
  });

  it('reports a missing or invalid @file with the option', () => {
    expect(() => applyDefines({}, [parseDefine('@missing.json')], dir)).toThrow("Error processing -D option '@missing.json': file not found");
    writeFileSync(join(dir, 'bad.json'), '{"a":');
    expect(() => applyDefines({}, [parseDefine('@bad.json')], dir)).toThrow(/^Error processing -D option '@bad.json': /);
    writeFileSync(join(dir, 'arr.json'), '[1]');
    expect(() => applyDefines({}, [parseDefine('@arr.json')], dir)).toThrow(/must hold a JSON object/);
  });

  it('rejects prototype keys inside an @file', () => {
    writeFileSync(join(dir, 'proto.json'), '{"__proto__":{"polluted":true}}');
    expect(() => applyDefines({}, [parseDefine('@proto.json')], dir)).toThrow(/not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
