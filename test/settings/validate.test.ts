import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/settings/defaults.js';
import { SettingsError } from '../../src/settings/errors.js';
import { validateSettings } from '../../src/settings/validate.js';

describe('validateSettings', () => {
  it('accepts the defaults, absent keys, null values and unknown keys', () => {
    expect(() => validateSettings(defaultSettings())).not.toThrow();
    expect(() => validateSettings({})).not.toThrow();
    expect(() => validateSettings({ adminAuth: null, uiPort: undefined, myOwnKey: Symbol('x'), ui: { path: 'ui' } })).not.toThrow();
  });

  it.each([
    { uiPort: '1880' }, // what `process.env.PORT || 1880` gives
    { uiPort: 0 },
    { httpAdminRoot: false, httpNodeRoot: '/api', httpRoot: false },
    { credentialSecret: false },
    { httpNodeAuth: { user: 'u', pass: 'p' } },
    { httpNodeAuth: () => undefined },
    { httpNodeMiddleware: [() => undefined] },
    { adminAuth: { type: 'credentials', users: [{ username: 'a', password: 'x', permissions: '*' }], default: { permissions: 'read' } } },
    { adminAuth: { type: 'strategy', strategy: {}, users: () => null } },
    { logging: { console: { level: 'trace', metrics: true }, other: { level: 'warn', handler: () => () => undefined } } },
    { https: () => ({}) },
    { httpStatic: [{ path: '/x', root: '/y' }] },
    { nodesDir: ['/a', '/b'] },
    { apiMaxLength: 1024 },
    { trustProxy: true },
    { trustProxy: 2 },
    { trustProxy: 'loopback, 10.0.0.0/8' },
    { trustProxy: ['192.168.1.10', 'fc00::/7'] },
    { accessTokens: {} },
    { accessTokens: { maxPerUser: 5 } },
    { cluster: { url: 'rediss://h:6380', tls: { ca: 'PEM', cert: Buffer.from('c'), key: 'k', rejectUnauthorized: true } } },
    { contextStorage: { shared: { module: 'redis', config: { url: 'rediss://h', tls: { ca: ['a', 'b'] } } }, mem: { module: 'memory' } } },
  ])('accepts %j', (s) => {
    expect(() => validateSettings(s)).not.toThrow();
  });

  it.each<[Record<string, unknown>, string]>([
    [{ uiPort: 'abc' }, "Invalid setting 'uiPort': expected a number, got string"],
    [{ uiPort: 70000 }, "Invalid setting 'uiPort': expected a port number 0-65535, got 70000"],
    [{ uiPort: 1.5 }, "Invalid setting 'uiPort': expected a port number 0-65535, got 1.5"],
    [{ uiHost: 127 }, "Invalid setting 'uiHost': expected a string, got number"],
    [{ httpAdminRoot: true }, "Invalid setting 'httpAdminRoot': expected a string or false, got boolean"],
    [{ httpNodeRoot: 5 }, "Invalid setting 'httpNodeRoot': expected a string or false, got number"],
    [{ adminAuth: 'admin' }, "Invalid setting 'adminAuth': expected an object, got string"],
    [{ adminAuth: [] }, "Invalid setting 'adminAuth': expected an object, got array"],
    [{ adminAuth: { type: 'ldap' } }, "Invalid setting 'adminAuth.type': expected 'credentials' or 'strategy', got 'ldap'"],
    [{ adminAuth: { users: 'bob' } }, "Invalid setting 'adminAuth.users': expected an array or an object or a function, got string"],
    [{ logging: { console: { level: 'loud' } } }, "Invalid setting 'logging.console.level': expected one of off, fatal, error, warn, info, debug, trace, audit, metric, got 'loud'"],
    [{ logging: { console: 'info' } }, "Invalid setting 'logging.console': expected an object, got string"],
    [{ functionGlobalContext: [] }, "Invalid setting 'functionGlobalContext': expected an object, got array"],
    [{ functionExternalModules: 'yes' }, "Invalid setting 'functionExternalModules': expected a boolean, got string"],
    [{ debugMaxLength: '1000' }, "Invalid setting 'debugMaxLength': expected a number, got string"],
    [{ credentialSecret: true }, "Invalid setting 'credentialSecret': expected a string or false, got boolean"],
    [{ httpNodeAuth: { user: 'u' } }, "Invalid setting 'httpNodeAuth': expected {user: string, pass: string}, got object"],
    [{ diagnostics: { enabled: 'no' } }, "Invalid setting 'diagnostics.enabled': expected a boolean, got string"],
    [{ runtimeState: true }, "Invalid setting 'runtimeState': expected an object, got boolean"],
    [{ envVarExcludes: 'SECRET' }, "Invalid setting 'envVarExcludes': expected an array of strings, got string"],
    [{ httpNodeMiddleware: 'mw' }, "Invalid setting 'httpNodeMiddleware': expected a function or an array, got string"],
    [{ trustProxy: { hops: 1 } }, "Invalid setting 'trustProxy': expected a boolean, a number of proxies, or proxy addresses, got object"],
    [{ trustProxy: -1 }, "Invalid setting 'trustProxy': not a number of proxies: -1"],
    [{ trustProxy: 1.5 }, "Invalid setting 'trustProxy': not a number of proxies: 1.5"],
    [{ trustProxy: 'my-proxy' }, "Invalid setting 'trustProxy': invalid IP address: my-proxy"],
    [{ trustProxy: ['10.0.0.0/99'] }, "Invalid setting 'trustProxy': invalid range on address: 10.0.0.0/99"],
    [{ accessTokens: 100 }, "Invalid setting 'accessTokens': expected an object, got number"],
    [{ accessTokens: { maxPerUser: 0 } }, "Invalid setting 'accessTokens.maxPerUser': expected a whole number of at least 1, got 0"],
    [{ accessTokens: { maxPerUser: 2.5 } }, "Invalid setting 'accessTokens.maxPerUser': expected a whole number of at least 1, got 2.5"],
    [{ accessTokens: { maxPerUser: '10' } }, "Invalid setting 'accessTokens.maxPerUser': expected a whole number of at least 1, got string"],
    [{ cluster: { url: 'rediss://h', tls: { ca: 1 } } }, "Invalid setting 'cluster.tls.ca': expected a PEM string or Buffer, or an array of them, got number"],
    [{ cluster: { url: 'redis://h', tls: { ca: 'PEM' } } }, "Invalid setting 'cluster.tls': applies to a rediss:// (TLS) url, got redis://"],
    [{ cluster: { url: 'rediss://h', tls: true } }, "Invalid setting 'cluster.tls': expected an object, got boolean"],
    [{ contextStorage: { shared: { module: 'redis', config: { url: 'rediss://h', tls: { rejectUnauthorized: 0 } } } } },
      "Invalid setting 'contextStorage.shared.config.tls.rejectUnauthorized': expected a boolean, got number"],
    [{ contextStorage: { shared: { module: 'redis', config: { tls: { ca: 'PEM' } } } } },
      "Invalid setting 'contextStorage.shared.config.tls': applies to a rediss:// (TLS) url, got redis://"],
    [{ contextStorage: 'redis' }, "Invalid setting 'contextStorage': expected an object, got string"],
  ])('rejects %j', (s, message) => {
    let caught: unknown;
    try { validateSettings(s); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(SettingsError);
    expect((caught as Error).message).toBe(message);
  });

  it('rejects a settings value that is not an object', () => {
    expect(() => validateSettings([])).toThrow('Invalid settings: expected an object, got array');
  });
});
