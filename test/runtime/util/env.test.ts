// Env substitution in node configs and env entry evaluation. Expected values were produced by Node-RED
// 4.1.15's own mapEnvVarProperties / evaluateEnvProperties for the same inputs and are literal here.
import { describe, expect, it } from 'vitest';
import { evaluateEnvEntries, evaluateEnvEntry, substituteEnvVars, type EnvEntry } from '../../../src/runtime/util/env.js';
import { jsonParseMessage } from '../../helpers/json-error.js';

const VARS: Record<string, unknown> = { A: 'va', B: 5, J: { o: 1 }, 'A}B': 'weird', E: '' };
const lookupVars = (name: string) => VARS[name];

describe('substituteEnvVars', () => {
  it('replaces whole-string ${NAME} / $(NAME) values at any depth and nothing else', () => {
    const config = {
      id: 'n1', name: 'nm', type: 't', a: '${A}', b: '$(B)', c: 'x${A}', d: '${NOPE}',
      e: ['${A}', { v: '${J}', w: ['$(A)'] }], f: { deep: { x: '${B}' } }, buf: Buffer.from('${A}'),
      h: '${A}B}', i: '${A B}', j: '${NR_NODE_ID}', k: '$(NR_NODE_NAME)', l: null, m: 5, n: '${E}', o: '$A', p: ' ${A}',
      props: [{ p: 'payload', v: '${A}', vt: 'str' }],
    };
    const out = substituteEnvVars(config, lookupVars);
    expect(out).toBe(config);
    expect(config).toStrictEqual({
      id: 'n1', name: 'nm', type: 't', a: 'va', b: 5, c: 'x${A}', d: '${NOPE}',
      e: ['va', { v: { o: 1 }, w: ['va'] }], f: { deep: { x: 5 } }, buf: Buffer.from('${A}'),
      h: 'weird', i: '${A B}', j: 'n1', k: 'nm', l: null, m: 5, n: '', o: '$A', p: ' ${A}',
      props: [{ p: 'payload', v: 'va', vt: 'str' }],
    });
  });

  it('asks the lookup for everything except NR_NODE_ID / NR_NODE_NAME', () => {
    const asked: string[] = [];
    substituteEnvVars({ id: 'x', a: '${NR_NODE_PATH}', b: '${NR_FLOW_ID}', c: '${NR_NODE_ID}' }, (n) => { asked.push(n); return undefined; });
    expect(asked).toStrictEqual(['NR_NODE_PATH', 'NR_FLOW_ID']);
  });

  it('walks null-prototype objects without failing', () => {
    const inner = Object.assign(Object.create(null), { v: '${A}' });
    const config = { id: 'n', inner };
    substituteEnvVars(config, lookupVars);
    expect(inner.v).toBe('va');
  });
});

describe('evaluateEnvEntry', () => {
  it.each([
    [{ name: 'X', value: 'abc', type: 'str' }, 'abc'],
    [{ name: 'X', value: '5', type: 'num' }, 5],
    [{ name: 'X', value: 'true', type: 'bool' }, true],
    [{ name: 'X', value: true, type: 'bool' }, true],
    [{ name: 'X', value: 'TRUE', type: 'bool' }, false],
    [{ name: 'X', value: '{"a":1}', type: 'json' }, { a: 1 }],
    [{ name: 'X', value: '[1]', type: 'bin' }, Buffer.from([1])],
    [{ name: 'X', value: 'x', type: 'msg' }, 'x'],
    [{ name: 'X', value: 'x', type: undefined }, 'x'],
    [{ name: 'X', value: 'x', type: 'foo' }, 'x'],
    [{ name: 'X', value: 'A', type: 'env' }, 'va'],
    [{ name: 'X', value: '${B}', type: 'env' }, 5],
    [{ name: 'X', value: 'a-${A}-${NOPE}', type: 'env' }, 'a-va-'],
    [{ name: 'X', value: 'NOPE', type: 'env' }, ''],
    [{ name: 'X', value: '${A}', type: 'conf-type' }, 'va'],
    [{ name: 'X', value: 'plain', type: 'conf-type' }, 'plain'],
  ] as Array<[EnvEntry, unknown]>)('%j', (entry, expected) => {
    expect(evaluateEnvEntry(entry, lookupVars)).toStrictEqual(expected);
  });

  it('re gives a RegExp', () => {
    expect(evaluateEnvEntry({ name: 'R', value: 'a.c', type: 're' }, lookupVars)).toStrictEqual(/a.c/);
  });

  it('cred reads the credentials, falling back to the value', () => {
    expect(evaluateEnvEntry({ name: 'C', value: 'fb', type: 'cred' }, lookupVars, { C: 'secret' })).toBe('secret');
    expect(evaluateEnvEntry({ name: 'D', value: 'fb', type: 'cred' }, lookupVars, { C: 'secret' })).toBe('fb');
    expect(evaluateEnvEntry({ name: 'D', value: 'fb', type: 'cred' }, lookupVars)).toBe('fb');
  });

  it('date is evaluated when called', () => {
    expect(typeof evaluateEnvEntry({ name: 'T', value: '', type: 'date' }, lookupVars)).toBe('number');
  });

  it('throws for invalid json and for jsonata (which needs evaluateEnvEntries)', () => {
    expect(() => evaluateEnvEntry({ name: 'J', value: '{', type: 'json' }, lookupVars)).toThrow(SyntaxError);
    expect(() => evaluateEnvEntry({ name: 'Q', value: '1', type: 'jsonata' }, lookupVars)).toThrow(/evaluateEnvEntries/);
    expect(() => evaluateEnvEntry({ name: 'Q', value: 'k', type: 'flow' }, lookupVars)).toThrow(/cannot read flow context/);
  });
});

