/**
 * Bybit's order rules on top of the shared engines: orderLinkId uniqueness per category (any
 * status, as Bybit refuses a reused one with 110072 / 170141), spot and linear orders, conditional
 * orders (triggerPrice + triggerDirection), position TP/SL asked for on create, one-way vs hedge
 * position mode, cancels, and the lookups behind realtime / history.
 */
import { randomUUID } from 'node:crypto';
import { type Dec, div, floorToStep, ZERO } from '../exchange-simulator/decimal.js';
import type { PositionSide } from '../exchange-simulator/futures-account.js';
import type { PlaceRequest } from '../exchange-simulator/engine.js';
import type { AlgoOrderType } from '../exchange-simulator/futures-algo.js';
import { checkFuturesQty, plain } from '../exchange-simulator/futures-markets.js';
import { isOpenOrder } from '../exchange-simulator/order-book.js';
import type { OrderSide } from '../exchange-simulator/types.js';
import type { CreateRequest } from './create-request.js';
import { asBybit, bybitErrors, type Category, duplicateOrderLinkId, orderNotExists } from './errors.js';
import { type Books, type BybitOrder, CLOSED, orderState, type OrderRef } from './order-records.js';

/** How many closed orders per category /v5/order/realtime keeps (Bybit: the last 500). */
export const REALTIME_CLOSED_LIMIT = 500;

const engineSide = (side: 'Buy' | 'Sell'): OrderSide => (side === 'Buy' ? 'BUY' : 'SELL');

/** Binance's stop kinds by trigger direction: a buy that waits for a rise is a stop, a sell that does is a target. */
const isStopKind = (direction: 1 | 2, side: 'Buy' | 'Sell'): boolean => (direction === 1) === (side === 'Buy');

export class BybitOrderBook {
  readonly records: BybitOrder[] = [];
  /** Linear position mode per symbol: 0 one-way (MergedSingle), 3 hedge (BothSide). */
  readonly positionMode = new Map<string, 0 | 3>();
  private spotSeq = 1_900_000_000_000_000_000n;

  constructor(
    readonly books: Books,
    private readonly now: () => number,
  ) {}

  private nextOrderId(category: Category): string {
    if (category === 'linear') return randomUUID();
    this.spotSeq += 1n;
    return this.spotSeq.toString();
  }

  create(req: CreateRequest): BybitOrder {
    if (req.orderLinkId !== undefined && this.records.some((r) => r.category === req.category && r.orderLinkId === req.orderLinkId)) {
      throw duplicateOrderLinkId(req.category);
    }
    const record = req.category === 'spot' ? this.createSpot(req) : this.createLinear(req);
    this.records.push(record);
    this.sweep();
    return record;
  }

  private base(req: CreateRequest, ref: OrderRef, last: Dec): BybitOrder {
    return {
      orderId: this.nextOrderId(req.category), orderLinkId: req.orderLinkId ?? '', positionIdx: req.positionIdx, category: req.category, symbol: req.symbol, side: req.side,
      orderType: req.orderType, qty: plain(req.qty), marketUnit: '', price: req.price, timeInForce: req.timeInForce, triggerPrice: req.triggerPrice,
      triggerDirection: req.triggerDirection, stopOrderType: req.triggerPrice > ZERO ? 'Stop' : '', orderFilter: req.triggerPrice > ZERO ? 'StopOrder' : 'Order',
      takeProfit: req.takeProfit, stopLoss: req.stopLoss, reduceOnly: req.reduceOnly, closeOnTrigger: req.closeOnTrigger, lastPriceOnCreated: last,
      ref, createdTime: this.now(), forgotten: false,
    };
  }

