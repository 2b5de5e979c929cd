/**
 * One read-only call with a set of exchange keys (fetch balance), through the real ccxt client,
 * honoring testnet (sandbox) and a base-URL override (regional endpoint, proxy, the simulator).
 */
import type { ApiCredentials } from '../ports.js';

export interface KeyCheckInput {
  exchange: string;
  exchangeUrl?: string;
  testnet: boolean;
  credentials: ApiCredentials;
  timeoutMs?: number;
}

export interface KeyCheckResult {
  ok: boolean;
  message: string;
  balances: { currency: string; free: number; total: number }[];
}

type CcxtExchange = {
  urls: Record<string, unknown>;
  setSandboxMode(on: boolean): void;
  fetchBalance(): Promise<{ free?: Record<string, number | undefined>; total?: Record<string, number | undefined> }>;
};

export async function checkExchangeKeys(input: KeyCheckInput): Promise<KeyCheckResult> {
  const ccxt = (await import('ccxt')) as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
  const Ctor = (ccxt[input.exchange] ?? ccxt.default?.[input.exchange]) as (new (o: object) => CcxtExchange) | undefined;
  if (typeof Ctor !== 'function') return { ok: false, message: `Unknown exchange "${input.exchange}".`, balances: [] };
  const spotOnly =
    input.exchange === 'binance'
      ? { defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false }
      : {};
  const ex = new Ctor({ ...input.credentials, timeout: input.timeoutMs ?? 10_000, enableRateLimit: false, options: spotOnly });
  if (input.testnet) {
    if (!ex.urls.test) return { ok: false, message: `${input.exchange} has no testnet (sandbox); Pinebridge will not use live keys for it.`, balances: [] };
    ex.setSandboxMode(true);
  }
  if (input.exchangeUrl) ex.urls.api = rebase(ex.urls.api, new URL(input.exchangeUrl).origin);
  try {
    const b = await ex.fetchBalance();
    const balances = Object.entries(b.total ?? {})
      .filter(([, t]) => typeof t === 'number' && t > 0)
      .map(([currency, total]) => ({ currency, total: total ?? 0, free: b.free?.[currency] ?? 0 }))
      .slice(0, 20);
    return { ok: true, message: `The exchange accepted the keys (${balances.length} non-zero balances).`, balances };
  } catch (e) {
    return { ok: false, message: plainExchangeError(e), balances: [] };
  }
}

/** Replaces the origin of every URL in ccxt's `urls.api` (a string or nested map of strings). */
function rebase(api: unknown, origin: string): unknown {
  if (typeof api === 'string') return api.replace(/^https?:\/\/[^/]+/, origin);
  if (api && typeof api === 'object') return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, rebase(v, origin)]));
  return api;
}

/** "AuthenticationError: Invalid API-key, IP, or permissions for action. (code -2015)" */
export function plainExchangeError(e: unknown): string {
  const kind = e instanceof Error ? e.constructor.name : 'Error';
  const raw = e instanceof Error ? e.message : String(e);
  const json = /\{.*\}/s.exec(raw)?.[0];
  if (json) {
    try {
      const body = JSON.parse(json) as { msg?: unknown; code?: unknown; message?: unknown };
      const msg = body.msg ?? body.message;
      if (typeof msg === 'string') return `${kind}: ${msg}${body.code !== undefined ? ` (code ${String(body.code)})` : ''}`;
    } catch {
      // not JSON after all
    }
  }
  return `${kind}: ${raw}`.slice(0, 500);
}
