// getNodeEnv / resolveEnvReference / evaluateEnvProperty (the `env` typed value). Results match Node-RED
// 4.1.15's evaluateEnvProperty for the same names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateEnvProperty, getNodeEnv, resolveEnvReference } from '../../../src/runtime/util/env-lookup.js';

beforeAll(() => { process.env.CRIM_EL_A = 'hello'; delete process.env.CRIM_EL_NOPE; });
afterAll(() => { delete process.env.CRIM_EL_A; });

describe('evaluateEnvProperty', () => {
  it.each([
    ['CRIM_EL_A', 'hello'],
    ['${CRIM_EL_A}', 'hello'],
    ['x${CRIM_EL_A}y', 'xhelloy'],
    ['${CRIM_EL_NOPE}', ''],
    ['$(CRIM_EL_A)', ''],
    ['${CRIM_EL_A', ''],
    ['${ CRIM_EL_A }', ''],
    ['CRIM_EL_NOPE', ''],
  ])('%s without a node', (value, expected) => {
    expect(evaluateEnvProperty(value, null)).toBe(expected);
  });

  it('keeps the type of a whole reference and stringifies parts', () => {
    const node = { getEnv: (n: string) => ({ N: 5, O: { a: 1 } } as Record<string, unknown>)[n] };
    expect(evaluateEnvProperty('N', node)).toBe(5);
    expect(evaluateEnvProperty('${O}', node)).toStrictEqual({ a: 1 });
    expect(evaluateEnvProperty('n=${N} o=${O}', node)).toBe('n=5 o=[object Object]');
  });
});

describe('getNodeEnv', () => {
  const node = { id: 'n1', name: 'nm', _path: '/f1/n1', _flow: { getEnv: (n: string) => `flow:${n}` } };
  it('answers NR_NODE_* from the node itself', () => {
    expect(getNodeEnv(node, 'NR_NODE_ID')).toBe('n1');
    expect(getNodeEnv(node, 'NR_NODE_NAME')).toBe('nm');
    expect(getNodeEnv(node, 'NR_NODE_PATH')).toBe('/f1/n1');
  });
  it('then asks the node, else its flow, else process.env', () => {
    expect(getNodeEnv(node, 'X')).toBe('flow:X');
    expect(getNodeEnv({ ...node, getEnv: (n: string) => `node:${n}` }, 'X')).toBe('node:X');
    expect(getNodeEnv({ id: 'z' }, 'CRIM_EL_A')).toBe('hello');
    expect(getNodeEnv(undefined, 'CRIM_EL_A')).toBe('hello');
  });
});

describe('resolveEnvReference', () => {
  it('uses the lookup given', () => {
    const seen: string[] = [];
    const lookup = (n: string) => { seen.push(n); return n === 'A' ? 1 : undefined; };
    expect(resolveEnvReference('A', lookup)).toBe(1);
    expect(resolveEnvReference('${A}-${B}', lookup)).toBe('1-');
    expect(seen).toStrictEqual(['A', 'A', 'B']);
  });
});
