/**
 * The arithmetic behind the semantics table (signals/semantics.ts): from a row's rule, the
 * strategy's current position and the alert's size, the target position; from the current and
 * target positions, the orders (entry, exit, reversal). Pure: sizing is done by the caller.
 */
import type { Rule } from '../signals/semantics.js';
import type { Signal } from '../signals/signal.js';

export type TargetResult = { ok: true; target: number; notes: string[] } | { ok: false; skip: true; code: string; message: string };

export interface TargetInput {
  rule: Exclude<Rule, { kind: 'cancel' } | { kind: 'invalid' }>;
  signal: Signal;
  /** The strategy's position on the market (signed, order units). */
  current: number;
  /** The alert's size in order units (its quantity, else the strategy's default), when the rule needs one. */
  size: () => Promise<number>;
  /** For `reduce`: how much of the position the quantity takes (a percent is of the position). */
  reduceBy: () => Promise<number>;
  who: string;
  symbol: string;
}

const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);

/** +1 when the action adds to a long / opens one, -1 for the short side. */
export function actionDirection(s: Signal, current: number): 1 | -1 {
  if (s.action === 'sell' || s.action === 'short') return -1;
  if (s.action === 'add') return current < 0 || (current === 0 && s.marketPosition === 'short') ? -1 : 1;
  return 1;
}

export async function targetFor(t: TargetInput): Promise<TargetResult> {
  const { rule, signal: s, current: c } = t;
  const ok = (target: number, notes: string[] = []): TargetResult => ({ ok: true, target, notes });
  const skip = (code: string, message: string): TargetResult => ({ ok: false, skip: true, code, message });
  const none = (what: string) => skip('nothing_to_close', `${t.who} has no ${what}position on ${t.symbol}: nothing to close. To trade anyway, send buy or sell with a quantity.`);
  switch (rule.kind) {
    case 'target':
      if (rule.from === 'position_size') return ok(s.targetPosition ?? 0);
      return ok(s.marketPosition === 'long' ? (s.marketPositionSize ?? 0) : s.marketPosition === 'short' ? -(s.marketPositionSize ?? 0) : 0);
    case 'flat':
      if (rule.only === 'long' && c <= 0) return none('long ');
      if (rule.only === 'short' && c >= 0) return none('short ');
      if (c === 0) return none('');
      return ok(0);
    case 'reduce': {
      if (rule.only === 'long' && c <= 0) return none('long ');
      if (rule.only === 'short' && c >= 0) return none('short ');
      if (c === 0) return none('');
      const by = await t.reduceBy();
      return ok(sign(c) * Math.max(Math.abs(c) - by, 0), by > Math.abs(c) ? [`asked to close ${round(by)} of a ${round(Math.abs(c))} position: closed all of it`] : []);
    }
    case 'toward': {
      const prev = s.prevMarketPosition;
      const ledgerSide = c > 0 ? 'long' : c < 0 ? 'short' : 'flat';
      const mpSign = s.marketPosition === 'long' ? 1 : -1;
      if (prev && prev !== ledgerSide && prev !== 'flat' && prev !== s.marketPosition) {
        // A TradingView reversal whose previous side the ledger does not hold (spot after a short,
        // a missed alert): its contracts cover a position that is not there. Where TradingView
        // ends up says it best; a reversal's contracts are the old and the new size together.
        const note = `TradingView's previous position was ${prev}, the strategy's ledger was ${ledgerSide} (${round(c)})`;
        if (s.targetPosition !== undefined) return ok(s.targetPosition, [`${note}: traded to position_size`]);
        if (s.marketPositionSize !== undefined) return ok(mpSign * s.marketPositionSize, [`${note}: traded to market_position_size`]);
        return ok((mpSign * (await t.size())) / 2, [`${note}: took half the reversal's contracts as the new position`]);
      }
      const raw = c + actionDirection(s, c) * (await t.size());
      const held = s.marketPosition === 'long' ? Math.max(raw, 0) : Math.min(raw, 0);
      const notes = held !== raw ? [`kept at ${round(held)}: TradingView says the strategy is ${s.marketPosition}`] : [];
      if (prev && prev !== ledgerSide) notes.push(`TradingView's previous position was ${prev}, the strategy's ledger was ${ledgerSide} (${round(c)})`);
      return ok(held, notes);
    }
    case 'side': {
      if (rule.side === 'long' && c > 0) return skip('at_target', `${t.who} is already long ${round(c)} on ${t.symbol}: nothing to trade; send add (or buy with market_position) to add to it.`);
      if (rule.side === 'short' && c < 0) return skip('at_target', `${t.who} is already short ${round(-c)} on ${t.symbol}: nothing to trade; send add (or buy with market_position) to add to it.`);
      const size = await t.size();
      return ok(rule.side === 'long' ? size : -size);
    }
    case 'delta': {
      const dir = actionDirection(s, c);
      // Without a quantity, a buy closes a short and a sell closes a long (the seed's sell).
      if (s.quantity === undefined && sign(c) === -dir) return ok(0);
      return ok(c + dir * (await t.size()));
    }
    case 'add':
      return ok(c + actionDirection(s, c) * (await t.size()));
  }
}

export interface Step {
  side: 'buy' | 'sell';
  amount: number;
  /** Reduces the position only (reduce-only on a derivative; on spot it sells coins the strategy holds). */
  reducing: boolean;
}

/**
 * The orders from `current` to `target`. Crossing zero on a derivative is one order that is not
 * reduce-only, or close + open when `split` (the new position gets its own stop-loss/take-profit).
 */
export function stepsTo(current: number, target: number, split: boolean): Step[] {
  // 0.001999 - 0.000999 is 0.000999999…: rounded down to the market's step it would lose a step.
  const diff = Number((target - current).toPrecision(12));
  const side = diff > 0 ? 'buy' : 'sell';
  if (current === 0 || (sign(target) === sign(current) && Math.abs(target) > Math.abs(current))) return [{ side, amount: Math.abs(diff), reducing: false }];
  if (target === 0 || sign(target) === sign(current)) return [{ side, amount: Math.abs(diff), reducing: true }];
  if (split) return [{ side, amount: Math.abs(current), reducing: true }, { side, amount: Math.abs(target), reducing: false }];
  return [{ side, amount: Math.abs(diff), reducing: false }];
}

function round(n: number): string {
  return String(Number(n.toPrecision(10)));
}
