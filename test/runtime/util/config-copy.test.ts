// The copy of its config a node is constructed with: the one-pass copy for JSON data must give exactly
// what a deep clone followed by env substitution gives, and leave the stored config untouched.
import { describe, expect, it } from 'vitest';
import { copyNodeConfig } from '../../../src/runtime/util/config-copy.js';
import { deepClone } from '../../../src/runtime/util/clone.js';
import { substituteEnvVars } from '../../../src/runtime/util/env.js';

const VARS: Record<string, unknown> = { A: 'va', B: 5, J: { o: 1 }, N: 'named' };
const lookup = (name: string) => VARS[name];
class Thing { v = '${A}'; }

/** The general path: what copyNodeConfig must always equal. */
function reference(config: Record<string, unknown>): Record<string, unknown> {
  const conf = deepClone(config);
  delete conf.credentials;
  return substituteEnvVars(conf, lookup);
}

const jsonConfigs: Array<[string, () => Record<string, unknown>]> = [
  ['plain change node', () => ({ id: 'c1', type: 'change', z: 't1', name: '', rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'x', tot: 'str' }], x: 10, y: 20, wires: [['n2']] })],
  ['env references at any depth', () => ({
    id: 'n1', name: 'nm', type: 't', a: '${A}', b: '$(B)', c: 'x${A}', d: '${NOPE}', e: ['${A}', { v: '${J}', w: ['$(A)'] }],
    f: { deep: { x: '${B}' } }, h: '${A B}', j: '${NR_NODE_ID}', k: '$(NR_NODE_NAME)', l: null, m: 5, n: true, o: '$A', p: ' ${A}',
  })],
  ['credentials left out', () => ({ id: 'n1', type: 't', credentials: { user: 'u', password: 'p' }, v: '${A}' })],
  ['name substituted before it is read', () => ({ id: 'n1', type: 't', before: '${NR_NODE_NAME}', name: '${N}', after: '${NR_NODE_NAME}' })],
  ['own __proto__ key', () => JSON.parse('{"id":"n1","type":"t","__proto__":{"polluted":"${A}"},"v":[{"__proto__":1}]}')],
  ['empty arrays and objects', () => ({ id: 'n1', type: 't', a: [], b: {}, c: [[[]]], d: [{}, [], ''] })],
];

describe('copyNodeConfig', () => {
  it.each(jsonConfigs)('%s: same as deepClone + substituteEnvVars, stored config untouched', (_name, make) => {
    const config = make();
    const before = deepClone(config);
    const copy = copyNodeConfig(config, lookup);
    expect(copy).toStrictEqual(reference(make()));
    expect(config).toStrictEqual(before);
    expect(copy).not.toBe(config);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it('shares no object with the stored config', () => {
    const config = { id: 'n1', type: 't', rules: [{ t: 'set', to: { deep: [1, { x: 2 }] } }], wires: [['a', 'b']] };
    const copy = copyNodeConfig(config, lookup) as typeof config;
    copy.rules[0]!.to.deep.push(3);
    (copy.rules[0]!.to.deep[1] as { x: number }).x = 9;
    copy.wires[0]!.push('c');
    expect(config).toStrictEqual({ id: 'n1', type: 't', rules: [{ t: 'set', to: { deep: [1, { x: 2 }] } }], wires: [['a', 'b']] });
  });

  it('a __proto__ key stays an own property and never becomes the prototype', () => {
    const copy = copyNodeConfig(JSON.parse('{"id":"n1","type":"t","__proto__":{"polluted":true}}'), lookup);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each<[string, () => Record<string, unknown>]>([
    ['a Buffer', () => ({ id: 'n1', type: 't', buf: Buffer.from('${A}'), v: '${A}' })],
    ['a Date', () => ({ id: 'n1', type: 't', when: new Date(0), v: '${A}' })],
    ['a null-prototype object', () => ({ id: 'n1', type: 't', inner: Object.assign(Object.create(null), { v: '${A}' }) })],
    ['a symbol key', () => ({ id: 'n1', type: 't', inner: { [Symbol.for('s')]: 'x', v: '${B}' } })],
    ['a class instance', () => ({ id: 'n1', type: 't', inner: new Thing() })],
    ['a shared object', () => { const shared = { v: '${A}' }; return { id: 'n1', type: 't', a: shared, b: [shared] }; }],
  ])('config holding %s: the general path, same result', (_name, make) => {
    const config = make();
    const copy = copyNodeConfig(config, lookup);
    expect(copy).toStrictEqual(reference(make()));
  });

  it('nesting deeper than the one-pass copy takes is copied by the general path', () => {
    let deep: unknown = '${A}';
    for (let i = 0; i < 300; i++) deep = [deep];
    const copy = copyNodeConfig({ id: 'n1', type: 't', deep }, lookup);
    let v: unknown = copy.deep;
    for (let i = 0; i < 300; i++) v = (v as unknown[])[0];
    expect(v).toBe('va');
  });
});
