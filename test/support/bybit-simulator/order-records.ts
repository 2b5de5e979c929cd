/**
 * Bybit's view of the orders the shared engines hold: one record per Bybit order (its orderId,
 * orderLinkId, category and what was asked), pointing at the engine order or conditional (algo)
 * order that carries its state, and the v5 order object built from both.
 */
import { type Dec, div, mul, ZERO } from '../exchange-simulator/decimal.js';
import type { Engine } from '../exchange-simulator/engine.js';
import type { FuturesEngine } from '../exchange-simulator/futures-engine.js';
import { plain } from '../exchange-simulator/futures-markets.js';
import type { Category } from './errors.js';

export type BybitStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'PartiallyFilledCanceled' | 'Untriggered' | 'Triggered' | 'Deactivated' | 'Rejected';
export type StopOrderType = '' | 'Stop' | 'TakeProfit' | 'StopLoss';

/** Where an order's state lives: a spot engine order, a linear engine order or a linear conditional order. */
export type OrderRef = { book: 'spot'; id: number } | { book: 'linear'; id: number } | { book: 'conditional'; id: number };

export interface BybitOrder {
  orderId: string;
  /** 0 one-way; hedge mode 1 (buy side) or 2 (sell side). */
  positionIdx?: number;
  /** '' when none was given (and for position TP/SL orders). */
  orderLinkId: string;
  category: Category;
  symbol: string;
  side: 'Buy' | 'Sell';
  orderType: 'Market' | 'Limit';
  /** The qty as sent (a quote amount for a spot market order in quoteCoin). */
  qty: string;
  marketUnit: '' | 'baseCoin' | 'quoteCoin';
  price: Dec;
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
  triggerPrice: Dec;
  /** 0 none, 1 rises to the trigger, 2 falls to it. */
  triggerDirection: 0 | 1 | 2;
  stopOrderType: StopOrderType;
  orderFilter: 'Order' | 'StopOrder';
  takeProfit: Dec;
  stopLoss: Dec;
  reduceOnly: boolean;
  closeOnTrigger: boolean;
  lastPriceOnCreated: Dec;
  ref: OrderRef;
  createdTime: number;
  /** Position TP/SL asked for on create, set on the position once this (linear) entry has filled. */
  attach?: { takeProfit: Dec; stopLoss: Dec };
  /** Closed before a simulated restart: /v5/order/realtime no longer knows it, history still does. */
  forgotten: boolean;
}

export interface OrderState {
  status: BybitStatus;
  cumExecQty: Dec;
  cumExecValue: Dec;
  cumExecFee: Dec;
  feeCoin: string;
  /** The quantity the order is for, in base (a quote-sized market order: what it bought). */
  baseQty: Dec;
  updatedTime: number;
}

export const CLOSED: ReadonlySet<BybitStatus> = new Set(['Filled', 'Cancelled', 'PartiallyFilledCanceled', 'Deactivated', 'Rejected']);

export interface Books {
  spot: Engine;
  linear: FuturesEngine;
}

function fromEngineStatus(status: string, executed: Dec): BybitStatus {
  switch (status) {
    case 'NEW':
      return 'New';
    case 'PARTIALLY_FILLED':
      return 'PartiallyFilled';
    case 'FILLED':
      return 'Filled';
    default:
      // CANCELED, EXPIRED (IOC rest, reduce-only clipped) and REJECTED all read as cancelled on Bybit.
      return executed > ZERO ? 'PartiallyFilledCanceled' : 'Cancelled';
  }
}

const fees = (trades: readonly { orderId: number; commission: Dec; commissionAsset: string }[], id: number): { fee: Dec; coin: string } => {
  let fee = ZERO;
  let coin = '';
  for (const t of trades) {
    if (t.orderId !== id) continue;
    fee += t.commission;
    coin = t.commissionAsset;
  }
  return { fee, coin };
};

