/**
 * The tunnel's failures as a person reads them: one sentence that says what is wrong and the
 * next step, instead of `getaddrinfo ENOTFOUND localtunnel.me`. The providers keep their exact
 * messages (the log has them); this is what the status, the API and the notifications show.
 */
import type { TunnelStatus } from '../core/ports.js';

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENETDOWN|EPIPE|UND_ERR_|fetch failed|socket hang up|other side closed/i;
const TLS = /certificate|CERT_|SSL|TLS/i;

function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** The server a localtunnel message names (`…tunnel server https://localtunnel.me…`), else the configured one. */
function serverIn(message: string, fallback: string): string {
  const m = /tunnel server (\S+?)(?::\s|\s|$)/.exec(message);
  return hostOf(m?.[1]?.replace(/[,)]$/, '')) ?? fallback;
}

/**
 * One readable sentence for a provider's raw error, or the message unchanged when it already is
 * one (or is not recognised). `host` is the localtunnel server, `publicUrl` the URL probed.
 */
export function describeTunnelFailure(provider: TunnelStatus['provider'], raw: string, where: { host?: string | null; publicUrl?: string | null }): string {
  const server = hostOf(where.host) ?? 'localtunnel.me';
  const site = hostOf(where.publicUrl);
  if (raw.includes('the webhook listener does not answer locally')) {
    return "Pinebridge's own webhook listener does not answer on this computer, so nothing can reach it: restart Pinebridge (see the log).";
  }
  const probe = /^GET (\S+)\/healthz(?::|\s)/.exec(raw);
  if (probe) {
    const target = hostOf(probe[1]) ?? site ?? 'the public URL';
    const http = /answered HTTP (\d{3})/.exec(raw);
    if (http) return `${target} answers, but not with Pinebridge (HTTP ${http[1]} on /healthz): check that it forwards to this computer's webhook port.`;
    if (/no answer within/.test(raw)) return `${target} did not answer the self-test in time: check that it forwards to this computer's webhook port.`;
    if (TLS.test(raw)) return `${target} has no valid HTTPS certificate: TradingView will not post to it; fix the certificate or use localtunnel.`;
    if (NETWORK.test(raw)) {
      return provider === 'manual'
        ? `${target} cannot be reached from this computer: check the address, your DNS and the reverse proxy.`
        : `${target} cannot be reached from this computer: check the internet connection or use your own URL.`;
    }
    return raw;
  }
  if (provider !== 'localtunnel') return raw;
  const named = serverIn(raw, server);
  if (/cannot reach the tunnel server/.test(raw)) {
    return TLS.test(raw)
      ? `${named} cannot be reached securely from this computer (a certificate problem, often a proxy): use your own URL.`
      : `${named} cannot be reached from this computer: check the internet connection or use your own URL.`;
  }
  const noAnswer = /no answer from the tunnel server \S+ within (\d+) ms/.exec(raw);
  if (noAnswer) return `${named} did not answer within ${Math.round(Number(noAnswer[1]) / 100) / 10} s: check the internet connection or use your own URL.`;
  const refused = /refused the tunnel \(HTTP (\d{3})\)/.exec(raw);
  if (refused) return `${named} refused to open a tunnel (HTTP ${refused[1]}): try again later or use your own URL.`;
  if (/no tunnel connection to it opened within/.test(raw)) {
    return `${named} gave a URL but its tunnel connections did not open (a firewall may block them): check the internet connection or use your own URL.`;
  }
  if (/^localtunnel: /.test(raw) && NETWORK.test(raw)) return `The connection to ${named} was lost: reconnecting (check the internet connection if it persists).`;
  return raw;
}
