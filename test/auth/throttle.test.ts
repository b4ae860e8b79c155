import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../src/auth/throttle.js';

const HERE = '127.0.0.1';
const THERE = '127.0.0.2';

describe('login throttle', () => {
  it('refuses the 6th attempt within 10 minutes and every later one', () => {
    let t = 1000;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 5; i++) expect(th.attempt('admin', HERE)).toBe(true);
    expect(th.attempt('admin', HERE)).toBe(false);
    t += 60000;
    expect(th.attempt('admin', HERE)).toBe(false);
  });
  it('counts per username', () => {
    const th = createLoginThrottle({ now: () => 5 });
    for (let i = 0; i < 5; i++) th.attempt('a', HERE);
    expect(th.attempt('b', HERE)).toBe(true);
    expect(th.attempt('a', HERE)).toBe(false);
  });
  it('counts per client address: attempts from one address do not lock the user out at another', () => {
    const th = createLoginThrottle({ now: () => 5 });
    for (let i = 0; i < 10; i++) th.attempt('a', THERE);
    expect(th.attempt('a', THERE)).toBe(false);
    for (let i = 0; i < 5; i++) expect(th.attempt('a', HERE)).toBe(true);
    expect(th.attempt('a', HERE)).toBe(false);
  });
  it('a username and an address never make the key of another pair', () => {
    const th = createLoginThrottle({ now: () => 5 });
    for (let i = 0; i < 5; i++) th.attempt('b', 'a');
    expect(th.attempt('a\u0000b', '')).toBe(true);
    expect(th.attempt('b', 'a')).toBe(false);
  });
  it('is a sliding window: attempts older than 10 minutes stop counting', () => {
    let t = 0;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 5; i++) { th.attempt('a', HERE); t += 1000; }
    t = 600000 + 500; // the first attempt (t=0) has left the window
    expect(th.attempt('a', HERE)).toBe(true);
    expect(th.attempt('a', HERE)).toBe(false);
  });
  it('a success clears the user at that address only', () => {
    const th = createLoginThrottle({ now: () => 1 });
    for (let i = 0; i < 5; i++) { th.attempt('a', HERE); th.attempt('a', THERE); }
    th.clear('a', HERE);
    expect(th.attempt('a', HERE)).toBe(true);
    expect(th.attempt('a', THERE)).toBe(false);
  });
  it('forgets the pairs whose attempts all left the window (swept at most once a minute)', () => {
    let t = 0;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 1000; i++) { th.attempt(`user${i % 10}`, `10.0.${i >> 8}.${i & 255}`); t += 10; }
    expect(th.size).toBe(1000);
    t += 600000;
    th.attempt('admin', HERE);
    expect(th.size).toBe(1);
  });
  it('keeps refusing under a flood while holding a bounded history', () => {
    let t = 0;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 10000; i++) { th.attempt('a', HERE); t += 1; }
    expect(th.attempt('a', HERE)).toBe(false);
    t += 600001;
    expect(th.attempt('a', HERE)).toBe(true);
  });
});
