/**
 * Which alerts may go out while the orders before them on their market still await the
 * exchange's answer (pipelined), and which must wait for those answers (strictly one at a time):
 * an alert whose size or side comes from the strategy's position needs the fills before it.
 */
import type { VenueMarket } from '../core/ports.js';
import type { Signal } from '../signals/signal.js';

/**
 * Whether the alert's orders are computed from the strategy's position or balance (the previous
 * fills): a target position or TradingView's market position (the semantics table trades to
 * them), a close/exit, a sell (on spot it sells at most what the strategy holds, down to flat; on
 * a derivative it may reverse), percent or risk sizing, or no quantity at all (a buy spends the
 * balance). Extend it when the planner reads more.
 */
export function dependsOnPosition(signal: Signal): boolean {
  if (signal.targetPosition !== undefined) return true;
  if (signal.marketPosition !== undefined || signal.prevMarketPosition !== undefined || signal.marketPositionSize !== undefined) return true;
  if (signal.action !== 'buy') return true;
  const q = signal.quantity;
  return !q || q.kind === 'percent' || q.kind === 'risk';
}

/** Whether the alert's order may be sent as soon as its intent is durable, behind unanswered ones. */
export function canPipeline(signal: Signal, market: VenueMarket): boolean {
  if (dependsOnPosition(signal)) return false;
  // Limit orders rest on the book, and later alerts track and cancel them: one at a time.
  if (signal.orderType !== 'market' || signal.legs) return false;
  // Protective orders are placed after the fill: a later exit must find them to cancel them.
  if (signal.stopLoss || signal.takeProfit || signal.takeProfitLadder || signal.trailingStop) return false;
  // On a contract market even a fixed-size order reads the ledger: whether it reduces the
  // position (reduceOnly, no protection) depends on the position's side.
  return !market.contract;
}
