/**
 * Order book & matching: orders, fills, balance locks, stop triggers. One account, one last price
 * per symbol; market orders fill at that price, resting limit orders fill when setPrice crosses them.
 */
import { randomBytes } from 'node:crypto';
import { type Dec, div, floorToStep, mul, ZERO } from './decimal.js';
import { errors } from './errors.js';
import { Ledger } from './ledger.js';
import { checkLotSize, checkNotional, checkPriceFilter, type Market } from './markets.js';
import type { OrderSide, OrderStatus, OrderType } from './types.js';

export interface Order {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: string;
  status: OrderStatus;
  price: Dec;
  stopPrice: Dec;
  origQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  origQuoteOrderQty: Dec;
  isWorking: boolean;
  time: number;
  updateTime: number;
  workingTime: number;
  orderListId: number;
  lockAsset: string;
  lockRemaining: Dec;
}

export interface Trade {
  id: number;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  orderListId: number;
  side: OrderSide;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  commissionAsset: string;
  isMaker: boolean;
  time: number;
}

export interface PlaceRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce?: string;
  quantity?: Dec;
  quoteOrderQty?: Dec;
  price?: Dec;
  stopPrice?: Dec;
  newClientOrderId?: string;
}

export interface EngineOptions {
  markets: Market[];
  balances: Record<string, Dec>;
  prices: Record<string, Dec>;
  takerFee: Dec;
  makerFee: Dec;
  firstOrderId: number;
  now: () => number;
}

