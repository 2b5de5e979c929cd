/**
 * The Binance USDⓈ-M futures REST endpoints the simulator speaks (the ones ccxt's `binanceusdm`
 * calls for markets, tickers, orders, trades, positions and the account), as "METHOD /path" ->
 * handler. One-way position mode; margin type is recorded per symbol, margin computed as cross.
 */
import { type Dec, parseDecStrict } from './decimal.js';
import { BinanceError, errors } from './errors.js';
import type { PositionSide } from './futures-account.js';
import type { FuturesPlaceRequest } from './futures-engine.js';
import { futuresErrors } from './futures-errors.js';
import { futuresBookTicker, futuresDepth, futuresTicker24hr, futuresTickerPrice, premiumIndex } from './futures-market-data.js';
import { futuresExchangeInfo, FUTURES_ORDER_TYPES, type FuturesMarket } from './futures-markets.js';
import {
  futuresAccountJson, futuresAckJson, futuresBalanceJson, futuresOrderJson, futuresTradeJson, positionRiskV2, positionRiskV3,
} from './futures-serialize.js';
import { clientIdParam, integerParam, optional, type Params, readOrderRef, required } from './order-params.js';
import { queryAllOrders, queryOpenOrders, queryOrder, queryTrades } from './order-queries.js';
import type { Route, RouteContext } from './routes.js';

export const TIME_IN_FORCE = new Set(['GTC', 'IOC', 'FOK', 'GTX']);
const NUMBER_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

/** A decimal parameter with at most `decimals` decimals (the market's precision): -1111 beyond. */
export function decimalWithin(params: Params, name: string, decimals: number): Dec | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  const parsed = parseDecStrict(raw);
  if (!parsed.ok && parsed.reason === 'malformed') throw errors.illegalChars(name, NUMBER_RANGE);
  const frac = (raw.split('.')[1] ?? '').replace(/0+$/, '');
  if (!parsed.ok || frac.length > decimals) throw new BinanceError(400, -1111, 'Precision is over the maximum defined for this asset.');
  return parsed.value;
}

export function booleanParam(params: Params, name: string): boolean {
  const raw = optional(params, name);
  if (raw === undefined) return false;
  if (raw !== 'true' && raw !== 'false') throw errors.illegalChars(name);
  return raw === 'true';
}

/**
 * The order's position side against the account's mode: one-way takes BOTH (or none), hedge mode
 * LONG or SHORT (-4061 otherwise), where `reduceOnly` may not be sent at all (-1106: the side says it).
 */
export function readPositionSide(params: Params, dualSide: boolean): PositionSide {
  const raw = optional(params, 'positionSide');
  if (!dualSide) {
    if (raw !== undefined && raw !== 'BOTH') throw futuresErrors.positionSide();
    return 'BOTH';
  }
  if (raw !== 'LONG' && raw !== 'SHORT') throw futuresErrors.positionSide();
  if (optional(params, 'reduceOnly') !== undefined) throw errors.paramNotRequired('reduceonly');
  return raw;
}

/** POST /fapi/v1/order parameters -> a FuturesPlaceRequest. */
function readFuturesOrder(params: Params, m: FuturesMarket, dualSide: boolean): { request: FuturesPlaceRequest; ack: boolean } {
  const side = required(params, 'side');
  if (side !== 'BUY' && side !== 'SELL') throw futuresErrors.invalidSide();
  const type = required(params, 'type');
  if (!(FUTURES_ORDER_TYPES as readonly string[]).includes(type)) throw futuresErrors.invalidOrderType();
  // Conditional orders live behind /fapi/v1/algoOrder (futures-algo-routes.ts).
  if (type !== 'LIMIT' && type !== 'MARKET') throw futuresErrors.algoOnly();
  const positionSide = readPositionSide(params, dualSide);
  if (booleanParam(params, 'closePosition')) throw errors.paramNotRequired('closePosition');
  const reduceOnly = booleanParam(params, 'reduceOnly');
  const newClientOrderId = clientIdParam(params, 'newClientOrderId');
  const quantity = decimalWithin(params, 'quantity', m.quantityPrecision);
  if (quantity === undefined) throw errors.mandatory('quantity');
  const price = decimalWithin(params, 'price', m.pricePrecision);
  const timeInForce = optional(params, 'timeInForce');
  if (type === 'LIMIT') {
    if (timeInForce === undefined) throw errors.mandatory('timeInForce');
    if (price === undefined) throw errors.mandatory('price');
  } else if (price !== undefined) {
    throw errors.paramNotRequired('price');
  }
  if (timeInForce !== undefined && !TIME_IN_FORCE.has(timeInForce)) throw futuresErrors.invalidTimeInForce();
  const respType = optional(params, 'newOrderRespType') ?? 'ACK';
  if (respType !== 'ACK' && respType !== 'RESULT') throw errors.illegalChars('newOrderRespType');
  const request: FuturesPlaceRequest = { symbol: m.symbol, side, type, quantity, reduceOnly, positionSide };
  if (price !== undefined) request.price = price;
  if (type === 'LIMIT' && timeInForce !== undefined) request.timeInForce = timeInForce as FuturesPlaceRequest['timeInForce'];
  if (newClientOrderId !== undefined) request.newClientOrderId = newClientOrderId;
  return { request, ack: respType === 'ACK' };
}

