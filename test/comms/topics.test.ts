// Subscription patterns as Node-RED 4.1.15 matches them (its regex, checked on the oracle): `+` one or
// more characters within a level, trailing `/#` this level and below, a lone `#` only itself.
import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../src/comms/topics.js';

describe('topicMatches', () => {
  it.each([
    ['notification/#', 'notification/runtime-state', true],
    ['notification/#', 'notification/node/added', true],
    ['notification/#', 'notification', true],
    ['notification/#', 'notifications/x', false],
    ['status/#', 'status/abc', true],
    ['+/+', 'notification/runtime-deploy', true],
    ['+/+', 'status', false],
    ['+', 'a/b', false],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a//c', false],
    ['a/+', 'a/', false],
    ['#', 'debug', false],
    ['#', '#', true],
    ['debug', 'debug', true],
    ['debug', 'debugger', false],
    ['de+', 'debug', true],
    ['a+b', 'ab', false],
    ['a+b', 'axxb', true],
    ['a/#/b', 'a/#/b', true],
    ['a.b', 'axb', false],
    ['(x)*', '(x)*', true],
  ])('%s vs %s -> %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected);
  });

  it('stays fast on patterns that would make a regex backtrack', () => {
    const t0 = Date.now();
    expect(topicMatches('+'.repeat(60) + 'z', 'status/' + 'a'.repeat(2000))).toBe(false);
    expect(topicMatches('+a'.repeat(200), 'b'.repeat(5000))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(500);
  });
});
