/** The Binance spot REST endpoints the simulator speaks, as a table of "METHOD /path" -> handler. */
import { fmt } from './decimal.js';
import { type Engine, type Order, randomClientId } from './engine.js';
import { errors } from './errors.js';
import type { AlgoOrder } from './futures-algo.js';
import type { FuturesEngine, FuturesOrder } from './futures-engine.js';
import type { MarketData } from './market-data.js';
import { exchangeInfo } from './markets.js';
import { clientIdParam, integerParam, optional, type Params, readNewOrder, readOrderRef, required } from './order-params.js';
import { cancelResponse, myTrade, newOrderResponse, orderQuery } from './serialize.js';

export interface RouteContext {
  engine: Engine;
  marketData: MarketData;
  /** The USDⓈ-M futures side (fapi endpoints). */
  futures: FuturesEngine;
  params: Params;
  serverNow: () => number;
  /** Called after an order was accepted (counters). */
  onOrderCreated: (order: Order | FuturesOrder | AlgoOrder) => void;
}

export interface Route {
  signed: boolean;
  handle: (ctx: RouteContext) => unknown;
}

function limitOf(params: Params, dflt: number, maxLimit: number): number {
  const limit = integerParam(params, 'limit') ?? dflt;
  return Math.max(1, Math.min(limit, maxLimit));
}

/** startTime/endTime/fromId-style filtering shared by allOrders and myTrades (spot and futures). */
export function timeWindow<T extends { time: number }>(items: T[], params: Params, idOf: (x: T) => number, fromKey: string): T[] {
  const start = integerParam(params, 'startTime');
  const end = integerParam(params, 'endTime');
  const fromId = integerParam(params, fromKey);
  let out = items.filter((x) => (start === undefined || x.time >= start) && (end === undefined || x.time <= end));
  if (fromId !== undefined) out = out.filter((x) => idOf(x) >= fromId);
  const limit = limitOf(params, 500, 1000);
  // With a time window Binance returns the oldest first; without one, the most recent `limit`.
  return start !== undefined || fromId !== undefined ? out.slice(0, limit) : out.slice(-limit);
}

function accountInfo(ctx: RouteContext): unknown {
  const omitZero = optional(ctx.params, 'omitZeroBalances') === 'true';
  const balances = ctx.engine.ledger
    .assets()
    .map((asset) => ({ asset, ...ctx.engine.ledger.get(asset) }))
    .filter((b) => !omitZero || b.free !== 0n || b.locked !== 0n)
    .map((b) => ({ asset: b.asset, free: fmt(b.free), locked: fmt(b.locked) }));
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: ctx.serverNow(),
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 354937868,
  };
}

function placeOrder(ctx: RouteContext, test: boolean): unknown {
  const { request, respType } = readNewOrder(ctx.params);
  ctx.engine.market(request.symbol);
  if (test) return {};
  const { order, fills } = ctx.engine.place(request);
  ctx.onOrderCreated(order);
  return newOrderResponse(order, fills, respType, ctx.serverNow());
}

function getOrder(ctx: RouteContext): unknown {
  const ref = readOrderRef(ctx.params);
  ctx.engine.market(ref.symbol);
  const order = ctx.engine.find(ref.symbol, ref.orderId, ref.origClientOrderId);
  if (!order) throw errors.orderDoesNotExist();
  return orderQuery(order);
}

function cancelOrder(ctx: RouteContext): unknown {
  const ref = readOrderRef(ctx.params);
  const cancelId = clientIdParam(ctx.params, 'newClientOrderId') ?? randomClientId();
  const order = ctx.engine.cancel(ref.symbol, ref.orderId, ref.origClientOrderId);
  return cancelResponse(order, cancelId, ctx.serverNow());
}

