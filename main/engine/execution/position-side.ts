/**
 * Hedge mode's order parameters. An account in hedge mode holds a long and a short position per
 * market; every order names the one it moves (`positionSide`) and carries no reduce-only flag
 * (Binance refuses it beside a position side, -1106): a sell of the long side or a buy of the
 * short side closes it. In one-way mode a closing order is reduce-only, as before.
 */
import type { IntentParams } from '../journal/intents.js';
import type { PositionSide } from '../core/ports.js';
import { positionSideOf } from '../ledger/position-side.js';

/** The params that make an order open or close as planned: the position side in hedge mode, reduce-only otherwise (contracts). */
export function sideParams(hedge: boolean, side: 'buy' | 'sell', reducing: boolean, contract: boolean): IntentParams {
  if (!contract) return {};
  if (hedge) return { positionSide: positionSideOf(side, reducing) };
  return reducing ? { reduceOnly: true } : {};
}

/** A protective order (stop, take-profit, trailing) closes what its entry opened: the entry's side in hedge mode, reduce-only otherwise. */
export function closingParams(entry: IntentParams): IntentParams {
  return entry.positionSide ? { positionSide: entry.positionSide } : { reduceOnly: true };
}

/** Whether an order only closes: reduce-only, or in hedge mode a sell of the long side / a buy of the short side. */
export function onlyCloses(side: 'buy' | 'sell', params: IntentParams): boolean {
  if (params.positionSide) return positionSideOf(side, true) === params.positionSide;
  return params.reduceOnly === true;
}

/** The ledger's row of an order's fills: `long` / `short` in hedge mode, `net` otherwise. */
export function ledgerSideOf(params: IntentParams): 'net' | PositionSide {
  return params.positionSide ?? 'net';
}
