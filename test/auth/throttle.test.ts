import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../src/auth/throttle.js';

describe('login throttle', () => {
  it('refuses the 6th attempt within 10 minutes and every later one', () => {
    let t = 1000;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 5; i++) expect(th.attempt('admin')).toBe(true);
    expect(th.attempt('admin')).toBe(false);
    t += 60000;
    expect(th.attempt('admin')).toBe(false);
  });
  it('counts per username', () => {
    const th = createLoginThrottle({ now: () => 5 });
    for (let i = 0; i < 5; i++) th.attempt('a');
    expect(th.attempt('b')).toBe(true);
    expect(th.attempt('a')).toBe(false);
  });
  it('is a sliding window: attempts older than 10 minutes stop counting', () => {
    let t = 0;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 5; i++) { th.attempt('a'); t += 1000; }
    t = 600000 + 500; // the first attempt (t=0) has left the window
    expect(th.attempt('a')).toBe(true);
    expect(th.attempt('a')).toBe(false);
  });
  it('a success clears the user', () => {
    const th = createLoginThrottle({ now: () => 1 });
    for (let i = 0; i < 5; i++) th.attempt('a');
    th.clear('a');
    expect(th.attempt('a')).toBe(true);
  });
  it('keeps refusing under a flood while holding a bounded history', () => {
    let t = 0;
    const th = createLoginThrottle({ now: () => t });
    for (let i = 0; i < 10000; i++) { th.attempt('a'); t += 1; }
    expect(th.attempt('a')).toBe(false);
    t += 600001;
    expect(th.attempt('a')).toBe(true);
  });
});
