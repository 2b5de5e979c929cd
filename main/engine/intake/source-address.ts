/**
 * Who sent a webhook request, in a way the sender cannot choose: the socket's peer address,
 * unless that peer is a trusted proxy, in which case X-Forwarded-For is read from the right
 * (the hop nearest to us) and the first address that is not itself a trusted proxy is taken.
 * Entries to the left of it were written by the client and are never read.
 */
import { BlockList, isIP } from 'node:net';
import type { TunnelPeers } from '../core/ports.js';
import { TRADINGVIEW_WEBHOOK_IPS } from './tradingview-ips.js';
import { TRUST_TUNNEL } from '../core/trust-entry.js';

export interface SourceResolver {
  /** The request's source address; `tunnel` is true when it arrived through our own tunnel client. */
  resolve(peer: { remoteAddress?: string | undefined; remotePort?: number | undefined }, xff: string | undefined): { source: string; tunnel: boolean };
}

export function createSourceResolver(trustProxy: readonly string[], tunnel: () => Pick<TunnelPeers, 'isTunnelPeer'> | null): SourceResolver {
  const trustTunnel = trustProxy.includes(TRUST_TUNNEL);
  const trusted = addressList(trustProxy.filter((e) => e !== TRUST_TUNNEL));
  const hasTrusted = trustProxy.some((e) => e !== TRUST_TUNNEL);
  const isTrusted = (a: string) => hasTrusted && check(trusted, a);
  return {
    resolve(peer, xff) {
      const address = normalize(peer.remoteAddress ?? '') || 'unknown';
      const viaTunnel = peer.remotePort !== undefined && isLoopback(address) && (tunnel()?.isTunnelPeer(address, peer.remotePort) ?? false);
      // The common case (a direct peer, no proxy configured) costs one comparison.
      if (!(viaTunnel && trustTunnel) && !isTrusted(address)) return { source: address, tunnel: viaTunnel };
      if (!xff) return { source: address, tunnel: viaTunnel };
      const hops = xff.split(',');
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalize(hops[i]!.trim());
        // Garbage where a trusted proxy should have written an address: the proxy is all we know.
        if (!isIP(hop)) return { source: address, tunnel: viaTunnel };
        if (!isTrusted(hop)) return { source: hop, tunnel: viaTunnel };
      }
      return { source: address, tunnel: viaTunnel };
    },
  };
}

const tradingView = addressList(TRADINGVIEW_WEBHOOK_IPS);

/** True for one of TradingView's published webhook senders. */
export function isTradingViewAddress(address: string): boolean {
  return check(tradingView, address);
}

function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return list;
}

function check(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** IPv4-mapped IPv6 (a dual-stack listener's view of an IPv4 peer) as plain IPv4. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}
