import { isIP } from 'node:net';
/** `webhook.trustProxy` entries: "tunnel", an IPv4/IPv6 address, or a CIDR block. */
export const TRUST_TUNNEL = 'tunnel';

/** A trustProxy entry's problem, or null when it is "tunnel", an address or a CIDR block. */
export function trustEntryProblem(entry: string): string | null {
  if (entry === TRUST_TUNNEL) return null;
  const [ip, bits, extra] = entry.split('/');
  const family = isIP(ip ?? '');
  if (!family || extra !== undefined) return `"${entry}" is not "tunnel", an IP address or a CIDR block (10.0.0.0/8)`;
  if (bits === undefined) return null;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128) ? null : `"${entry}": the prefix length must be 0-${family === 4 ? 32 : 128}`;
}
