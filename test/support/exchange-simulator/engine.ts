/**
 * Order book & matching: orders, fills, balance locks, stop triggers. One account, one last price
 * per symbol; market orders fill at that price, resting limit orders fill when setPrice crosses them.
 */
import { type Dec, div, floorToStep, mul, ZERO } from './decimal.js';
import { errors } from './errors.js';
import { Ledger } from './ledger.js';
import { checkLotSize, checkNotional, checkPriceFilter, type Market } from './markets.js';
import { type BookOrder, type BookTrade, type EngineOptionsBase, isOpenOrder, OrderBook, reachesLimit } from './order-book.js';
import type { OrderSide, OrderStatus, OrderType } from './types.js';
import { checkOcoPrices, type OcoRequest, type OrderList } from './order-list.js';

export interface Order extends BookOrder {
  type: OrderType;
  timeInForce: string;
  status: OrderStatus;
  stopPrice: Dec;
  origQuoteOrderQty: Dec;
  isWorking: boolean;
  workingTime: number;
  orderListId: number;
  lockAsset: string;
  lockRemaining: Dec;
}

export interface Trade extends BookTrade {
  orderListId: number;
  isMaker: boolean;
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

export type EngineOptions = EngineOptionsBase<Market>;

const isStop = (t: OrderType): boolean => t.startsWith('STOP_LOSS') || t.startsWith('TAKE_PROFIT');
const hasLimitPrice = (t: OrderType): boolean => t === 'LIMIT' || t === 'LIMIT_MAKER' || t.endsWith('_LIMIT');

/** Binance's trigger rule for stop-loss / take-profit orders at the given last price. */
function triggers(o: Pick<Order, 'type' | 'side' | 'stopPrice'>, last: Dec): boolean {
  const stopLoss = o.type.startsWith('STOP_LOSS');
  const up = (stopLoss && o.side === 'BUY') || (!stopLoss && o.side === 'SELL');
  return up ? last >= o.stopPrice : last <= o.stopPrice;
}

export class Engine extends OrderBook<Market, Order, Trade> {
  readonly ledger: Ledger;
  readonly orderLists: OrderList[] = [];

  constructor(private readonly opts: EngineOptions) {
    super(opts.markets, opts.prices, opts.firstOrderId, 'price');
    this.ledger = new Ledger(opts.balances);
  }

  place(req: PlaceRequest): { order: Order; fills: Trade[] } {
    const { m, clientOrderId, last } = this.admit(req, { closed: errors.marketClosed, duplicate: errors.duplicateOrder });
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
    if (req.type === 'LIMIT_MAKER' && reachesLimit(req.side, limit, last)) throw errors.wouldMatchAndTake();
    const lockAsset = req.side === 'BUY' ? m.quoteAsset : m.baseAsset;
    const lockAmount = req.side === 'BUY' ? mul(refPrice, qty) : qty;
    this.ledger.lock(lockAsset, lockAmount);
    const now = this.opts.now();
    const order = this.addOrder({
      symbol: m.symbol,
      clientOrderId,
      side: req.side,
      type: req.type,
      timeInForce: req.type === 'MARKET' || req.type === 'LIMIT_MAKER' || req.type === 'STOP_LOSS' || req.type === 'TAKE_PROFIT' ? 'GTC' : (req.timeInForce ?? 'GTC'),
      price: limit,
      stopPrice: stop,
      origQty: qty,
      origQuoteOrderQty: req.type === 'MARKET' ? (req.quoteOrderQty ?? ZERO) : ZERO,
      isWorking: !isStop(req.type),
      workingTime: isStop(req.type) ? -1 : now,
      orderListId: -1,
      lockAsset,
      lockRemaining: lockAmount,
    }, now);
    const fills = this.matchOnArrival(order, last);
    return { order, fills };
  }