  private createSpot(req: CreateRequest): BybitOrder {
    const spot = this.books.spot;
    const m = asBybit('spot', () => spot.market(req.symbol));
    if (req.takeProfit > ZERO || req.stopLoss > ZERO) throw bybitErrors.params('exchange simulator: takeProfit/stopLoss on spot orders are not simulated');
    const last = spot.price(m.symbol);
    // Bybit spot: a market buy is sized in the quote coin unless marketUnit says otherwise.
    const unit = req.orderType === 'Market' ? (req.marketUnit ?? (req.side === 'Buy' ? 'quoteCoin' : 'baseCoin')) : undefined;
    const trigger = req.triggerPrice > ZERO;
    const p: PlaceRequest = { symbol: m.symbol, side: engineSide(req.side), type: req.orderType === 'Market' ? 'MARKET' : 'LIMIT' };
    if (req.orderLinkId !== undefined) p.newClientOrderId = req.orderLinkId;
    if (trigger) {
      // Spot conditional orders have no triggerDirection: Bybit compares the trigger with the last price.
      const stop = isStopKind(req.triggerPrice > last ? 1 : 2, req.side);
      p.type = req.orderType === 'Market' ? (stop ? 'STOP_LOSS' : 'TAKE_PROFIT') : stop ? 'STOP_LOSS_LIMIT' : 'TAKE_PROFIT_LIMIT';
      p.stopPrice = req.triggerPrice;
      p.quantity = unit === 'quoteCoin' ? floorToStep(div(req.qty, req.triggerPrice), m.stepSize) : req.qty;
    } else if (unit === 'quoteCoin') {
      p.quoteOrderQty = req.qty;
    } else {
      p.quantity = req.qty;
    }
    if (req.orderType === 'Limit') {
      p.price = req.price;
      if (req.timeInForce === 'PostOnly' && !trigger) p.type = 'LIMIT_MAKER';
      else p.timeInForce = req.timeInForce === 'PostOnly' ? 'GTC' : req.timeInForce;
    }
    const { order } = asBybit('spot', () => spot.place(p));
    const record = this.base(req, { book: 'spot', id: order.orderId }, last);
    record.marketUnit = unit ?? '';
    return record;
  }

  /** One-way mode takes positionIdx 0; hedge mode 1 (the buy side: long) or 2 (the sell side: short). */
  private checkPositionIdx(symbol: string, positionIdx: number): PositionSide {
    const hedge = (this.positionMode.get(symbol) ?? 0) === 3;
    if (hedge ? positionIdx !== 1 && positionIdx !== 2 : positionIdx !== 0) throw bybitErrors.params('position idx not match position mode');
    return positionIdx === 1 ? 'LONG' : positionIdx === 2 ? 'SHORT' : 'BOTH';
  }

  private createLinear(req: CreateRequest): BybitOrder {
    const linear = this.books.linear;
    const m = asBybit('linear', () => linear.market(req.symbol));
    const positionSide = this.checkPositionIdx(m.symbol, req.positionIdx);
    const last = linear.price(m.symbol);
    const reduceOnly = req.reduceOnly || req.closeOnTrigger;
    const entryRef = req.orderType === 'Limit' ? req.price : last;
    if (req.takeProfit > ZERO || req.stopLoss > ZERO) this.checkAttached(req, req.triggerPrice > ZERO ? req.triggerPrice : entryRef);
    let ref: OrderRef;
    if (req.triggerPrice > ZERO) {
      if (req.triggerDirection === 0) throw bybitErrors.params('TriggerDirection invalid');
      if (req.triggerDirection === 1 && req.triggerPrice <= last) throw bybitErrors.expectRising(plain(req.triggerPrice), plain(last));
      if (req.triggerDirection === 2 && req.triggerPrice >= last) throw bybitErrors.expectFalling(plain(req.triggerPrice), plain(last));
      asBybit('linear', () => checkFuturesQty(m, req.qty));
      const stop = isStopKind(req.triggerDirection, req.side);
      const limit = req.orderType === 'Limit';
      const orderType: AlgoOrderType = limit ? (stop ? 'STOP' : 'TAKE_PROFIT') : stop ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET';
      const algo = asBybit('linear', () =>
        linear.algo.place({
          symbol: m.symbol, side: engineSide(req.side), orderType, quantity: req.qty, triggerPrice: req.triggerPrice, reduceOnly, closePosition: false, positionSide,
          ...(limit ? { price: req.price, timeInForce: req.timeInForce === 'PostOnly' ? 'GTX' : req.timeInForce } : {}),
        }),
      );
      ref = { book: 'conditional', id: algo.algoId };
    } else {
      const tif = req.orderType === 'Market' ? 'GTC' : req.timeInForce === 'PostOnly' ? 'GTX' : req.timeInForce;
      const { order } = asBybit('linear', () =>
        linear.place({
          symbol: m.symbol, side: engineSide(req.side), type: req.orderType === 'Market' ? 'MARKET' : 'LIMIT', quantity: req.qty, reduceOnly, positionSide,
          timeInForce: tif, ...(req.orderType === 'Limit' ? { price: req.price } : {}), ...(req.orderLinkId !== undefined ? { newClientOrderId: req.orderLinkId } : {}),
        }),
      );
      ref = { book: 'linear', id: order.orderId };
    }
    const record = this.base(req, ref, last);
    if (req.takeProfit > ZERO || req.stopLoss > ZERO) record.attach = { takeProfit: req.takeProfit, stopLoss: req.stopLoss };
    return record;
  }

