/**
 * From a signal to the orders that carry it out, against the strategy's own position:
 * - buy / sell: sized from `quantity`. Without one (the seed's alerts send none), a buy spends
 *   100% of the available quote balance and a sell closes the strategy's long position.
 * - close / close_long / close_short: the strategy's position (from the ledger), nothing else.
 * - cancel: the strategy's open orders on the market (its stop-loss/take-profit orders stay).
 * - target position (`position` = {{strategy.position_size}}): trades the difference.
 * - legs: one limit order per leg, each its own intent.
 * Exits first cancel the strategy's protective orders on the market (on spot they lock the coins).
 */
import type { Intent, IntentParams } from '../journal/intents.js';
import type { LedgerPosition } from '../positions/ledger.js';
import type { Venue, VenueBalances, VenueMarket } from '../ports.js';
import type { Quantity, Signal } from '../signals/signal.js';
import { fmtNum } from '../venues/precision.js';
import { checkOrder } from './order-limits.js';
import { PROTECTIVE, protectionFor } from './protective.js';
import { sizeOrder } from './sizing.js';

export interface PlannedOrder {
  leg: number;
  purpose: 'entry' | 'exit';
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: number;
  price: number | null;
  params: IntentParams;
}

export type Plan =
  | { kind: 'orders'; orders: PlannedOrder[]; cancels: Intent[]; notes: string[] }
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
}

type Want = { side: 'buy' | 'sell'; quantity: Quantity | null; amount: number | null; reducing: boolean };

export async function planSignal(p: PlanInput): Promise<Plan> {
  const { signal, market: m, position } = p;
  const qty = position.qty;
  const protective = p.openOrders.filter((o) => PROTECTIVE.includes(o.purpose));

  if (signal.action === 'cancel') {
    const cancels = p.openOrders.filter((o) => !PROTECTIVE.includes(o.purpose));
    if (cancels.length === 0) return skip('nothing_to_cancel', `Strategy "${signal.strategy}" has no open orders on ${m.symbol}.`);
    return { kind: 'cancel', cancels };
  }

  const want = decide(p, qty);
  if ('kind' in want) return want;
  if (!m.contract && want.side === 'sell' && !want.reducing && signal.targetPosition !== undefined) {
    return reject('spot_short', `${m.symbol} is a spot market: a target position below zero (${fmtNum(signal.targetPosition)}) would need a short.`);
  }

  const legs = signal.legs?.map((l) => ({ price: l.price as number | null, quantity: l.quantity as Quantity | null, amount: null as number | null })) ?? [
    { price: signal.orderType === 'limit' ? (signal.price ?? null) : null, quantity: want.quantity, amount: want.amount },
  ];
  if (signal.orderType === 'limit' && legs.some((l) => l.price === null)) {
    return reject('limit_needs_price', 'A limit order needs a price: add "price" to the alert.');
  }

  const orders: PlannedOrder[] = [];
  const notes: string[] = [];
  for (const [i, leg] of legs.entries()) {
    const ref = leg.price ?? (await p.price());
    let amount = leg.amount;
    if (amount === null && leg.quantity) {
      const sized = await sizeOrder({ quantity: leg.quantity, side: want.side, price: ref, market: m, stopLoss: signal.stopLoss, balances: p.balances, bufferPct: p.bufferPct });
      if (!sized.ok) return reject(sized.code, sized.message);
      if (sized.note) notes.push(sized.note);
      amount = sized.amount;
    }
    if (amount === null) return reject('no_quantity', 'No quantity to trade.');
    if (m.contractSize && m.contractSize !== 1) amount /= m.contractSize;
    if (want.reducing && !m.contract && want.quantity === null) {
      // Never try to sell more of the coin than the account holds (fees, manual trades).
      const free = (await p.balances())[m.base]?.free ?? 0;
      const locked = protective.reduce((s, o) => s + o.amount, 0);
      amount = Math.min(amount, free + locked);
    }
    const checked = checkOrder(p.venue, m, amount, leg.price, ref);
    if (!checked.ok) return reject(checked.code, checked.message);
    let params: IntentParams = want.reducing && m.contract ? { reduceOnly: true } : {};
    if (!want.reducing) {
      const prot = protectionFor(signal, want.side, checked.price ?? ref, m, p.venue);
      if (!prot.ok) return reject(prot.code, prot.message);
      params = { ...params, ...prot.params };
      notes.push(...prot.notes);
    }
    orders.push({
      leg: i,
      purpose: want.reducing ? 'exit' : 'entry',
      side: want.side,
      type: leg.price === null ? 'market' : 'limit',
      amount: checked.amount,
      price: checked.price,
      params,
    });
  }
  return { kind: 'orders', orders, cancels: want.reducing ? protective : [], notes: [...new Set(notes)] };
}

function decide(p: PlanInput, qty: number): Want | Plan {
  const s = p.signal;
  const m = p.market;
  const who = `Strategy "${s.strategy}"`;
  if (s.targetPosition !== undefined && s.action === undefined) {
    const diff = s.targetPosition - qty;
    if (Math.abs(diff) <= Math.abs(s.targetPosition) * 1e-9 || diff === 0) {
      return skip('at_target', `${who} already holds ${fmtNum(qty)} ${m.base} on ${m.symbol}: nothing to trade.`);
    }
    const side = diff > 0 ? 'buy' : 'sell';
    const reducing = qty !== 0 && Math.sign(diff) !== Math.sign(qty) && Math.abs(diff) <= Math.abs(qty);
    return { side, quantity: null, amount: Math.abs(diff), reducing };
  }
  switch (s.action) {
    case 'buy':
      if (s.quantity || s.legs) return { side: 'buy', quantity: s.quantity ?? null, amount: null, reducing: qty < 0 };
      return { side: 'buy', quantity: { kind: 'percent', value: 100 }, amount: null, reducing: false };
    case 'sell':
      // On spot a sell can only ever reduce: it sells coins, it never opens a short.
      if (s.quantity || s.legs) return { side: 'sell', quantity: s.quantity ?? null, amount: null, reducing: qty > 0 || !m.contract };
      if (qty > 0) return { side: 'sell', quantity: null, amount: qty, reducing: true };
      return skip('nothing_to_sell', `${who} holds no ${m.base} on ${m.symbol}: a sell without a quantity closes the strategy's position, and there is none.`);
    case 'close':
      if (qty === 0) return skip('nothing_to_close', `${who} has no position on ${m.symbol}: nothing to close.`);
      return { side: qty > 0 ? 'sell' : 'buy', quantity: null, amount: Math.abs(qty), reducing: true };
    case 'close_long':
      if (qty <= 0) return skip('nothing_to_close', `${who} has no long position on ${m.symbol}: nothing to close.`);
      return { side: 'sell', quantity: null, amount: qty, reducing: true };
    case 'close_short':
      if (qty >= 0) return skip('nothing_to_close', `${who} has no short position on ${m.symbol}: nothing to close.`);
      return { side: 'buy', quantity: null, amount: -qty, reducing: true };
    default:
      return reject('no_action', 'The alert has neither an action nor a target position.');
  }
}

function skip(code: string, message: string): Plan {
  return { kind: 'skip', code, message };
}

function reject(code: string, message: string): Plan {
  return { kind: 'reject', code, message };
}
