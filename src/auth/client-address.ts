// The client address the login lock-out counts attempts by (throttle.ts). Without the `trustProxy` setting it
// is the socket's peer, and X-Forwarded-For is ignored. With it, the right-most X-Forwarded-For hop that is
// not a trusted proxy, as Express's `trust proxy` computes req.ip (same values, through Express's own
// proxy-addr), except `true`: Express then trusts every hop, so the left-most entry, which the client
// writes itself, would be its address; here `true` trusts the one proxy in front. Addresses are
// normalised: an IPv4-mapped IPv6 address is the IPv4 one, an IPv6 address counts as its /64 network.
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { fromExpress } from '../runtime/util/deps.js';

/** The values of the `trustProxy` setting. */
export type TrustProxy = boolean | number | string | string[];

type Trust = (address: string, hop: number) => boolean;
interface ProxyAddr {
  (req: IncomingMessage, trust: Trust): string;
  compile(list: string[]): Trust;
}
interface IpAddress {
  kind(): 'ipv4' | 'ipv6';
  toString(): string;
  parts?: number[];
  isIPv4MappedAddress?(): boolean;
  toIPv4Address?(): IpAddress;
}
interface IpAddrModule { parse(address: string): IpAddress }

// loaded on first use: only a configuration with admin login needs them
let proxyAddrModule: ProxyAddr | undefined;
let ipAddrModule: IpAddrModule | undefined;
const proxyAddr = (): ProxyAddr => (proxyAddrModule ??= fromExpress('proxy-addr') as ProxyAddr);
const ipAddr = (): IpAddrModule => (ipAddrModule ??= createRequire(fromExpress.resolve('proxy-addr'))('ipaddr.js') as IpAddrModule);

/**
 * Which hops of X-Forwarded-For are trusted proxies, or undefined when none is (the socket address counts).
 * Throws a TypeError for an address or subnet that is not one.
 */
export function compileTrustProxy(value: TrustProxy | undefined | null): Trust | undefined {
  if (value === undefined || value === null || value === false || value === 0) return undefined;
  if (value === true) return (_address, hop) => hop < 1;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`not a number of proxies: ${value}`);
    return (_address, hop) => hop < value;
  }
  const list = (typeof value === 'string' ? value.split(',') : value).map((s) => String(s).trim()).filter(Boolean);
  if (list.length === 0) return undefined;
  return proxyAddr().compile(list);
}

/** The address as the lock-out counts it (see the top of the file). */
export function normaliseAddress(address: string): string {
  if (!address.includes(':')) return address;
  try {
    const parsed = ipAddr().parse(address);
    if (parsed.kind() === 'ipv4') return parsed.toString();
    if (parsed.isIPv4MappedAddress?.()) return parsed.toIPv4Address!().toString();
    const parts = parsed.parts ?? [];
    return `${parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
  } catch {
    return address;
  }
}

/** A function giving the client address of a request under the `trustProxy` setting (validated beforehand). */
export function clientAddressResolver(setting: TrustProxy | undefined): (req: IncomingMessage) => string {
  const trust = compileTrustProxy(setting);
  if (!trust) return (req) => normaliseAddress(req.socket?.remoteAddress ?? '');
  return (req) => normaliseAddress(proxyAddr()(req, trust) ?? '');
}
