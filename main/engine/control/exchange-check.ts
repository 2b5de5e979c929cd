/**
 * One read-only call with a set of exchange keys (fetch balance), through the ccxt venue built
 * exactly as trading builds it (the exchange's profile: testnet sandbox, base-URL override, its
 * market options), so the answer is classified and worded as an order's would be.
 */
import type { ApiCredentials } from '../core/ports.js';
import { createExchange } from '../venues/ccxt-setup.js';
import { CcxtVenue } from '../venues/ccxt-venue.js';
import { classifyError } from '../venues/venue-error.js';

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

export async function checkExchangeKeys(input: KeyCheckInput): Promise<KeyCheckResult> {
  const mode = input.testnet ? 'testnet' : 'live';
  let venue: CcxtVenue;
  try {
    const exchange = await createExchange({
      exchangeId: input.exchange,
      mode,
      credentials: input.credentials,
      exchangeUrl: input.exchangeUrl,
      timeoutMs: input.timeoutMs ?? 10_000,
    });
    venue = new CcxtVenue(exchange, { account: 'key-check', mode, marketsRefreshMs: Number.MAX_SAFE_INTEGER, now: Date.now });
  } catch (e) {
    return { ok: false, message: (e as Error).message, balances: [] };
  }
  try {
    const b = await venue.fetchBalance();
    const balances = Object.entries(b)
      .filter(([, x]) => x.total > 0)
      .map(([currency, x]) => ({ currency, total: x.total, free: x.free }))
      .slice(0, 20);
    return { ok: true, message: `The exchange accepted the keys (${balances.length} non-zero balances).`, balances };
  } catch (e) {
    return { ok: false, message: classifyError(e, input.exchange).message, balances: [] };
  } finally {
    await venue.close();
  }
}
