/** Engine records -> Binance's JSON shapes. */
import { fmt } from './decimal.js';
import type { Order, Trade } from './engine.js';
import type { RespType } from './order-params.js';

type Json = Record<string, unknown>;

const STOP_TYPES = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);

/** The fields every order answer shares (order answers, queries, order-list reports). */
export function orderCore(o: Order): Json {
  return {
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    origQuoteOrderQty: fmt(o.origQuoteOrderQty),
    cummulativeQuoteQty: fmt(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
  };
}

/** POST /api/v3/order answer in the requested newOrderRespType. */
export function newOrderResponse(o: Order, fills: Trade[], respType: RespType, transactTime: number): Json {
  const ack: Json = { symbol: o.symbol, orderId: o.orderId, orderListId: o.orderListId, clientOrderId: o.clientOrderId, transactTime };
  if (respType === 'ACK') return ack;
  const result: Json = { ...ack, ...orderCore(o) };
  if (STOP_TYPES.has(o.type)) result.stopPrice = fmt(o.stopPrice);
  result.workingTime = o.workingTime;
  result.selfTradePreventionMode = 'EXPIRE_MAKER';
  if (respType === 'RESULT') return result;
  result.fills = fills.map((t) => ({
    price: fmt(t.price),
    qty: fmt(t.qty),
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    tradeId: t.id,
  }));
  return result;
}

/** GET /api/v3/order, openOrders, allOrders entry. */
export function orderQuery(o: Order): Json {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    cummulativeQuoteQty: fmt(o.cumQuote),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: fmt(o.stopPrice),
    icebergQty: '0.00000000',
    time: o.time,
    updateTime: o.updateTime,
    isWorking: o.isWorking,
    workingTime: o.workingTime,
    origQuoteOrderQty: fmt(o.origQuoteOrderQty),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** DELETE /api/v3/order answer: clientOrderId is the cancel's own id, origClientOrderId the order's. */
export function cancelResponse(o: Order, cancelClientOrderId: string, transactTime: number): Json {
  const body: Json = {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: o.orderListId,
    clientOrderId: cancelClientOrderId,
    transactTime,
    ...orderCore(o),
  };
  if (STOP_TYPES.has(o.type)) body.stopPrice = fmt(o.stopPrice);
  body.selfTradePreventionMode = 'EXPIRE_MAKER';
  return body;
}

/** GET /api/v3/myTrades entry. */
export function myTrade(t: Trade): Json {
  return {
    symbol: t.symbol,
    id: t.id,
    orderId: t.orderId,
    orderListId: t.orderListId,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    time: t.time,
    isBuyer: t.side === 'BUY',
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}