  /** Bybit's rule for TP/SL on create: a buy's take profit above the base price and its stop loss below (a sell's the other way). */
  private checkAttached(req: CreateRequest, basePrice: Dec): void {
    const buy = req.side === 'Buy';
    const side = buy ? 'Buy' : 'Sell';
    if (req.takeProfit > ZERO && (buy ? req.takeProfit <= basePrice : req.takeProfit >= basePrice)) {
      throw bybitErrors.params(`TakeProfit:${plain(req.takeProfit)} set for ${side} position should be ${buy ? 'higher' : 'lower'} than base_price:${plain(basePrice)}??LastPrice`);
    }
    if (req.stopLoss > ZERO && (buy ? req.stopLoss >= basePrice : req.stopLoss <= basePrice)) {
      throw bybitErrors.params(`StopLoss:${plain(req.stopLoss)} set for ${side} position should be ${buy ? 'lower' : 'higher'} than base_price:${plain(basePrice)}??LastPrice`);
    }
  }

  /**
   * After anything that can fill: the TP/SL of a filled entry become the position's (replacing
   * the position's previous ones), and a flat position's TP/SL are deactivated, as Bybit does.
   */
  sweep(): void {
    const linear = this.books.linear;
    for (const r of this.records) {
      if (r.attach === undefined || orderState(this.books, r).cumExecQty === ZERO) continue;
      const { takeProfit, stopLoss } = r.attach;
      delete r.attach;
      const amt = linear.account.position(r.symbol).amt;
      if (amt === ZERO) continue;
      const close: 'Buy' | 'Sell' = amt > ZERO ? 'Sell' : 'Buy';
      if (takeProfit > ZERO) this.positionStop(r.symbol, 'TakeProfit', close, takeProfit);
      if (stopLoss > ZERO) this.positionStop(r.symbol, 'StopLoss', close, stopLoss);
    }
    for (const r of this.positionStops()) {
      if (linear.account.position(r.symbol).amt === ZERO) linear.algo.cancel(r.ref.id);
    }
  }

  /** The open position TP/SL orders (of one symbol and kind when given). */
  positionStops(symbol?: string, kind?: 'TakeProfit' | 'StopLoss'): (BybitOrder & { ref: { book: 'conditional' } })[] {
    return this.records.filter(
      (r): r is BybitOrder & { ref: { book: 'conditional' } } =>
        r.ref.book === 'conditional' && (r.stopOrderType === 'TakeProfit' || r.stopOrderType === 'StopLoss') &&
        (symbol === undefined || r.symbol === symbol) && (kind === undefined || r.stopOrderType === kind) && orderState(this.books, r).status === 'Untriggered',
    );
  }

