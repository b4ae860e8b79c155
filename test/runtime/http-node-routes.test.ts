import { describe, it, expect } from 'vitest';
import { RouteTable } from '../../src/runtime/http-node-routes.js';

const noop = () => undefined;

describe('RouteTable', () => {
  it('keeps static paths in a map and compiles the others with Express 4 semantics', () => {
    const t = new RouteTable();
    const s = t.add('get', '/a/b/', [noop]);
    const d = t.add('get', '/x/:id/:opt?', [noop]);
    const star = t.add('get', '/files/*', [noop]);
    const plus = t.add('get', '/ab+c', [noop]);
    expect(s.staticKey).toBe('/a/b');
    expect(d.staticKey).toBeUndefined();
    expect(t.size).toBe(4);
    expect(t.match('GET', '/A/b')?.route).toBe(s);
    expect(t.match('GET', '/a/b/')?.route).toBe(s);
    expect(t.match('GET', '/x/1')).toEqual({ route: d, params: { id: '1', opt: undefined } });
    expect(t.match('GET', '/x/1/2/')?.params).toEqual({ id: '1', opt: '2' });
    expect(t.match('GET', '/x')).toBeUndefined();
    expect(t.match('GET', '/files/a/b.txt')?.params).toEqual({ 0: 'a/b.txt' });
    expect(t.match('GET', '/abbbc')?.route).toBe(plus);
    expect(t.match('POST', '/a/b')).toBeUndefined();
    expect(t.remove(star)).toBe(true);
    expect(t.remove(star)).toBe(false);
    expect(t.match('GET', '/files/a')).toBeUndefined();
  });

  it('prefers the route registered first, including between /x and /x/ variants and for HEAD', () => {
    const t = new RouteTable();
    const slashed = t.add('get', '/x//', [noop]);
    const plain = t.add('get', '/x', [noop]);
    expect(t.match('GET', '/x/')?.route).toBe(slashed);
    expect(t.match('GET', '/x')?.route).toBe(plain);
    const head = t.add('head', '/x', [noop]);
    expect(t.match('HEAD', '/x')?.route).toBe(plain);
    t.remove(plain);
    expect(t.match('HEAD', '/x')?.route).toBe(head);
  });

  it('lists allowed methods in registration order and throws 400 for bad escapes', () => {
    const t = new RouteTable();
    t.add('post', '/o', [noop]);
    t.add('get', '/o', [noop]);
    t.add('put', '/:any', [noop]);
    expect(t.allowedMethods('/o')).toEqual(['POST', 'GET', 'HEAD', 'PUT']);
    expect(t.allowedMethods('/a/b')).toEqual([]);
    expect(() => t.match('PUT', '/%E0%A4%A')).toThrow(expect.objectContaining({ status: 400, message: "Failed to decode param '%E0%A4%A'" }));
  });

  it('never lets a param named __proto__ change the params prototype', () => {
    const t = new RouteTable();
    t.add('get', '/p/:__proto__', [noop]);
    const params = t.match('GET', '/p/evil')!.params;
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('evil');
  });
});