  /**
   * An OCO list: both orders booked, the funds locked once (held by the first order; the one that
   * executes takes the hold over and the other ends EXPIRED).
   */
  placeOco(r: OcoRequest, newId: () => string): OrderList {
    const m = this.market(r.symbol);
    const last = this.price(m.symbol);
    const legs = [r.below, r.above];
    const ids = legs.map((l) => l.clientOrderId ?? newId());
    for (const id of ids) this.admit({ symbol: r.symbol, newClientOrderId: id }, { closed: errors.marketClosed, duplicate: errors.duplicateOrder });
    for (const l of legs) {
      if (l.price !== undefined) checkPriceFilter(m, l.price);
      if (l.stopPrice !== undefined) checkPriceFilter(m, l.stopPrice);
      checkNotional(m, l.price ?? l.stopPrice ?? last, r.quantity, l.type === 'STOP_LOSS' || l.type === 'TAKE_PROFIT');
    }
    checkLotSize(m, r.quantity);
    checkOcoPrices(r, last);
    const lockAsset = r.side === 'BUY' ? m.quoteAsset : m.baseAsset;
    const highest = legs.reduce((p, l) => (l.price ?? l.stopPrice ?? ZERO) > p ? (l.price ?? l.stopPrice ?? ZERO) : p, ZERO);
    const lockAmount = r.side === 'BUY' ? mul(highest, r.quantity) : r.quantity;
    this.ledger.lock(lockAsset, lockAmount);
    const now = this.opts.now();
    const orderListId = this.orderLists.length + 1;
    const orders = legs.map((l, n) => {
      const stop = l.type !== 'LIMIT_MAKER';
      return this.addOrder({
        symbol: m.symbol,
        clientOrderId: ids[n] as string,
        side: r.side,
        type: l.type,
        timeInForce: l.type.endsWith('_LIMIT') ? (l.timeInForce ?? 'GTC') : 'GTC',
        price: l.price ?? ZERO,
        stopPrice: stop ? (l.stopPrice ?? ZERO) : ZERO,
        origQty: r.quantity,
        origQuoteOrderQty: ZERO,
        isWorking: !stop,
        workingTime: stop ? -1 : now,
        orderListId,
        lockAsset,
        lockRemaining: n === 0 ? lockAmount : ZERO,
      }, now);
    });
    const list: OrderList = { orderListId, listClientOrderId: r.listClientOrderId ?? newId(), symbol: m.symbol, orders, transactionTime: now };
    this.orderLists.push(list);
    return list;
  }

  /** The other orders of this order's OCO list. */
  private siblings(order: Order): Order[] {
    if (order.orderListId < 0) return [];
    return this.orderLists.find((l) => l.orderListId === order.orderListId)?.orders.filter((o) => o !== order) ?? [];
  }

  /** One order of an OCO list executes: it takes over the list's hold, the others end EXPIRED. */
  private takeOverList(order: Order): void {
    for (const o of this.siblings(order)) {
      if (!isOpenOrder(o)) continue;
      order.lockRemaining += o.lockRemaining;
      o.lockRemaining = ZERO;
      o.status = 'EXPIRED';
      o.updateTime = this.opts.now();
    }
  }

  /** Cancelling one order of an OCO list cancels the whole list. */
  override cancel(symbol: string, orderId?: number, origClientOrderId?: string): Order {
    const order = super.cancel(symbol, orderId, origClientOrderId);
    for (const o of this.siblings(order)) if (isOpenOrder(o)) this.finish(o, 'CANCELED');
    return order;
  }

  /** A working order meeting the book for the first time: taker fill at the last price, or rest / expire. */
  private matchOnArrival(order: Order, last: Dec): Trade[] {
    if (!order.isWorking) return [];
    if (order.type === 'MARKET' || order.type === 'STOP_LOSS' || order.type === 'TAKE_PROFIT') {
      return [this.fill(order, order.origQty, last, false)];
    }
    if (reachesLimit(order.side, order.price, last)) return [this.fill(order, order.origQty, last, false)];
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
    const execution = { qty, price, quote, commission, commissionAsset: receivedAsset, now: this.opts.now() };
    const trade = this.recordFill(order, execution, { orderListId: order.orderListId, isMaker });
    if (order.executedQty >= order.origQty) this.finish(order, 'FILLED');
    else order.status = 'PARTIALLY_FILLED';
    return trade;
  }

  /** Ends an order: final status and the rest of its lock back to free. */
  protected override finish(order: Order, status: OrderStatus): void {
    order.status = status;
    order.updateTime = this.opts.now();
    this.ledger.unlock(order.lockAsset, order.lockRemaining);
    order.lockRemaining = ZERO;
  }

  /** New last price: triggers stops, then fills working limit orders it crosses (oldest first). */
  setPrice(symbol: string, price: Dec): Trade[] {
    this.setLast(symbol, price);
    const fills: Trade[] = [];
    for (const order of this.orders) {
      if (order.symbol !== symbol || !isOpenOrder(order)) continue;
      if (!order.isWorking) {
        if (!triggers(order, price)) continue;
        this.takeOverList(order);
        order.isWorking = true;
        order.workingTime = this.opts.now();
        order.updateTime = order.workingTime;
        fills.push(...this.matchOnArrival(order, price));
        continue;
      }
      if (order.type === 'MARKET') continue;
      if (reachesLimit(order.side, order.price, price)) {
        this.takeOverList(order);
        fills.push(this.fill(order, order.origQty - order.executedQty, order.price, true));
      }
    }
    return fills;
  }
}