/** POST /fapi/v1/positionSide/dual: hedge mode on (true) or off; -4059 when it already is. */
function setDual(ctx: RouteContext): unknown {
  const raw = required(ctx.params, 'dualSidePosition');
  if (raw !== 'true' && raw !== 'false') throw errors.illegalChars('dualSidePosition');
  const on = raw === 'true';
  if (on === ctx.futures.account.dualSide) throw new BinanceError(400, -4059, 'No need to change position side.');
  const f = ctx.futures;
  if (f.marketList().some((x) => f.account.holds(x.symbol))) throw new BinanceError(400, -4068, 'Position side cannot be changed if there exists position.');
  if (f.openOrders().length > 0 || f.algo.open().length > 0) throw new BinanceError(400, -4067, 'Position side cannot be changed if there exists open orders.');
  ctx.futures.account.dualSide = on;
  return { code: 200, msg: 'success' };
}

function placeOrder(ctx: RouteContext): unknown {
  const m = ctx.futures.market(required(ctx.params, 'symbol'));
  const { request, ack } = readFuturesOrder(ctx.params, m, ctx.futures.account.dualSide);
  const { order } = ctx.futures.place(request);
  ctx.onOrderCreated(order);
  return ack ? futuresAckJson(order) : futuresOrderJson(order, false);
}

/** Unlike spot, the answer's clientOrderId is the order's own. */
function cancelOrder(ctx: RouteContext): unknown {
  const ref = readOrderRef(ctx.params);
  return futuresOrderJson(ctx.futures.cancel(ref.symbol, ref.orderId, ref.origClientOrderId), false);
}

function cancelAll(ctx: RouteContext): unknown {
  const symbol = ctx.futures.market(required(ctx.params, 'symbol')).symbol;
  for (const o of ctx.futures.openOrders(symbol)) ctx.futures.cancel(symbol, o.orderId);
  return { code: 200, msg: 'The operation of cancel all open order is done.' };
}

function userTrades(ctx: RouteContext): unknown {
  const { market, trades } = queryTrades(ctx.futures, ctx.params);
  return trades.map((t) => futuresTradeJson(t, market.marginAsset));
}

/**
 * v3 lists the positions with an amount or an open order; v2 every one. One row per symbol in
 * one-way mode (BOTH), one per side in hedge mode (LONG, SHORT).
 */
function positionRisk(ctx: RouteContext, v3: boolean): unknown {
  const f = ctx.futures;
  const one = optional(ctx.params, 'symbol');
  const symbols = one !== undefined ? [f.market(one).symbol] : f.marketList().map((m) => m.symbol);
  const sides: PositionSide[] = f.account.dualSide ? ['LONG', 'SHORT'] : ['BOTH'];
  const rows = symbols.flatMap((s) => sides.map((side) => [s, side] as const));
  const listed = v3 ? rows.filter(([s, side]) => f.account.position(s, side).amt !== 0n || f.openOrders(s).length > 0) : rows;
  return listed.map(([s, side]) => (v3 ? positionRiskV3(f, s, f.takerFee, side) : positionRiskV2(f, s, f.takerFee, side)));
}

function leverageBracket(ctx: RouteContext): unknown {
  const bracket = (m: FuturesMarket) => ({
    symbol: m.symbol,
    notionalCoef: 1.0,
    brackets: [{ bracket: 1, initialLeverage: 125, notionalCap: 9000000000, notionalFloor: 0, maintMarginRatio: Number(m.maintMarginRatio) / 1e8, cum: 0.0 }],
  });
  const one = optional(ctx.params, 'symbol');
  return one !== undefined ? bracket(ctx.futures.market(one)) : ctx.futures.marketList().map(bracket);
}

function setLeverage(ctx: RouteContext): unknown {
  const m = ctx.futures.market(required(ctx.params, 'symbol'));
  const leverage = integerParam(ctx.params, 'leverage');
  if (leverage === undefined) throw errors.mandatory('leverage');
  if (leverage < 1 || leverage > 125) throw futuresErrors.leverageInvalid();
  ctx.futures.account.setLeverage(m.symbol, leverage);
  return { leverage, maxNotionalValue: '9000000000', symbol: m.symbol };
}