describe('evaluateEnvEntries', () => {
  const parent: Record<string, unknown> = { P: 'parentP', SELF: 'parentSelf' };
  const entries: EnvEntry[] = [
    { name: 'S', value: 'abc', type: 'str' }, { name: 'NUM', value: '12', type: 'num' },
    { name: 'B1', value: 'true', type: 'bool' }, { name: 'B2', value: 'TRUE', type: 'bool' },
    { name: 'J', value: '{"a":[1]}', type: 'json' }, { name: 'BADJ', value: '{', type: 'json' },
    { name: 'BIN', value: '[1,2]', type: 'bin' }, { name: 'C', value: 'fallback', type: 'cred' }, { name: 'C2', value: 'fb2', type: 'cred' },
    { name: 'E1', value: 'S', type: 'env' }, { name: 'E2', value: '${NUM}', type: 'env' }, { name: 'E3', value: 'x-${S}-${P}', type: 'env' },
    { name: 'SELF', value: 'SELF', type: 'env' }, { name: 'E4', value: 'P', type: 'env' }, { name: 'E5', value: 'E1', type: 'env' },
    { name: 'E6', value: 'LATER', type: 'env' }, { name: 'LATER', value: 'S', type: 'env' },
    { name: 'JS1', value: '1 + 2', type: 'jsonata' }, { name: 'JS2', value: '{"x": $env("P")}', type: 'jsonata' },
    { name: 'JS3', value: '$flowContext("fk") & $globalContext("gk")', type: 'jsonata' }, { name: 'JS4', value: '$error("no")', type: 'jsonata' },
    { name: 'JS5', value: '$env("S")', type: 'jsonata' }, { name: 'CT', value: '${P}', type: 'conf-type' }, { name: 'CT2', value: 'plain', type: 'conf-type' },
    { name: 'U', value: 'u', type: undefined }, { name: 'S', value: 'dup', type: 'str' },
  ];
  const ctxData: Record<string, Record<string, unknown>> = { flow: { fk: 'fv' }, global: { gk: 'gv' } };
  const ctx = (kind: string) => ({ get: (key: string, _store?: string, cb?: Function) => { const v = ctxData[kind]![key]; if (cb) cb(null, v); return v; } });

  it('evaluates like Node-RED: env references last, seeing earlier results; self references read the parent', async () => {
    const errors: string[] = [];
    const values = await evaluateEnvEntries(entries, {
      lookup: (n) => parent[n],
      credentials: { C: 'secret' },
      context: () => ({ flow: ctx('flow'), global: ctx('global') }),
      onError: (m) => errors.push(m),
    });
    expect(Object.fromEntries(values)).toStrictEqual({
      S: 'dup', NUM: 12, B1: true, B2: false, J: { a: [1] }, BADJ: undefined, BIN: Buffer.from([1, 2]), C: 'secret', C2: 'fb2',
      E1: 'dup', E2: 12, E3: 'x-dup-parentP', SELF: 'parentSelf', E4: 'parentP', E5: 'dup',
      E6: 'S', // refers to LATER before it is resolved: sees its raw text, as in Node-RED
      LATER: 'dup', JS1: 3, JS2: { x: 'parentP' }, JS3: 'fvgv', JS4: undefined,
      JS5: '', // $env in a jsonata entry reads the enclosing scope, not sibling entries
      CT: 'parentP', CT2: 'plain', U: 'u',
    });
    expect([...values.keys()]).toStrictEqual([
      'S', 'NUM', 'B1', 'B2', 'J', 'BADJ', 'BIN', 'C', 'C2', 'E1', 'E2', 'E3', 'SELF', 'E4', 'E5', 'E6', 'LATER',
      'JS1', 'JS2', 'JS3', 'JS4', 'JS5', 'CT', 'CT2', 'U',
    ]);
    expect(errors).toStrictEqual([
      `Error evaluating env property 'BADJ': SyntaxError: ${jsonParseMessage('{')}`,
      "Error evaluating env property 'JS4': [object Object]",
    ]);
  });

  it('a self reference missing in the parent gives ""', async () => {
    const values = await evaluateEnvEntries([{ name: 'X', value: 'X', type: 'env' }], { lookup: () => undefined });
    expect(values.get('X')).toBe('');
  });

  it('skips malformed entries and works without context or error handler', async () => {
    const values = await evaluateEnvEntries([null as any, { value: 1 } as any, { name: 'Q', value: '$flowContext("a")', type: 'jsonata' }],
      { lookup: () => undefined });
    expect([...values.keys()]).toStrictEqual(['Q']);
    expect(values.get('Q')).toBeUndefined();
  });
});
