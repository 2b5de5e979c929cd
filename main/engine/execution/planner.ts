/**
 * From a signal to the orders that carry it out, against the strategy's own position. What an
 * alert means is the semantics table's (signals/semantics.ts): its row gives the target position,
 * position-target.ts the orders from the current position to it.
 * - Sizes come from `quantity` / `contracts`, else the strategy's default size (10% of the free
 *   balance for a strategy not configured).
 * - On spot the strategy's position never goes below zero: a short target sells down to flat.
 * - cancel: the strategy's open orders on the market (its stop-loss/take-profit orders stay).
 * - legs: one limit order per leg, each its own intent.
 * Exits first cancel the strategy's protective orders on the market (on spot they lock the coins).
 * In hedge mode (`hedge`) the strategy's position is the sum of its long and short sides (it holds
 * one of them at a time): the orders are the same, each naming the side it moves (position-side.ts).
 */
import type { Intent, IntentParams } from '../journal/intents.js';
import type { LedgerPosition } from '../ledger/ledger.js';
import type { Venue, VenueBalances, VenueMarket } from '../core/ports.js';
import { semanticsFor } from '../signals/semantics.js';
import { type Parity } from '../core/parity.js';
import type { Quantity, Signal } from '../signals/signal.js';
import { fmtNum } from '../market/precision.js';
import { checkOrder } from './order-limits.js';
import { actionDirection, stepsTo, targetFor, type Step } from './position-target.js';
import { sideParams } from './position-side.js';
import { PROTECTIVE, protectionFor } from './protective.js';
import { sizeOrder } from './sizing.js';
import type { PlannedOrder } from '../journal/planned-order.js';

export type Plan =
  | {
      kind: 'orders';
      orders: PlannedOrder[];
      cancels: Intent[];
      notes: string[];
      /** The semantics row, and whether the orders were computed from the current position (the queue must keep such alerts in order). */
      row: string;
      dependsOnPosition: boolean;
    }
  | { kind: 'cancel'; cancels: Intent[] }
  | { kind: 'skip'; code: string; message: string }
  | { kind: 'reject'; code: string; message: string };

export interface PlanInput {
  signal: Signal;
  market: VenueMarket;
  venue: Venue;
  position: LedgerPosition;
  /** The strategy's open (or in-flight) orders on this market. */
  openOrders: Intent[];
  /** Reference price for market orders: the alert's price, else the venue's last price. */
  price: () => Promise<number>;
  balances: () => Promise<VenueBalances>;
  bufferPct: number;
  /** The strategy's default size, for alerts without a quantity. */
  defaultQuantity: Quantity;
  parity: Parity;
  /**
   * The account is in hedge mode (contracts): every order names the position side it opens or
   * closes, none is reduce-only, and crossing zero is always a close and an open.
   */
  hedge?: boolean;
}

type Leg = { price: number | null; step: Step; quantity: Quantity | null };