function cancelOpenOrders(ctx: RouteContext): unknown {
  const symbol = required(ctx.params, 'symbol');
  ctx.engine.market(symbol);
  const open = ctx.engine.openOrders(symbol);
  if (open.length === 0) throw errors.unknownOrder();
  return open.map((o) => cancelResponse(ctx.engine.cancel(symbol, o.orderId), randomClientId(), ctx.serverNow()));
}

function openOrders(ctx: RouteContext): unknown {
  const symbol = optional(ctx.params, 'symbol');
  if (symbol !== undefined) ctx.engine.market(symbol);
  return ctx.engine.openOrders(symbol).map(orderQuery);
}

function allOrders(ctx: RouteContext): unknown {
  const symbol = required(ctx.params, 'symbol');
  ctx.engine.market(symbol);
  const orders = ctx.engine.orders.filter((o) => o.symbol === symbol);
  return timeWindow(orders, ctx.params, (o) => o.orderId, 'orderId').map(orderQuery);
}

function myTrades(ctx: RouteContext): unknown {
  const symbol = required(ctx.params, 'symbol');
  ctx.engine.market(symbol);
  const orderId = integerParam(ctx.params, 'orderId');
  const trades = ctx.engine.trades.filter((t) => t.symbol === symbol && (orderId === undefined || t.orderId === orderId));
  return timeWindow(trades, ctx.params, (t) => t.id, 'fromId').map(myTrade);
}

function info(ctx: RouteContext): unknown {
  const { params, engine } = ctx;
  let markets = engine.marketList();
  if (params.symbol !== undefined) markets = [engine.market(params.symbol)];
  else if (params.symbols !== undefined) {
    let wanted: unknown;
    try {
      wanted = JSON.parse(params.symbols);
    } catch {
      throw errors.illegalChars('symbols');
    }
    if (!Array.isArray(wanted)) throw errors.illegalChars('symbols');
    markets = wanted.map((s) => engine.market(String(s)));
  }
  return exchangeInfo(markets, ctx.serverNow());
}

export const ROUTES: Record<string, Route> = {
  'GET /api/v3/ping': { signed: false, handle: () => ({}) },
  'GET /api/v3/time': { signed: false, handle: (ctx) => ({ serverTime: ctx.serverNow() }) },
  'GET /api/v3/exchangeInfo': { signed: false, handle: info },
  'GET /api/v3/ticker/price': { signed: false, handle: (ctx) => ctx.marketData.tickerPrice(ctx.params) },
  'GET /api/v3/ticker/bookTicker': { signed: false, handle: (ctx) => ctx.marketData.bookTicker(ctx.params) },
  'GET /api/v3/ticker/24hr': { signed: false, handle: (ctx) => ctx.marketData.ticker24hr(ctx.params) },
  'GET /api/v3/ticker': { signed: false, handle: (ctx) => ctx.marketData.ticker24hr(ctx.params, true) },
  'GET /api/v3/avgPrice': { signed: false, handle: (ctx) => ctx.marketData.avgPrice(ctx.params) },
  'GET /api/v3/depth': { signed: false, handle: (ctx) => ctx.marketData.depth(ctx.params) },
  'GET /sapi/v1/system/status': { signed: false, handle: () => ({ status: 0, msg: 'normal' }) },
  'GET /api/v3/account': { signed: true, handle: accountInfo },
  'POST /api/v3/order': { signed: true, handle: (ctx) => placeOrder(ctx, false) },
  'POST /api/v3/order/test': { signed: true, handle: (ctx) => placeOrder(ctx, true) },
  'GET /api/v3/order': { signed: true, handle: getOrder },
  'DELETE /api/v3/order': { signed: true, handle: cancelOrder },
  'GET /api/v3/openOrders': { signed: true, handle: openOrders },
  'DELETE /api/v3/openOrders': { signed: true, handle: cancelOpenOrders },
  'GET /api/v3/allOrders': { signed: true, handle: allOrders },
  'GET /api/v3/myTrades': { signed: true, handle: myTrades },
};

