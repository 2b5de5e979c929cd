/**
 * What "my own URL" may be: an address TradingView can post to. TradingView sends webhooks from
 * the internet, over HTTPS, to ports 80/443 only; a loopback or private address would pass our
 * own self-test (it reaches this machine) and still never receive an alert.
 */
import { BlockList, isIP } from 'node:net';

const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Names that never resolve on the public internet. */
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa', '.intranet', '.corp'];

/**
 * Why TradingView could not post to `raw`, as a sentence that says what to give instead; null
 * when it is a public https URL. Only the address is judged (whether it answers is the self-test).
 */
export function publicUrlProblem(raw: string): string | null {
  const fix = 'give the public https:// address of your reverse proxy or domain (for example https://hooks.example.com), or choose localtunnel';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `"${raw}" is not a URL: ${fix}.`;
  }
  if (url.protocol !== 'https:') return `Your own URL must start with https:// (TradingView only posts to HTTPS): ${fix}.`;
  if (url.port !== '' && url.port !== '443') return `TradingView only posts to port 443 for https, not ${url.port}: ${fix}.`;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(host);
  if (family !== 0) {
    // IPv4-mapped (::ffff:127.0.0.1, written ::ffff:7f00:1): a public server is given by its IPv4 address instead.
    const mapped = family === 6 && host.startsWith('::ffff:');
    if (mapped || NOT_PUBLIC.check(host, family === 4 ? 'ipv4' : 'ipv6')) return `${host} is a loopback or private address that TradingView cannot reach from the internet: ${fix}.`;
    return null;
  }
  if (host === 'localhost' || LOCAL_SUFFIXES.some((s) => host.endsWith(s))) {
    return `${host} is a name only this computer or network knows; TradingView cannot reach it: ${fix}.`;
  }
  if (!host.includes('.')) return `${host} is not a public domain name (it has no dot); TradingView cannot reach it: ${fix}.`;
  return null;
}
