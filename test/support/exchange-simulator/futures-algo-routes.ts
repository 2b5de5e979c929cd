/**
 * The Binance USDⓈ-M Algo Service endpoints ccxt `binanceusdm` calls for conditional orders
 * (createOrder with a trigger price / stopLossPrice / takeProfitPrice / trailingPercent, and
 * fetchOrder / cancelOrder / fetchOpenOrders / cancelAllOrders / fetchOrders with `trigger: true`).
 */
import { div, fmt, ZERO } from './decimal.js';
import { BinanceError, errors } from './errors.js';
import { ALGO_ORDER_TYPES, type AlgoOrder, type AlgoOrderType, type AlgoPlaceRequest, type FuturesAlgoBook } from './futures-algo.js';
import { futuresErrors } from './futures-errors.js';
import { checkFuturesNotional, checkFuturesPrice, checkFuturesQty, type FuturesMarket } from './futures-markets.js';
import { closesSide } from './futures-engine.js';
import { booleanParam, decimalWithin, readPositionSide, TIME_IN_FORCE } from './futures-routes.js';
import { clientIdParam, integerParam, optional, type Params, required } from './order-params.js';
import { limitOf } from './order-queries.js';
import type { Route, RouteContext } from './routes.js';

type Json = Record<string, unknown>;

/** POST /fapi/v1/algoOrder parameters -> an AlgoPlaceRequest (Binance's checks, in its order). */
function readAlgoOrder(params: Params, m: FuturesMarket, last: bigint, dualSide: boolean): AlgoPlaceRequest {
  if (required(params, 'algoType') !== 'CONDITIONAL') throw errors.illegalChars('algoType');
  const side = required(params, 'side');
  if (side !== 'BUY' && side !== 'SELL') throw futuresErrors.invalidSide();
  const type = required(params, 'type');
  if (!(ALGO_ORDER_TYPES as readonly string[]).includes(type)) throw futuresErrors.invalidOrderType();
  const orderType = type as AlgoOrderType;
  const positionSide = readPositionSide(params, dualSide);
  const closePosition = booleanParam(params, 'closePosition');
  const reduceOnly = booleanParam(params, 'reduceOnly');
  const quantity = decimalWithin(params, 'quantity', m.quantityPrecision);
  const price = decimalWithin(params, 'price', m.pricePrecision);
  const triggerPrice = decimalWithin(params, 'triggerPrice', m.pricePrecision);
  const timeInForce = optional(params, 'timeInForce');
  const workingType = optional(params, 'workingType');
  const trailing = orderType === 'TRAILING_STOP_MARKET';
  const limit = orderType === 'STOP' || orderType === 'TAKE_PROFIT';
  if (closePosition) {
    if (orderType !== 'STOP_MARKET' && orderType !== 'TAKE_PROFIT_MARKET') throw errors.paramNotRequired('closePosition');
    if (quantity !== undefined) throw errors.paramNotRequired('quantity');
    if (reduceOnly) throw errors.paramNotRequired('reduceOnly');
  } else {
    if (quantity === undefined) throw errors.mandatory('quantity');
    checkFuturesQty(m, quantity);
  }
  if (!trailing) {
    if (triggerPrice === undefined) throw errors.mandatory('triggerPrice');
    checkFuturesPrice(m, triggerPrice);
  }
  if (limit) {
    if (price === undefined) throw errors.mandatory('price');
    checkFuturesPrice(m, price);
  } else if (price !== undefined) {
    throw errors.paramNotRequired('price');
  }
  if (timeInForce !== undefined && !TIME_IN_FORCE.has(timeInForce)) throw futuresErrors.invalidTimeInForce();
  if (workingType !== undefined && workingType !== 'MARK_PRICE' && workingType !== 'CONTRACT_PRICE') throw errors.illegalChars('workingType');
  const request: AlgoPlaceRequest = { symbol: m.symbol, side, orderType, reduceOnly, closePosition, positionSide };
  if (quantity !== undefined) {
    if (!reduceOnly && !closesSide({ side, positionSide })) checkFuturesNotional(m, price ?? triggerPrice ?? last, quantity);
    request.quantity = quantity;
  }
  if (price !== undefined) request.price = price;
  if (triggerPrice !== undefined && !trailing) request.triggerPrice = triggerPrice;
  if (timeInForce !== undefined) request.timeInForce = timeInForce as AlgoPlaceRequest['timeInForce'];
  if (workingType !== undefined) request.workingType = workingType;
  if (trailing) {
    const callbackRate = decimalWithin(params, 'callbackRate', 2);
    if (callbackRate === undefined) throw errors.mandatory('callbackRate');
    if (callbackRate <= ZERO) throw errors.illegalChars('callbackRate');
    request.callbackRate = callbackRate;
    // The Algo API calls it activatePrice; ccxt sends activationPrice (the plain order API's name).
    const activate = decimalWithin(params, 'activatePrice', m.pricePrecision) ?? decimalWithin(params, 'activationPrice', m.pricePrecision);
    if (activate !== undefined) request.activatePrice = activate;
  }
  const clientAlgoId = clientIdParam(params, 'clientAlgoId');
  if (clientAlgoId !== undefined) request.clientAlgoId = clientAlgoId;
  return request;
}