  private positionStop(symbol: string, kind: 'TakeProfit' | 'StopLoss', side: 'Buy' | 'Sell', trigger: Dec): void {
    const linear = this.books.linear;
    for (const old of this.positionStops(symbol, kind)) linear.algo.cancel(old.ref.id);
    const last = linear.price(symbol);
    const rises = trigger > last;
    let algoId: number;
    try {
      algoId = linear.algo.place({
        symbol, side: engineSide(side), orderType: kind === 'TakeProfit' ? 'TAKE_PROFIT_MARKET' : 'STOP_MARKET', triggerPrice: trigger,
        reduceOnly: true, closePosition: true,
      }).algoId;
    } catch {
      return; // the price is already past it: Bybit would close at once; the simulator leaves the position as it is
    }
    this.records.push({
      orderId: this.nextOrderId('linear'), orderLinkId: '', category: 'linear', symbol, side, orderType: 'Market', qty: '0', marketUnit: '',
      price: ZERO, timeInForce: 'IOC', triggerPrice: trigger, triggerDirection: rises ? 1 : 2, stopOrderType: kind, orderFilter: 'StopOrder',
      takeProfit: ZERO, stopLoss: ZERO, reduceOnly: true, closeOnTrigger: true, lastPriceOnCreated: last,
      ref: { book: 'conditional', id: algoId }, createdTime: this.now(), forgotten: false,
    });
  }

  /** By orderId first, then orderLinkId (Bybit's priority), in one category and symbol. */
  find(category: Category, symbol: string | undefined, orderId: string | undefined, orderLinkId: string | undefined): BybitOrder | undefined {
    const inScope = (r: BybitOrder): boolean => r.category === category && (symbol === undefined || r.symbol === symbol);
    if (orderId !== undefined) return this.records.find((r) => inScope(r) && r.orderId === orderId);
    if (orderLinkId !== undefined) return this.records.findLast((r) => inScope(r) && r.orderLinkId === orderLinkId);
    return undefined;
  }

  cancel(category: Category, symbol: string, orderId: string | undefined, orderLinkId: string | undefined): BybitOrder {
    if (orderId === undefined && orderLinkId === undefined) throw bybitErrors.params('orderId or orderLinkId is required');
    const r = this.find(category, symbol, orderId, orderLinkId);
    if (!r || CLOSED.has(orderState(this.books, r).status)) throw orderNotExists(category);
    if (r.ref.book === 'spot') this.books.spot.cancel(r.symbol, r.ref.id);
    else if (r.ref.book === 'linear') this.books.linear.cancel(r.symbol, r.ref.id);
    else this.cancelConditional(r.ref.id);
    this.sweep();
    return r;
  }

  /** A triggered conditional order is cancelled through the order it placed. */
  private cancelConditional(algoId: number): void {
    const linear = this.books.linear;
    const a = linear.algo.orders.find((x) => x.algoId === algoId);
    const placed = a ? linear.algo.actual(a) : undefined;
    if (placed && isOpenOrder(placed)) linear.cancel(placed.symbol, placed.orderId);
    else linear.algo.cancel(algoId);
  }

  /** Closed orders /v5/order/realtime still shows: not forgotten, the newest 500 of the category. */
  realtimeClosed(category: Category): Set<BybitOrder> {
    const closed = this.records
      .filter((r) => r.category === category && !r.forgotten && CLOSED.has(orderState(this.books, r).status))
      .sort((a, b) => orderState(this.books, b).updatedTime - orderState(this.books, a).updatedTime);
    return new Set(closed.slice(0, REALTIME_CLOSED_LIMIT));
  }

  /** A Bybit service restart: realtime forgets every closed order; history keeps them. */
  restart(): void {
    for (const r of this.records) if (CLOSED.has(orderState(this.books, r).status)) r.forgotten = true;
  }
}
