/**
 * Which exchanges have a dead man's switch Pinebridge can arm over REST, and how it is called.
 * Binance USDⓈ-M: `POST /fapi/v1/countdownCancelAll` {symbol, countdownTime ms}, per symbol,
 * renewed by calling it again; at the end of the countdown *every* open order of the symbol is
 * cancelled (Binance does not exempt conditional orders), so it is only armed on a symbol with
 * no stop-loss / take-profit open. Not armed elsewhere: Binance spot has none; Bybit's
 * disconnect-cancel (`/v5/order/disconnected-cancel-all`) fires when a private websocket drops,
 * and Pinebridge speaks REST only; OKX's `cancel-all-after` is account-wide (it would need every
 * symbol free of protective orders): not wired yet.
 */
import type { Exchange } from 'ccxt';

/** Whether Pinebridge arms a per-symbol countdown on this ccxt exchange id. */
export function hasCountdownCancel(exchangeId: string): boolean {
  return exchangeId === 'binanceusdm';
}

/** Arms (ms > 0), renews, or with 0 stops the countdown of one market (unified symbol). */
export async function armCountdown(ex: Exchange, exchangeId: string, symbol: string, ms: number): Promise<void> {
  if (!hasCountdownCancel(exchangeId)) throw new Error(`${exchangeId} has no per-symbol countdown cancel that Pinebridge arms`);
  const market = ex.market(symbol);
  const call = (ex as unknown as { fapiPrivatePostCountdownCancelAll: (p: Record<string, unknown>) => Promise<unknown> }).fapiPrivatePostCountdownCancelAll;
  await call.call(ex, { symbol: market.id, countdownTime: Math.round(ms) });
}