const OPEN: ReadonlySet<OrderStatus> = new Set(['NEW', 'PARTIALLY_FILLED']);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 22-character id, like the ones Binance generates. */
export function randomClientId(): string {
  return [...randomBytes(22)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

export const isOpen = (o: Order): boolean => OPEN.has(o.status);
const isStop = (t: OrderType): boolean => t.startsWith('STOP_LOSS') || t.startsWith('TAKE_PROFIT');
const hasLimitPrice = (t: OrderType): boolean => t === 'LIMIT' || t === 'LIMIT_MAKER' || t.endsWith('_LIMIT');

/** Binance's trigger rule for stop-loss / take-profit orders at the given last price. */
function triggers(o: Pick<Order, 'type' | 'side' | 'stopPrice'>, last: Dec): boolean {
  const stopLoss = o.type.startsWith('STOP_LOSS');
  const up = (stopLoss && o.side === 'BUY') || (!stopLoss && o.side === 'SELL');
  return up ? last >= o.stopPrice : last <= o.stopPrice;
}

export class Engine {
  readonly ledger: Ledger;
  readonly orders: Order[] = [];
  readonly trades: Trade[] = [];
  private readonly markets = new Map<string, Market>();
  private readonly prices = new Map<string, Dec>();
  private nextOrderId: number;
  private nextTradeId = 1;

  constructor(private readonly opts: EngineOptions) {
    for (const m of opts.markets) this.markets.set(m.symbol, m);
    for (const [s, p] of Object.entries(opts.prices)) this.prices.set(s, p);
    this.ledger = new Ledger(opts.balances);
    this.nextOrderId = opts.firstOrderId;
  }

  marketList(): Market[] {
    return [...this.markets.values()];
  }

  market(symbol: string | undefined): Market {
    const m = symbol === undefined ? undefined : this.markets.get(symbol);
    if (!m) throw errors.invalidSymbol();
    return m;
  }

  price(symbol: string): Dec {
    const p = this.prices.get(symbol);
    if (p === undefined) throw new Error(`simulator: no price set for ${symbol}`);
    return p;
  }

  place(req: PlaceRequest): { order: Order; fills: Trade[] } {
    const m = this.market(req.symbol);
    if (m.status !== 'TRADING') throw errors.marketClosed();
    const clientOrderId = req.newClientOrderId ?? randomClientId();
    if (this.orders.some((o) => o.symbol === m.symbol && o.clientOrderId === clientOrderId && isOpen(o))) throw errors.duplicateOrder();
    const last = this.price(m.symbol);
    const limit = hasLimitPrice(req.type) ? (req.price ?? ZERO) : ZERO;
    const stop = isStop(req.type) ? (req.stopPrice ?? ZERO) : ZERO;
    if (hasLimitPrice(req.type)) checkPriceFilter(m, limit);
    if (isStop(req.type)) checkPriceFilter(m, stop);
    let qty = req.quantity ?? ZERO;
    if (req.type === 'MARKET' && req.quoteOrderQty !== undefined) {
      qty = floorToStep(div(req.quoteOrderQty, last), m.stepSize);
    }
    checkLotSize(m, qty);
    const refPrice = limit > ZERO ? limit : stop > ZERO ? stop : last;
    checkNotional(m, refPrice, qty, req.type === 'MARKET' || req.type === 'STOP_LOSS' || req.type === 'TAKE_PROFIT');
    if (isStop(req.type) && triggers({ type: req.type, side: req.side, stopPrice: stop }, last)) throw errors.wouldTriggerImmediately();
    if (req.type === 'LIMIT_MAKER' && (req.side === 'BUY' ? last <= limit : last >= limit)) throw errors.wouldMatchAndTake();
    const lockAsset = req.side === 'BUY' ? m.quoteAsset : m.baseAsset;
    const lockAmount = req.side === 'BUY' ? mul(refPrice, qty) : qty;
    this.ledger.lock(lockAsset, lockAmount);
    const now = this.opts.now();
    const order: Order = {
      orderId: this.nextOrderId++,
      symbol: m.symbol,
      clientOrderId,
      side: req.side,
      type: req.type,
      timeInForce: req.type === 'MARKET' || req.type === 'LIMIT_MAKER' || req.type === 'STOP_LOSS' || req.type === 'TAKE_PROFIT' ? 'GTC' : (req.timeInForce ?? 'GTC'),
      status: 'NEW',
      price: limit,
      stopPrice: stop,
      origQty: qty,
      executedQty: ZERO,
      cumQuote: ZERO,
      origQuoteOrderQty: req.type === 'MARKET' ? (req.quoteOrderQty ?? ZERO) : ZERO,
      isWorking: !isStop(req.type),
      time: now,
      updateTime: now,
      workingTime: isStop(req.type) ? -1 : now,
      orderListId: -1,
      lockAsset,
      lockRemaining: lockAmount,
    };
    this.orders.push(order);
    const fills = this.matchOnArrival(order, last);
    return { order, fills };
  }

  /** A working order meeting the book for the first time: taker fill at the last price, or rest / expire. */
  private matchOnArrival(order: Order, last: Dec): Trade[] {
    if (!order.isWorking) return [];
    if (order.type === 'MARKET' || order.type === 'STOP_LOSS' || order.type === 'TAKE_PROFIT') {
      return [this.fill(order, order.origQty, last, false)];
    }
    const crosses = order.side === 'BUY' ? last <= order.price : last >= order.price;
    if (crosses) return [this.fill(order, order.origQty, last, false)];
    if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') this.finish(order, 'EXPIRED');
    return [];
  }

  /** Executes qty of the order at price: moves the money, books the fee in the received asset. */
  fill(order: Order, qty: Dec, price: Dec, isMaker: boolean): Trade {
    const m = this.market(order.symbol);
    const quote = mul(price, qty);
    const rate = isMaker ? this.opts.makerFee : this.opts.takerFee;
    const paid = order.side === 'BUY' ? quote : qty;
    const received = order.side === 'BUY' ? qty : quote;
    const receivedAsset = order.side === 'BUY' ? m.baseAsset : m.quoteAsset;
    const commission = mul(received, rate);
    const fromLock = paid <= order.lockRemaining ? paid : order.lockRemaining;
    this.ledger.spendLocked(order.lockAsset, fromLock);
    order.lockRemaining -= fromLock;
    if (paid > fromLock) {
      // Filled at a worse price than locked for (a triggered stop-market buy): the rest comes from free.
      this.ledger.debitFree(order.lockAsset, paid - fromLock);
    }
    this.ledger.credit(receivedAsset, received - commission);
    const now = this.opts.now();
    const trade: Trade = {
      id: this.nextTradeId++,
      symbol: order.symbol,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      orderListId: order.orderListId,
      side: order.side,
      price,
      qty,
      quoteQty: quote,
      commission,
      commissionAsset: receivedAsset,
      isMaker,
      time: now,
    };
    this.trades.push(trade);
    order.executedQty += qty;
    order.cumQuote += quote;
    order.updateTime = now;
    if (order.executedQty >= order.origQty) this.finish(order, 'FILLED');
    else order.status = 'PARTIALLY_FILLED';
    return trade;
  }

  /** Ends an order: final status and the rest of its lock back to free. */
  private finish(order: Order, status: OrderStatus): void {
    order.status = status;
    order.updateTime = this.opts.now();
    this.ledger.unlock(order.lockAsset, order.lockRemaining);
    order.lockRemaining = ZERO;
  }

  /** New last price: triggers stops, then fills working limit orders it crosses (oldest first). */
  setPrice(symbol: string, price: Dec): Trade[] {
    this.market(symbol);
    this.prices.set(symbol, price);
    const fills: Trade[] = [];
    for (const order of this.orders) {
      if (order.symbol !== symbol || !isOpen(order)) continue;
      if (!order.isWorking) {
        if (!triggers(order, price)) continue;
        order.isWorking = true;
        order.workingTime = this.opts.now();
        order.updateTime = order.workingTime;
        fills.push(...this.matchOnArrival(order, price));
        continue;
      }
      if (order.type === 'MARKET') continue;
      const crosses = order.side === 'BUY' ? price <= order.price : price >= order.price;
      if (crosses) fills.push(this.fill(order, order.origQty - order.executedQty, order.price, true));
    }
    return fills;
  }

  /** Looks an order up as GET /api/v3/order does: by orderId, or the most recent one with origClientOrderId. */
  find(symbol: string, orderId?: number, origClientOrderId?: string): Order | undefined {
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

  cancel(symbol: string, orderId?: number, origClientOrderId?: string): Order {
    this.market(symbol);
    const order = this.find(symbol, orderId, origClientOrderId);
    if (!order || !isOpen(order)) throw errors.unknownOrder();
    this.finish(order, 'CANCELED');
    return order;
  }

  openOrders(symbol?: string): Order[] {
    return this.orders.filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol));
  }
}
