import { describe, expect, it } from 'vitest';
import { hasPermission, intersectScopes } from '../../src/auth/permissions.js';

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

describe('intersectScopes', () => {
  it('"*" with anything is the other scope', () => {
    expect(intersectScopes('*', '*')).toBe('*');
    expect(intersectScopes('*', 'read')).toBe('read');
    expect(intersectScopes('read', '*')).toBe('read');
    expect(intersectScopes(['flows.read', 'nodes.write'], '*')).toEqual(['flows.read', 'nodes.write']);
  });
  it('read and write meet nowhere; read keeps the read permissions of the other side', () => {
    expect(intersectScopes('read', 'write')).toEqual([]);
    expect(intersectScopes('read', ['flows.read', 'flows.write'])).toBe('flows.read');
    expect(intersectScopes(['flows.write', 'nodes.read'], 'read')).toBe('nodes.read');
    expect(intersectScopes('*.read', 'read')).toBe('read'); // the same set either way
  });
  it('exact permissions meet only themselves', () => {
    expect(intersectScopes('flows.read', 'flows.read')).toBe('flows.read');
    expect(intersectScopes('flows.read', 'nodes.read')).toEqual([]);
    expect(intersectScopes(['flows.read', 'x'], ['x', 'flows.write'])).toBe('x');
  });
  it('drops what another part of the result already grants', () => {
    expect(intersectScopes(['read', 'flows.read'], '*')).toBe('read');
    expect(intersectScopes(['read', 'write'], ['*', 'flows.read'])).toEqual(['read', 'write']);
  });
  it('a missing or odd scope on either side grants nothing', () => {
    expect(intersectScopes('*', undefined)).toEqual([]);
    expect(intersectScopes(undefined, '*')).toEqual([]);
    expect(intersectScopes('*', [])).toEqual([]);
    expect(intersectScopes('*', { a: 1 })).toEqual([]);
  });
  it('grants exactly what both sides grant', () => {
    const scopes: unknown[] = ['*', 'read', 'write', '*.read', 'flows.read', 'flows.write', ['flows.read', 'nodes.write'], ['read', 'settings.write'], [], undefined];
    const permissions = ['flows.read', 'flows.write', 'nodes.read', 'nodes.write', 'settings.write', 'read', 'write', '*', 'x'];
    for (const a of scopes) {
      for (const b of scopes) {
        const both = intersectScopes(a, b);
        for (const p of permissions) {
          expect(hasPermission(both, p), `${JSON.stringify(a)} ∩ ${JSON.stringify(b)} on ${p}`).toBe(hasPermission(a, p) && hasPermission(b, p));
        }
      }
    }
  });
});
