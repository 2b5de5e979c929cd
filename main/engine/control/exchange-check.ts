/**
 * One read-only call with a set of exchange keys (fetch balance), through the real ccxt client
 * built exactly as the venue builds it (testnet sandbox, base-URL override, spot-only options).
 */
import type { ApiCredentials } from '../core/ports.js';
import type { KeyCheckOutcome } from '../../../shared/dto/accounts.js';
import { createExchange } from '../venues/ccxt-setup.js';
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
  let exchange: Awaited<ReturnType<typeof createExchange>>;
  try {
    exchange = await createExchange({
      exchangeId: input.exchange,
      mode: input.testnet ? 'testnet' : 'live',
      credentials: input.credentials,
      exchangeUrl: input.exchangeUrl,
      timeoutMs: input.timeoutMs ?? 10_000,
    });
  } catch (e) {
    return { ok: false, outcome: 'error', warnings: [], message: (e as Error).message, balances: [] };
  }
  try {
    const b = (await exchange.fetchBalance()) as unknown as { info?: unknown; free?: Record<string, number | undefined>; total?: Record<string, number | undefined> };
    const notes = permissionNotes(b.info, input.exchange);
    if (notes.refused) return { ok: false, outcome: 'refused', warnings: [], message: notes.refused, balances: [] };
    const balances = Object.entries(b.total ?? {})
      .filter(([, t]) => typeof t === 'number' && t > 0)
      .map(([currency, total]) => ({ currency, total: total ?? 0, free: b.free?.[currency] ?? 0 }))
      .slice(0, 20);
    const outcome = notes.warnings.length ? 'warning' : 'passed';
    return { ok: true, outcome, warnings: notes.warnings, message: `${input.exchange} accepted the keys and read the balances (${balances.length} non-zero).`, balances };
  } catch (e) {
    return { ok: false, balances: [], warnings: [], ...classifyKeyCheckError(e, input.exchange) };
  }
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
