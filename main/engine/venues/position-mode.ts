/**
 * The account's position mode on a derivatives exchange: one-way (one position per market) or
 * hedge (a long and a short side per market, every order naming its side). Read through ccxt's
 * `fetchPositionMode` (Binance USDⓈ-M: `GET /fapi/v1/positionSide/dual`), where it exists.
 */
import type { Exchange } from 'ccxt';

export type PositionMode = 'oneway' | 'hedge';

/** The mode, or null where ccxt cannot read it for this exchange. */
export async function readPositionMode(ex: Exchange, symbol: string): Promise<PositionMode | null> {
  if ((ex.has as Record<string, unknown>).fetchPositionMode !== true) return null;
  const r = (await ex.fetchPositionMode(symbol)) as { hedged?: unknown };
  return r.hedged === true ? 'hedge' : 'oneway';
}

/** Kept this long: a user switching the mode in the exchange's app is seen within a minute. */
export const POSITION_MODE_TTL_MS = 60_000;
