import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver, compileTrustProxy, normaliseAddress } from '../../src/auth/client-address.js';

/** A request as the resolver reads it: the socket's peer and the X-Forwarded-For header. */
const request = (remoteAddress: string, forwarded?: string) =>
  ({ socket: { remoteAddress }, connection: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('client address of the login lock-out', () => {
  it('counts an IPv4-mapped IPv6 address as the IPv4 one, an IPv6 address as its /64', () => {
    expect(normaliseAddress('127.0.0.2')).toBe('127.0.0.2');
    expect(normaliseAddress('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(normaliseAddress('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(normaliseAddress('2001:db8:1:2:ffff:ffff:ffff:1')).toBe('2001:db8:1:2::/64');
    expect(normaliseAddress('2001:db8:1:3::9')).toBe('2001:db8:1:3::/64');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(normaliseAddress('')).toBe('');
    expect(normaliseAddress('not:an:address')).toBe('not:an:address');
  });

  it('without trustProxy (unset, false, 0, empty) the socket address counts and X-Forwarded-For is ignored', () => {
    for (const setting of [undefined, false, 0, '', []]) {
      expect(compileTrustProxy(setting)).toBeUndefined();
      expect(clientAddressResolver(setting)(request('127.0.0.2', '203.0.113.5'))).toBe('127.0.0.2');
    }
  });

  it('a number of proxies: the hop that many places from the socket (true: one)', () => {
    expect(clientAddressResolver(1)(request('127.0.0.1', '198.51.100.1, 203.0.113.5'))).toBe('203.0.113.5');
    expect(clientAddressResolver(true)(request('127.0.0.1', '198.51.100.1, 203.0.113.5'))).toBe('203.0.113.5');
    expect(clientAddressResolver(2)(request('127.0.0.1', '198.51.100.1, 203.0.113.5'))).toBe('198.51.100.1');
    expect(clientAddressResolver(1)(request('127.0.0.1'))).toBe('127.0.0.1');
  });

  it('proxy addresses: the right-most address that is not one of them', () => {
    const resolve = clientAddressResolver('loopback, 10.0.0.0/8');
    expect(resolve(request('::ffff:127.0.0.1', '198.51.100.1, 203.0.113.5, 10.1.2.3'))).toBe('203.0.113.5');
    expect(resolve(request('192.0.2.7', '203.0.113.5'))).toBe('192.0.2.7');
    expect(clientAddressResolver(['127.0.0.1'])(request('127.0.0.1', '2001:db8:1:2::9'))).toBe('2001:db8:1:2::/64');
  });

  it('refuses what is not a number of proxies or an address', () => {
    expect(() => compileTrustProxy(-1)).toThrow('not a number of proxies: -1');
    expect(() => compileTrustProxy('proxy.local')).toThrow('invalid IP address: proxy.local');
  });
});