/** `ISOLATED` or `CROSSED`; the same type again is -4046, a change under a position or open order -4048 / -4047. */
function setMarginType(ctx: RouteContext): unknown {
  const m = ctx.futures.market(required(ctx.params, 'symbol'));
  const raw = required(ctx.params, 'marginType');
  if (raw !== 'ISOLATED' && raw !== 'CROSSED') throw errors.illegalChars('marginType');
  const wanted = raw === 'ISOLATED' ? 'isolated' : 'cross';
  const p = ctx.futures.account.position(m.symbol);
  if (p.marginType === wanted) throw futuresErrors.marginTypeUnchanged();
  if (ctx.futures.account.holds(m.symbol)) throw futuresErrors.marginTypePosition();
  if (ctx.futures.openOrders(m.symbol).length > 0) throw futuresErrors.marginTypeOpenOrders();
  ctx.futures.account.setMarginType(m.symbol, wanted);
  return { code: 200, msg: 'success' };
}

export const FUTURES_ROUTES: Record<string, Route> = {
  'GET /fapi/v1/ping': { signed: false, handle: () => ({}) },
  'GET /fapi/v1/time': { signed: false, handle: (ctx) => ({ serverTime: ctx.serverNow() }) },
  'GET /fapi/v1/exchangeInfo': { signed: false, handle: (ctx) => futuresExchangeInfo(ctx.futures.marketList(), ctx.serverNow()) },
  'GET /fapi/v1/ticker/24hr': { signed: false, handle: (ctx) => futuresTicker24hr(ctx.futures, ctx.params, ctx.serverNow()) },
  'GET /fapi/v1/ticker/price': { signed: false, handle: (ctx) => futuresTickerPrice(ctx.futures, ctx.params, ctx.serverNow()) },
  'GET /fapi/v2/ticker/price': { signed: false, handle: (ctx) => futuresTickerPrice(ctx.futures, ctx.params, ctx.serverNow()) },
  'GET /fapi/v1/ticker/bookTicker': { signed: false, handle: (ctx) => futuresBookTicker(ctx.futures, ctx.params, ctx.serverNow()) },
  'GET /fapi/v1/premiumIndex': { signed: false, handle: (ctx) => premiumIndex(ctx.futures, ctx.params, ctx.serverNow()) },
  'GET /fapi/v1/depth': { signed: false, handle: (ctx) => futuresDepth(ctx.futures, ctx.params, ctx.serverNow()) },
  'GET /fapi/v1/leverageBracket': { signed: true, handle: leverageBracket },
  'POST /fapi/v1/leverage': { signed: true, handle: setLeverage },
  'POST /fapi/v1/marginType': { signed: true, handle: setMarginType },
  'GET /fapi/v1/positionSide/dual': { signed: true, handle: (ctx) => ({ dualSidePosition: ctx.futures.account.dualSide }) },
  'POST /fapi/v1/positionSide/dual': { signed: true, handle: setDual },
  'GET /fapi/v2/account': { signed: true, handle: (ctx) => futuresAccountJson(ctx.futures, ctx.futures.takerFee, true) },
  'GET /fapi/v3/account': { signed: true, handle: (ctx) => futuresAccountJson(ctx.futures, ctx.futures.takerFee, false) },
  'GET /fapi/v2/balance': { signed: true, handle: (ctx) => futuresBalanceJson(ctx.futures) },
  'GET /fapi/v3/balance': { signed: true, handle: (ctx) => futuresBalanceJson(ctx.futures) },
  'GET /fapi/v2/positionRisk': { signed: true, handle: (ctx) => positionRisk(ctx, false) },
  'GET /fapi/v3/positionRisk': { signed: true, handle: (ctx) => positionRisk(ctx, true) },
  'POST /fapi/v1/order': { signed: true, handle: placeOrder },
  'GET /fapi/v1/order': { signed: true, handle: (ctx) => futuresOrderJson(queryOrder(ctx.futures, ctx.params)) },
  'DELETE /fapi/v1/order': { signed: true, handle: cancelOrder },
  'GET /fapi/v1/openOrders': { signed: true, handle: (ctx) => queryOpenOrders(ctx.futures, ctx.params).map((o) => futuresOrderJson(o)) },
  'DELETE /fapi/v1/allOpenOrders': { signed: true, handle: cancelAll },
  'GET /fapi/v1/allOrders': { signed: true, handle: (ctx) => queryAllOrders(ctx.futures, ctx.params).map((o) => futuresOrderJson(o)) },
  'GET /fapi/v1/userTrades': { signed: true, handle: userTrades },
};