export async function planSignal(p: PlanInput): Promise<Plan> {
  const { signal, market: m, position } = p;
  const cs = m.contractSize && m.contractSize !== 1 ? m.contractSize : 1;
  const c = position.qty;
  const protective = p.openOrders.filter((o) => PROTECTIVE.includes(o.purpose));
  const row = semanticsFor(signal, { parity: p.parity });
  const rule = row.rule;
  const who = `Strategy "${signal.strategy}"`;
  const hedge = m.contract && p.hedge === true;

  if (rule.kind === 'cancel') {
    const cancels = p.openOrders.filter((o) => !PROTECTIVE.includes(o.purpose));
    if (cancels.length === 0) return skip('nothing_to_cancel', `${who} has no open orders on ${m.symbol}: nothing to cancel; cancel only cancels orders this strategy placed on this market, so check the alert's strategy and symbol.`);
    return { kind: 'cancel', cancels };
  }
  if (rule.kind === 'invalid') return reject('invalid_alert', rule.message);
  if (signal.orderType === 'limit' && !signal.legs && signal.price === undefined) {
    return reject('limit_needs_price', 'A limit order needs a price: add "price" to the alert.');
  }

  const notes: string[] = [];
  const sizeOf = async (q: Quantity, side: 'buy' | 'sell', ref: number): Promise<number> => {
    const sized = await sizeOrder({ quantity: q, side, price: ref, market: m, stopLoss: signal.stopLoss, balances: p.balances, bufferPct: p.bufferPct });
    if (!sized.ok) throw new PlanRefusal(sized.code, sized.message);
    if (sized.note) notes.push(sized.note);
    return sized.amount / cs;
  };
  // order_type stop / stop_limit: every order of the alert waits for stop_price (a reversal's two legs alike).
  const stop = !signal.legs && (signal.orderType === 'stop' || signal.orderType === 'stop_limit') ? signal.stopPrice : undefined;
  let legs: Leg[] = [];
  try {
    if (signal.legs) {
      // Scaled entries / exits: each leg its own limit order in the action's direction.
      const side = signal.action === 'sell' || signal.action === 'short' ? 'sell' : 'buy';
      const reducing = (side === 'sell' && (c > 0 || !m.contract)) || (side === 'buy' && c < 0);
      legs = signal.legs.map((l) => ({ price: l.price, quantity: l.quantity, step: { side, amount: 0, reducing } }));
    } else {
      const limit = signal.orderType === 'limit' || signal.orderType === 'stop_limit' ? (signal.price ?? null) : null;
      const ref = async () => limit ?? stop ?? (await p.price());
      const target = await targetFor({
        rule,
        signal,
        current: c,
        who,
        symbol: m.symbol,
        size: async () => sizeOf(signal.quantity ?? p.defaultQuantity, actionDirection(signal, c) > 0 ? 'buy' : 'sell', await ref()),
        reduceBy: async () => {
          const q = signal.quantity as Quantity;
          if (q.kind === 'percent') return (Math.abs(c) * q.value) / 100;
          if (q.kind === 'risk') throw new PlanRefusal('invalid_quantity', 'risk=…% sizes an entry, not a close: give an amount or a percent of the position.');
          return sizeOf(q, c > 0 ? 'sell' : 'buy', await ref());
        },
      });
      if (!target.ok) return skip(target.code, target.message);
      notes.push(...target.notes);
      let goal = target.target;
      if (!m.contract && goal < 0 && c <= 0 && rule.kind === 'delta' && signal.quantity) {
        // A plain spot sell with a quantity sells that many of the account's coins (README): the
        // strategy's position stays flat, it never goes short.
        legs = [{ price: limit, quantity: null, step: { side: 'sell', amount: c - goal, reducing: true } }];
      } else if (!m.contract && goal < 0) {
        if (c <= 0) {
          return skip('spot_no_short', `${m.symbol} is spot, which cannot be short, and ${who} holds no ${m.base} there: nothing to sell. To go short, trade a perpetual (e.g. ${m.base}${m.quote}.P).`);
        }
        notes.push(`sold down to flat: ${m.symbol} is spot, which cannot be short (TradingView's strategy is at ${fmtNum(goal)})`);
        goal = 0;
      }
      if (goal >= 0 || m.contract) {
        if (Math.abs(goal - c) <= Math.max(Math.abs(goal), Math.abs(c)) * 1e-9) {
          return skip('at_target', `${who} already holds ${fmtNum(c)} ${m.base} on ${m.symbol}, the target: nothing to trade; send another position_size, or an action with a quantity, to change it.`);
        }
        const split = signal.stopLoss !== undefined || signal.takeProfit !== undefined || signal.takeProfitLadder !== undefined || signal.trailingStop !== undefined;
        // Hedge mode: one order cannot close the long side and open the short one.
        legs = stepsTo(c, goal, split || hedge).map((step) => ({ price: limit, quantity: null, step }));
      }
    }
  } catch (e) {
    if (e instanceof PlanRefusal) return reject(e.code, e.message);
    throw e;
  }

  const orders: PlannedOrder[] = [];
  for (const [i, planned] of legs.entries()) {
    const leg = { ...planned, price: offsetLimit(planned.price, planned.step.side, signal) };
    const { step } = leg;
    if (leg.price !== null && !(leg.price > 0)) return reject('invalid_limit_offset', `limit_offset moves the ${step.side} limit to ${fmtNum(leg.price)}: send a smaller offset.`);
    const ref = leg.price ?? stop ?? (await p.price());
    let amount = step.amount;
    if (leg.quantity) {
      try {
        amount = await sizeOf(leg.quantity, step.side, ref);
      } catch (e) {
        if (e instanceof PlanRefusal) return reject(e.code, e.message);
        throw e;
      }
    }
    if (step.reducing && !m.contract) {
      // Never try to sell more of the coin than the account holds (fees, manual trades).
      const free = (await p.balances())[m.base]?.free ?? 0;
      const locked = protective.reduce((s, o) => s + o.amount, 0);
      amount = Math.min(amount, free + locked);
    }
    const checked = checkOrder(p.venue, m, amount, leg.price, ref);
    if (!checked.ok) return reject(checked.code, checked.message);
    let params: IntentParams = sideParams(hedge, step.side, step.reducing, m.contract);
    if (leg.price !== null && signal.timeInForce !== undefined) params.timeInForce = signal.timeInForce;
    if (!step.reducing) {
      const prot = protectionFor(signal, step.side, checked.price ?? ref, m, p.venue);
      if (!prot.ok) return reject(prot.code, prot.message);
      params = { ...params, ...prot.params };
      notes.push(...prot.notes);
    }
    orders.push({
      leg: i,
      purpose: step.reducing ? 'exit' : 'entry',
      side: step.side,
      type: stop !== undefined ? (leg.price === null ? 'stop_loss' : 'stop_limit') : leg.price === null ? 'market' : 'limit',
      amount: checked.amount,
      price: checked.price,
      triggerPrice: stop !== undefined ? p.venue.priceToPrecision(m.symbol, stop) : null,
      params,
    });
  }
  // A reversal's or an exit's old stop-loss/take-profit belong to the position being closed.
  const closes = c !== 0 && orders.some((o) => (o.side === 'sell') === c > 0);
  return { kind: 'orders', orders, cancels: closes ? protective : [], notes: [...new Set(notes)], row: row.id, dependsOnPosition: row.dependsOnPosition };
}

class PlanRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function skip(code: string, message: string): Plan {
  return { kind: 'skip', code, message };
}

function reject(code: string, message: string): Plan {
  return { kind: 'reject', code, message };
}

/** `limit_offset` on a limit order: its price moved towards the maker side of the book (a buy lower, a sell higher). */
function offsetLimit(price: number | null, side: 'buy' | 'sell', s: Signal): number | null {
  const o = s.limitOffset;
  if (price === null || !o || s.orderType !== 'limit' || s.legs) return price;
  const by = 'percent' in o ? (price * o.percent) / 100 : o.amount;
  return side === 'buy' ? price - by : price + by;
}
