/**
 * The send fence where ccxt takes no per-request timestamp or receive window (Bybit: its sign()
 * reads `nonce()` and `options.recvWindow`): the request's params carry them under `SEND_BY`, and
 * a wrapper around the exchange's sign() signs that request with them. sign() is synchronous, so
 * the override covers exactly that one request, whatever else is in flight.
 */
import type { Exchange } from 'ccxt';

export const SEND_BY = 'pinebridgeSendBy';

export interface SendBy {
  /** The exchange's clock (ccxt's nonce: this node's clock minus its time difference), epoch ms. */
  timestamp: number;
  recvWindow: number;
}

/** Binance's and Bybit's reading of the fence: the check time on the exchange's clock, and the smaller window. */
export function sendByOf(e: { timestamp: number; windowMs: number }, options: Record<string, unknown>): SendBy {
  const configured = Number(options.recvWindow ?? 5000);
  const recvWindow = Math.max(1, Math.floor(Math.min(Number.isFinite(configured) ? configured : 5000, e.windowMs)));
  return { timestamp: Math.round(e.timestamp - Number(options.timeDifference ?? 0)), recvWindow };
}

type Sign = (path: string, api?: unknown, method?: string, params?: Record<string, unknown>, headers?: unknown, body?: unknown) => unknown;

/** Makes `ex` sign a request whose params carry `SEND_BY` with that timestamp and receive window. */
export function signWithSendBy(ex: Exchange): void {
  const target = ex as unknown as { sign: Sign; nonce: () => number; options: Record<string, unknown> };
  const original = target.sign.bind(ex) as Sign;
  target.sign = (path, api, method, params = {}, headers, body) => {
    const by = params[SEND_BY] as SendBy | undefined;
    if (!by) return original(path, api, method, params, headers, body);
    const { [SEND_BY]: _by, ...rest } = params;
    const hadNonce = Object.prototype.hasOwnProperty.call(target, 'nonce');
    const nonce = target.nonce;
    const recvWindow = target.options.recvWindow;
    target.nonce = () => by.timestamp;
    target.options.recvWindow = by.recvWindow;
    try {
      return original(path, api, method, rest, headers, body);
    } finally {
      if (hadNonce) target.nonce = nonce;
      else delete (target as { nonce?: unknown }).nonce;
      target.options.recvWindow = recvWindow;
    }
  };
}