/** The live state of a record, read from the engine that holds it. */
export function orderState(books: Books, o: BybitOrder): OrderState {
  if (o.ref.book === 'spot') {
    const e = books.spot.byId(o.ref.id);
    if (!e) throw new Error(`bybit simulator: lost spot order ${o.ref.id}`);
    const { fee, coin } = fees(books.spot.trades, e.orderId);
    let status = fromEngineStatus(e.status, e.executedQty);
    if (!e.isWorking) status = e.status === 'NEW' ? 'Untriggered' : 'Deactivated';
    return { status, cumExecQty: e.executedQty, cumExecValue: e.cumQuote, cumExecFee: fee, feeCoin: coin, baseQty: e.origQty, updatedTime: e.updateTime };
  }
  if (o.ref.book === 'linear') {
    const e = books.linear.byId(o.ref.id);
    if (!e) throw new Error(`bybit simulator: lost linear order ${o.ref.id}`);
    const { fee, coin } = fees(books.linear.trades, e.orderId);
    return { status: fromEngineStatus(e.status, e.executedQty), cumExecQty: e.executedQty, cumExecValue: e.cumQuote, cumExecFee: fee, feeCoin: coin, baseQty: e.origQty, updatedTime: e.updateTime };
  }
  const algoId = o.ref.id;
  const a = books.linear.algo.orders.find((x) => x.algoId === algoId);
  if (!a) throw new Error(`bybit simulator: lost conditional order ${algoId}`);
  const placed = books.linear.algo.actual(a);
  const idle = { cumExecQty: ZERO, cumExecValue: ZERO, cumExecFee: ZERO, feeCoin: '', baseQty: a.quantity, updatedTime: a.updateTime };
  if (a.algoStatus === 'NEW') return { ...idle, status: 'Untriggered' };
  if (a.algoStatus === 'REJECTED') return { ...idle, status: 'Rejected' };
  if (!placed) return { ...idle, status: 'Deactivated' };
  const { fee, coin } = fees(books.linear.trades, placed.orderId);
  return {
    status: fromEngineStatus(placed.status, placed.executedQty), cumExecQty: placed.executedQty, cumExecValue: placed.cumQuote, cumExecFee: fee,
    feeCoin: coin, baseQty: placed.origQty, updatedTime: placed.updateTime,
  };
}

const orZero = (d: Dec): string => (d === ZERO ? '0' : plain(d));

/** The v5 order object of /v5/order/realtime and /v5/order/history. */
export function orderObject(books: Books, o: BybitOrder): Record<string, unknown> {
  const s = orderState(books, o);
  const closed = CLOSED.has(s.status);
  const leaves = closed || s.baseQty === ZERO ? ZERO : s.baseQty - s.cumExecQty;
  const avg = s.cumExecQty > ZERO ? div(s.cumExecValue, s.cumExecQty) : ZERO;
  const linear = o.category === 'linear';
  const obj: Record<string, unknown> = {
    orderId: o.orderId, orderLinkId: o.orderLinkId, blockTradeId: '', symbol: o.symbol, price: orZero(o.price), qty: o.qty, side: o.side,
    isLeverage: linear ? '' : '0', positionIdx: o.positionIdx ?? 0, orderStatus: s.status, createType: linear ? 'CreateByUser' : '',
    cancelType: s.status === 'Cancelled' || s.status === 'Deactivated' ? 'CancelByUser' : 'UNKNOWN', rejectReason: 'EC_NoError',
    avgPrice: s.cumExecQty > ZERO ? plain(avg) : linear ? '' : '0', leavesQty: orZero(leaves), leavesValue: orZero(mul(leaves, o.price)),
    cumExecQty: orZero(s.cumExecQty), cumExecValue: orZero(s.cumExecValue), cumExecFee: orZero(s.cumExecFee),
    cumFeeDetail: s.feeCoin === '' ? {} : { [s.feeCoin]: orZero(s.cumExecFee) },
    timeInForce: o.timeInForce, orderType: o.orderType, stopOrderType: o.stopOrderType, orderIv: '', marketUnit: o.marketUnit,
    triggerPrice: orZero(o.triggerPrice), takeProfit: orZero(o.takeProfit), stopLoss: orZero(o.stopLoss), tpTriggerBy: '', slTriggerBy: '',
    triggerDirection: o.triggerDirection, triggerBy: o.triggerPrice > ZERO ? 'LastPrice' : '', lastPriceOnCreated: plain(o.lastPriceOnCreated),
    reduceOnly: o.reduceOnly, closeOnTrigger: o.closeOnTrigger, placeType: '', smpType: 'None', smpGroup: 0, smpOrderId: '',
    tpLimitPrice: '0', slLimitPrice: '0', createdTime: String(o.createdTime), updatedTime: String(s.updatedTime),
  };
  // ccxt tells a contract order from a spot one by this field when it is not given the market.
  if (linear) obj.tpslMode = o.takeProfit > ZERO || o.stopLoss > ZERO || o.stopOrderType === 'TakeProfit' || o.stopOrderType === 'StopLoss' ? 'Full' : '';
  return obj;
}
