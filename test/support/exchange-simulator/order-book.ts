/**
 * What the spot and futures engines share: the markets and last prices they trade, the orders and
 * trades they book, and Binance's lookups over them (find, cancel, open orders). Each engine adds
 * its own matching and accounting.
 */
import { randomBytes } from 'node:crypto';
import { type Dec, ZERO } from './decimal.js';
import { type BinanceError, errors } from './errors.js';
import type { OrderSide } from './types.js';

/** The fields every booked order has, spot or futures. */
export interface BookOrder {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  status: string;
  price: Dec;
  origQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  time: number;
  updateTime: number;
}

/** The fields every trade has, spot or futures. */
export interface BookTrade {
  id: number;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: OrderSide;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  time: number;
}

/** What either engine is built from: its markets, starting prices and balances, fees, first order id, clock. */
export interface EngineOptionsBase<M> {
  markets: M[];
  prices: Record<string, Dec>;
  balances: Record<string, Dec>;
  takerFee: Dec;
  makerFee: Dec;
  firstOrderId: number;
  now: () => number;
}

/** The order fields the book fills in itself: the next id, NEW, nothing executed yet, the times. */
type BookedFields = 'orderId' | 'status' | 'executedQty' | 'cumQuote' | 'time' | 'updateTime';

/** One execution: quantity, price, its quote value and the fee, at `now`. */
export interface Execution {
  qty: Dec;
  price: Dec;
  quote: Dec;
  commission: Dec;
  commissionAsset: string;
  now: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 22-character id, like the ones Binance generates. */
export function randomClientId(): string {
  return [...randomBytes(22)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** NEW or PARTIALLY_FILLED: the order can still fill or be cancelled. */
export const isOpenOrder = (o: Pick<BookOrder, 'status'>): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';

/** Whether `price` reaches a limit: at or below it for a buy, at or above it for a sell. */
export const reachesLimit = (side: OrderSide, limit: Dec, price: Dec): boolean => (side === 'BUY' ? price <= limit : price >= limit);

export abstract class OrderBook<M extends { symbol: string; status: string }, O extends BookOrder, T extends BookTrade> {
  readonly orders: O[] = [];
  readonly trades: T[] = [];
  protected readonly markets = new Map<string, M>();
  protected readonly prices = new Map<string, Dec>();
  private nextOrderId: number;
  private nextTradeId = 1;

  /** `priceName` names the price in the "none set" error ("price", "futures price"). */
  constructor(markets: readonly M[], prices: Record<string, Dec>, firstOrderId: number, private readonly priceName: string) {
    for (const m of markets) this.markets.set(m.symbol, m);
    for (const [s, p] of Object.entries(prices)) this.prices.set(s, p);
    this.nextOrderId = firstOrderId;
  }

  /** Ends an order with a final status (each engine settles what the order still holds). */
  protected abstract finish(order: O, status: 'CANCELED'): void;

  marketList(): M[] {
    return [...this.markets.values()];
  }

  market(symbol: string | undefined): M {
    const m = symbol === undefined ? undefined : this.markets.get(symbol);
    if (!m) throw errors.invalidSymbol();
    return m;
  }

  price(symbol: string): Dec {
    const p = this.prices.get(symbol);
    if (p === undefined) throw new Error(`simulator: no ${this.priceName} set for ${symbol}`);
    return p;
  }

  /** Sets the last price of a listed symbol. */
  protected setLast(symbol: string, price: Dec): void {
    this.market(symbol);
    this.prices.set(symbol, price);
  }

  /**
   * The checks a new order starts with, refused with the engine's own errors: a listed symbol that
   * is trading, and a client order id (given or generated) that no open order of it has.
   */
  protected admit(
    req: { symbol: string; newClientOrderId?: string | undefined },
    refuse: { closed: () => BinanceError; duplicate: () => BinanceError },
  ): { m: M; clientOrderId: string; last: Dec } {
    const m = this.market(req.symbol);
    if (m.status !== 'TRADING') throw refuse.closed();
    const clientOrderId = req.newClientOrderId ?? randomClientId();
    if (this.orders.some((o) => o.symbol === m.symbol && o.clientOrderId === clientOrderId && isOpenOrder(o))) throw refuse.duplicate();
    return { m, clientOrderId, last: this.price(m.symbol) };
  }

  /** Books a new order under the next order id: NEW, nothing executed, placed `now`. */
  protected addOrder(fields: Omit<O, BookedFields>, now: number): O {
    const order = { orderId: this.nextOrderId++, ...fields, status: 'NEW', executedQty: ZERO, cumQuote: ZERO, time: now, updateTime: now } as O;
    this.orders.push(order);
    return order;
  }

  /** Books an execution of the order: a trade under the next trade id, and what the order has executed. */
  protected recordFill(order: O, x: Execution, extra: Omit<T, keyof BookTrade>): T {
    const trade = {
      id: this.nextTradeId++,
      symbol: order.symbol,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      side: order.side,
      price: x.price,
      qty: x.qty,
      quoteQty: x.quote,
      commission: x.commission,
      commissionAsset: x.commissionAsset,
      ...extra,
      time: x.now,
    } as T;
    this.trades.push(trade);
    order.executedQty += x.qty;
    order.cumQuote += x.quote;
    order.updateTime = x.now;
    return trade;
  }

  /** Any order by its id. */
  byId(orderId: number): O | undefined {
    return this.orders.find((x) => x.orderId === orderId);
  }

  /** Looks an order up as GET order does: by orderId, or the most recent one with origClientOrderId. */
  find(symbol: string, orderId?: number, origClientOrderId?: string): O | undefined {
    if (orderId !== undefined) {
      const o = this.orders.find((x) => x.symbol === symbol && x.orderId === orderId);
      if (o && origClientOrderId !== undefined && o.clientOrderId !== origClientOrderId) return undefined;
      return o;
    }
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i];
      if (o && o.symbol === symbol && o.clientOrderId === origClientOrderId) return o;
    }
    return undefined;
  }

  cancel(symbol: string, orderId?: number, origClientOrderId?: string): O {
    this.market(symbol);
    const order = this.find(symbol, orderId, origClientOrderId);
    if (!order || !isOpenOrder(order)) throw errors.unknownOrder();
    this.finish(order, 'CANCELED');
    return order;
  }

  openOrders(symbol?: string): O[] {
    return this.orders.filter((o) => isOpenOrder(o) && (symbol === undefined || o.symbol === symbol));
  }
}
