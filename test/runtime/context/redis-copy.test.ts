// The redis store's local copy: values from Redis wait as JSON until first used, are parsed once, keep the
// order keys were first set in, and a bad value is a warning when read, never a throw.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisCopy, topField } from '../../../src/runtime/context/redis-copy.js';
import { createLogger } from '../../../src/runtime/logger.js';

const logged: string[] = [];
const logger = createLogger({ logging: { console: { level: 'warn' } }, write: (l) => logged.push(l) });
afterEach(() => { logged.length = 0; vi.restoreAllMocks(); });

describe('redis context copy', () => {
  it('parses a received value when it is first read, once, and the latest one only', () => {
    const copy = createRedisCopy(logger);
    const parse = vi.spyOn(JSON, 'parse');
    copy.receive('global', 'list', '[1,2]');
    copy.receive('global', 'list', '[1,2,3]');
    copy.receive('global', 'n', '7');
    expect(parse).not.toHaveBeenCalled();
    expect(copy.get('global', 'list[2]')).toBe(3);
    expect(parse.mock.calls.map(([t]) => t)).toEqual(['[1,2,3]']);
    expect(copy.get('global', 'list')).toEqual([1, 2, 3]);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(copy.get('global', ['n', 'list.length'])).toEqual([7, 3]);
  });

  it('keeps keys in the order they were first set, received or set here', () => {
    const copy = createRedisCopy(logger);
    copy.set('f1', 'a', 1);
    copy.receive('f1', 'b', '"two"');
    copy.set('f1', 'c', 3);
    copy.receive('f1', 'a', '10');
    expect(copy.keys('f1')).toEqual(['a', 'b', 'c']);
    expect(copy.get('f1', ['a', 'b', 'c'])).toEqual([10, 'two', 3]);
  });

  it('sets a nested path on the latest received value', () => {
    const copy = createRedisCopy(logger);
    copy.set('f1', 'o', { x: 1 });
    copy.receive('f1', 'o', '{"x":2,"y":[0]}');
    copy.set('f1', 'o.y[1]', 5);
    expect(copy.get('f1', 'o')).toEqual({ x: 2, y: [0, 5] });
    expect(copy.field('f1', 'o')).toEqual({ x: 2, y: [0, 5] });
  });

  it('deletes a field received as null or put as undefined, and whole scopes', () => {
    const copy = createRedisCopy(logger);
    copy.receive('f1', 'a', '1');
    copy.set('f1', 'b', 2);
    copy.receive('f1', 'a', null);
    copy.putField('f1', 'b', undefined);
    expect(copy.keys('f1')).toEqual([]);
    copy.receive('n1:f1', 'k', '1');
    copy.putField('n2:f1', 'k', 2);
    expect(copy.scopes().sort()).toEqual(['f1', 'n1:f1', 'n2:f1']);
    copy.removeScope('n1:f1');
    expect(copy.get('n1:f1', 'k')).toBeUndefined();
    expect(copy.scopes().sort()).toEqual(['f1', 'n2:f1']);
  });

  it('warns of a value that is not JSON when it is read, and leaves the field out', () => {
    const copy = createRedisCopy(logger);
    copy.receive('global', 'bad', '{not json');
    copy.receive('global', 'good', 'true');
    expect(logged).toEqual([]);
    expect(copy.get('global', 'bad')).toBeUndefined();
    expect(logged.join('\n')).toContain("Context global: the value of 'bad' in Redis is not JSON; ignored");
    expect(copy.keys('global')).toEqual(['good']);
  });

  it('reports a malformed path as the memory store does', () => {
    const copy = createRedisCopy(logger);
    copy.receive('f1', 'a', '1');
    expect(() => copy.get('f1', 'a[')).toThrow();
    expect(() => copy.set('f1', 'a[', 1)).toThrow();
    expect(copy.get('f1', 'a')).toBe(1);
  });

  it('names the top-level field a path writes', () => {
    expect(topField('a')).toBe('a');
    expect(topField('a.b[0]')).toBe('a');
    expect(topField('a["x.y"].z')).toBe('a');
    expect(topField('$x')).toBe('$x');
  });
});
