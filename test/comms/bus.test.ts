// notification/runtime-state payloads in Node-RED 4.1.15's exact shapes (seen on its /comms) from the
// events Crimson's flows manager emits.
import { describe, expect, it } from 'vitest';
import { runtimeStatePayload } from '../../src/comms/bus.js';

describe('runtimeStatePayload', () => {
  it('missing types', () => {
    const p = runtimeStatePayload({ state: 'stop', error: 'missing-types', types: ['a', 'b'] });
    expect(JSON.stringify(p)).toBe('{"state":"stop","error":"missing-types","type":"warning","text":"notification.warnings.missing-types","types":["a","b"]}');
  });

  it('start / stop, with the deploy flag when given', () => {
    expect(JSON.stringify(runtimeStatePayload({ state: 'start' }))).toBe('{"state":"start"}');
    expect(JSON.stringify(runtimeStatePayload({ state: 'stop', deploy: true }))).toBe('{"state":"stop","deploy":true}');
    expect(JSON.stringify(runtimeStatePayload({ state: 'start', deploy: true }))).toBe('{"state":"start","deploy":true}');
  });

  it('safe mode, missing modules, credentials', () => {
    expect(runtimeStatePayload({ state: 'safe' })).toEqual({ state: 'safe', error: 'safe-mode', type: 'warning', text: 'notification.warnings.safe-mode' });
    expect(runtimeStatePayload({ error: 'missing-modules', modules: [{ module: 'm', error: 'x' }] })).toEqual({
      state: 'stop', error: 'missing-modules', type: 'warning', text: 'notification.warnings.missing-modules', modules: [{ module: 'm', error: 'x' }],
    });
    expect(runtimeStatePayload({ error: 'credentials_load_failed' })).toEqual({
      type: 'warning', error: 'credentials_load_failed', text: 'notification.warnings.credentials_load_failed_reset',
    });
  });

  it('other codes get a text the editor can show; nothing means "clear"', () => {
    expect(runtimeStatePayload({ state: 'stop', error: 'start-failed' })).toEqual({
      state: 'stop', error: 'start-failed', type: 'warning', text: 'The flows could not be started: see the runtime log',
    });
    expect(runtimeStatePayload({ error: '__proto__' })).toEqual({ error: '__proto__', type: 'warning', text: 'notification.warnings.__proto__' });
    expect(runtimeStatePayload(undefined)).toEqual({});
    expect(runtimeStatePayload({})).toEqual({});
  });
});
