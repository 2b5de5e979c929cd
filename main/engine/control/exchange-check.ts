/**
 * One read-only call with a set of exchange keys (fetch balance), through the ccxt venue built
 * exactly as trading builds it (the exchange's profile: testnet sandbox, base-URL override, its
 * market options), so the answer is classified and worded as an order's would be.
 */
import type { ApiCredentials } from '../core/ports.js';
import type { KeyCheckOutcome } from '../../../shared/dto/accounts.js';
import { createExchange } from '../venues/ccxt-setup.js';
import { CcxtVenue } from '../venues/ccxt-venue.js';
import { classifyKeyCheckError, permissionNotes } from './key-check-outcome.js';

export interface KeyCheckInput {
  exchange: string;
  exchangeUrl?: string;
  testnet: boolean;
  credentials: ApiCredentials;
  timeoutMs?: number;
}

export interface KeyCheckResult {
  ok: boolean;
  outcome: KeyCheckOutcome;
  warnings: string[];
  message: string;
  balances: { currency: string; free: number; total: number }[];
}

export async function checkExchangeKeys(input: KeyCheckInput): Promise<KeyCheckResult> {
  const mode = input.testnet ? 'testnet' : 'live';
  let venue: CcxtVenue;
  let exchange: Awaited<ReturnType<typeof createExchange>>;
  try {
    exchange = await createExchange({
      exchangeId: input.exchange,
      mode,
      credentials: input.credentials,
      exchangeUrl: input.exchangeUrl,
      timeoutMs: input.timeoutMs ?? 10_000,
    });
    venue = new CcxtVenue(exchange, { account: 'key-check', mode, marketsRefreshMs: Number.MAX_SAFE_INTEGER, now: Date.now });
  } catch (e) {
    return { ok: false, outcome: 'error', warnings: [], message: (e as Error).message, balances: [] };
  }
  try {
    // The venue reads the balances as the exchange's profile says; the raw answer of that same call
    // carries the account's permissions (Binance: canTrade, canWithdraw).
    exchange.enableLastJsonResponse = true;
    const b = await venue.fetchBalance();
    const notes = permissionNotes(exchange.last_json_response, input.exchange);
    if (notes.refused) return { ok: false, outcome: 'refused', warnings: [], message: notes.refused, balances: [] };
    const balances = Object.entries(b)
      .filter(([, x]) => x.total > 0)
      .map(([currency, x]) => ({ currency, total: x.total, free: x.free }))
      .slice(0, 20);
    const outcome = notes.warnings.length ? 'warning' : 'passed';
    return { ok: true, outcome, warnings: notes.warnings, message: `${input.exchange} accepted the keys and read the balances (${balances.length} non-zero).`, balances };
  } catch (e) {
    return { ok: false, balances: [], warnings: [], ...classifyKeyCheckError(e, input.exchange) };
  } finally {
    await venue.close();
  }
}
