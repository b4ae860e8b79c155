import { describe, expect, it } from 'vitest';
import { hasPermission } from '../../src/auth/permissions.js';

describe('hasPermission', () => {
  it('grants everything with "*"', () => {
    expect(hasPermission('*', 'flows.write')).toBe(true);
    expect(hasPermission(['*'], 'nodes.read')).toBe(true);
  });
  it('read / *.read grant every permission ending in .read, and "read"', () => {
    for (const s of ['read', '*.read']) {
      expect(hasPermission(s, 'flows.read')).toBe(true);
      expect(hasPermission(s, 'read')).toBe(true);
      expect(hasPermission(s, 'flows.write')).toBe(false);
    }
  });
  it('write / *.write grant every permission ending in .write', () => {
    expect(hasPermission('write', 'flows.write')).toBe(true);
    expect(hasPermission('*.write', 'settings.write')).toBe(true);
    expect(hasPermission('write', 'flows.read')).toBe(false);
  });
  it('matches exact strings otherwise', () => {
    expect(hasPermission('flows.read', 'flows.read')).toBe(true);
    expect(hasPermission('flows.read', 'flows.write')).toBe(false);
    expect(hasPermission('flows.read', 'nodes.read')).toBe(false);
  });
  it('an array scope grants when any element grants; an empty array grants nothing', () => {
    expect(hasPermission(['flows.read', 'nodes.write'], 'nodes.write')).toBe(true);
    expect(hasPermission(['flows.read'], 'nodes.write')).toBe(false);
    expect(hasPermission([], 'flows.read')).toBe(false);
  });
  it('required "" is granted to anyone, even without a scope', () => {
    expect(hasPermission(undefined, '')).toBe(true);
    expect(hasPermission([], '')).toBe(true);
  });
  it('a required array needs every element', () => {
    expect(hasPermission('read', ['flows.read', 'nodes.read'])).toBe(true);
    expect(hasPermission('read', ['flows.read', 'flows.write'])).toBe(false);
  });
  it('a missing scope grants nothing', () => {
    expect(hasPermission(undefined, 'flows.read')).toBe(false);
    expect(hasPermission(null, 'flows.read')).toBe(false);
  });
  it('checking a user against a missing requested scope mirrors Node-RED (quirk)', () => {
    expect(hasPermission('*', undefined)).toBe(true);
    expect(hasPermission('read', undefined)).toBe(false);
    expect(hasPermission(['flows.read'], undefined)).toBe(false);
  });
});