/** An algo order as POST / GET /fapi/v1/algoOrder and openAlgoOrders answer it. */
export function algoOrderJson(book: FuturesAlgoBook, o: AlgoOrder): Json {
  const placed = book.actual(o);
  const actualPrice = placed && placed.executedQty > ZERO ? div(placed.cumQuote, placed.executedQty) : ZERO;
  const body: Json = {
    algoId: o.algoId,
    clientAlgoId: o.clientAlgoId,
    algoType: 'CONDITIONAL',
    orderType: o.orderType,
    symbol: o.symbol,
    side: o.side,
    positionSide: o.positionSide,
    timeInForce: o.timeInForce,
    quantity: fmt(o.quantity),
    algoStatus: book.status(o),
    actualOrderId: o.actualOrderId === null ? '' : String(o.actualOrderId),
    actualPrice: fmt(actualPrice),
    triggerPrice: fmt(o.triggerPrice),
    price: fmt(o.price),
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: o.workingType,
    priceMatch: 'NONE',
    closePosition: o.closePosition,
    priceProtect: false,
    reduceOnly: o.reduceOnly,
    createTime: o.createTime,
    updateTime: o.updateTime,
    triggerTime: o.triggerTime,
    goodTillDate: 0,
  };
  if (o.orderType === 'TRAILING_STOP_MARKET') Object.assign(body, { activatePrice: fmt(o.activatePrice), callbackRate: fmt(o.callbackRate) });
  return body;
}

/** algoId / clientAlgoId of GET and DELETE /fapi/v1/algoOrder (no symbol needed). */
function readAlgoRef(params: Params): { algoId?: number; clientAlgoId?: string } {
  const algoId = integerParam(params, 'algoId');
  const clientAlgoId = optional(params, 'clientAlgoId');
  if (algoId === undefined && clientAlgoId === undefined) {
    throw new BinanceError(400, -1102, "Param 'algoId' or 'clientAlgoId' must be sent, but both were empty/null!");
  }
  return { ...(algoId !== undefined ? { algoId } : {}), ...(clientAlgoId !== undefined ? { clientAlgoId } : {}) };
}

function placeAlgo(ctx: RouteContext): unknown {
  const m = ctx.futures.market(required(ctx.params, 'symbol'));
  if (m.status !== 'TRADING') throw futuresErrors.symbolClosed();
  const order = ctx.futures.algo.place(readAlgoOrder(ctx.params, m, ctx.futures.price(m.symbol), ctx.futures.account.dualSide));
  ctx.onOrderCreated(order);
  return algoOrderJson(ctx.futures.algo, order);
}

function getAlgo(ctx: RouteContext): unknown {
  const ref = readAlgoRef(ctx.params);
  const order = ctx.futures.algo.find(ref.algoId, ref.clientAlgoId);
  if (!order) throw errors.orderDoesNotExist();
  return algoOrderJson(ctx.futures.algo, order);
}

function cancelAlgo(ctx: RouteContext): unknown {
  const ref = readAlgoRef(ctx.params);
  const symbol = optional(ctx.params, 'symbol');
  const order = ctx.futures.algo.cancel(ref.algoId, ref.clientAlgoId, symbol === undefined ? undefined : ctx.futures.market(symbol).symbol);
  return { algoId: order.algoId, clientAlgoId: order.clientAlgoId, code: '200', msg: 'success' };
}

function openAlgos(ctx: RouteContext): unknown {
  const symbol = optional(ctx.params, 'symbol');
  const s = symbol === undefined ? undefined : ctx.futures.market(symbol).symbol;
  return ctx.futures.algo.open(s).map((o) => algoOrderJson(ctx.futures.algo, o));
}

function cancelAllAlgos(ctx: RouteContext): unknown {
  const symbol = ctx.futures.market(required(ctx.params, 'symbol')).symbol;
  for (const o of ctx.futures.algo.open(symbol)) ctx.futures.algo.cancel(o.algoId);
  return { code: 200, msg: 'The operation of cancel all open order is done.' };
}

function allAlgos(ctx: RouteContext): unknown {
  const symbol = ctx.futures.market(required(ctx.params, 'symbol')).symbol;
  const limit = limitOf(ctx.params, 500, 1000);
  return ctx.futures.algo.orders.filter((o) => o.symbol === symbol).slice(-limit).map((o) => algoOrderJson(ctx.futures.algo, o));
}

export const FUTURES_ALGO_ROUTES: Record<string, Route> = {
  'POST /fapi/v1/algoOrder': { signed: true, handle: placeAlgo },
  'GET /fapi/v1/algoOrder': { signed: true, handle: getAlgo },
  'DELETE /fapi/v1/algoOrder': { signed: true, handle: cancelAlgo },
  'GET /fapi/v1/openAlgoOrders': { signed: true, handle: openAlgos },
  'DELETE /fapi/v1/algoOpenOrders': { signed: true, handle: cancelAllAlgos },
  'GET /fapi/v1/allAlgoOrders': { signed: true, handle: allAlgos },
};
