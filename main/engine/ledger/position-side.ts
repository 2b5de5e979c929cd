/**
 * Hedge mode's one rule of sides: an account in hedge mode holds a long and a short position per
 * market, and an order names the one it moves. A buy opens or adds to the long side and a sell
 * closes it; a sell opens or adds to the short side and a buy closes it.
 */
import type { PositionSide } from '../core/ports.js';

/** The side an order moves: a buy that opens is long, a sell that opens is short; a closing order moves the other one. */
export function positionSideOf(side: 'buy' | 'sell', closing: boolean): PositionSide {
  return (side === 'buy') !== closing ? 'long' : 'short';
}
