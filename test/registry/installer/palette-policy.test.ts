// externalModules.palette as the installer reads it (allow/deny lists with version ranges, update lists,
// switches) and npm's package-name rules, decided as Node-RED 4.1.15 decides them.
import { describe, expect, it } from 'vitest';
import { palettePolicy } from '../../../src/registry/installer/palette-policy.js';
import { isValidPackageName } from '../../../src/registry/installer/package-name.js';
import type { Settings } from '../../../src/settings/types.js';

const policy = (palette: Record<string, unknown> | undefined, extra: Settings = {}) =>
  palettePolicy({ ...extra, externalModules: palette === undefined ? undefined : { palette } });

describe('install allow / deny lists', () => {
  it('allows everything without lists, or with two empty ones', () => {
    for (const p of [policy(undefined), policy({}), policy({ allowList: [], denyList: [] })]) {
      expect(p.installAllAllowed).toBe(true);
      expect(p.installAllowed('anything', '1.0.0')).toBe(true);
    }
  });

  it('reads a lone allowList as allow those, deny the rest', () => {
    const p = policy({ allowList: ['node-red-contrib-*', 'node-red-node-random'] });
    expect(p.installAllAllowed).toBe(false);
    expect(p.installAllowed('node-red-contrib-foo')).toBe(true);
    expect(p.installAllowed('node-red-node-random')).toBe(true);
    expect(p.installAllowed('node-red-node-other')).toBe(false);
  });

  it('reads a lone empty allowList as deny everything', () => {
    expect(policy({ allowList: [] }).installAllowed('x')).toBe(false);
  });

  it('reads a lone denyList as allow the rest', () => {
    const p = policy({ denyList: ['node-red-contrib-bad*'] });
    expect(p.installAllowed('node-red-contrib-bad-one')).toBe(false);
    expect(p.installAllowed('node-red-contrib-good')).toBe(true);
  });

  it('lets the rule whose wildcard comes later win, then the longer one', () => {
    const p = policy({ allowList: ['node-red-contrib-ok-*'], denyList: ['node-red-contrib-*'] });
    expect(p.installAllowed('node-red-contrib-ok-1')).toBe(true);
    expect(p.installAllowed('node-red-contrib-no')).toBe(false);
    const q = policy({ allowList: ['@scope/*'], denyList: ['*'] });
    expect(q.installAllowed('@scope/x')).toBe(true);
    expect(q.installAllowed('other')).toBe(false);
    // same wildcard position: the longer rule
    const r = policy({ allowList: ['a*'], denyList: ['ab*'] });
    expect(r.installAllowed('abc')).toBe(false);
  });

  it('checks version ranges when the version is known, and ignores them when not', () => {
    const p = policy({ allowList: ['*'], denyList: ['node-red-node-random@<0.4.0'] });
    expect(p.installAllowed('node-red-node-random', '0.1.0')).toBe(false);
    expect(p.installAllowed('node-red-node-random', '0.4.1')).toBe(true);
    expect(p.installAllowed('node-red-node-random')).toBe(false);
    const q = policy({ allowList: ['foo@^2'], denyList: ['*'] });
    expect(q.installAllowed('foo', '2.1.0')).toBe(true);
    expect(q.installAllowed('foo', '1.9.0')).toBe(false);
    expect(q.installAllowed('@scope/foo', '2.0.0')).toBe(false);
  });

  it('takes dots and other characters of a rule literally', () => {
    const p = policy({ allowList: ['a.b'], denyList: ['*'] });
    expect(p.installAllowed('a.b')).toBe(true);
    expect(p.installAllowed('axb')).toBe(false);
  });
});

describe('updates and switches', () => {
  it('allows updates unless allowUpdate is false or a deny list says no', () => {
    expect(policy({}).updateAllowed('x')).toBe(true);
    expect(policy({ allowUpdate: false }).updateAllowed('x')).toBe(false);
    const p = policy({ allowUpdateList: ['node-red-contrib-*'] });
    expect(p.updateAllowed('node-red-contrib-x')).toBe(true);
    expect(p.updateAllowed('other')).toBe(false);
    expect(policy({ denyUpdateList: ['pinned'] }).updateAllowed('pinned')).toBe(false);
  });

  it('reads allowInstall / allowUpload (and the deprecated editorTheme.palette.editable)', () => {
    expect(policy({}).allowInstall).toBe(true);
    expect(policy({ allowInstall: false }).allowInstall).toBe(false);
    expect(policy({ allowUpload: false }).allowUpload).toBe(false);
    expect(policy({ upload: false }).uploadRefused).toBe(true);
    expect(policy({}, { editorTheme: { palette: { editable: false } } }).allowInstall).toBe(false);
  });
});

describe('package names npm accepts', () => {
  it('accepts plain and scoped names, capitals and core names as npm still does', () => {
    for (const n of ['node-red-node-random', '@scope/name', 'Capital', 'http', 'a.b', 'x~y'])
      expect(isValidPackageName(n), n).toBe(true);
  });
  it('refuses the rest', () => {
    for (const n of ['', '.x', '_x', '-x', ' x', 'x ', 'node_modules', 'favicon.ico', 'a/b', '../x', '@scope', '@/x', '@s/.x', 'a b', 'bad name!', 'ü', 42, undefined])
      expect(isValidPackageName(n), String(n)).toBe(false);
  });
});
