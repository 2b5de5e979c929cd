/** The Binance spot REST endpoints the simulator speaks, as a table of "METHOD /path" -> handler. */
import { fmt } from './decimal.js';
import type { Engine, Order } from './engine.js';
import { errors } from './errors.js';
import type { AlgoOrder } from './futures-algo.js';
import type { FuturesEngine, FuturesOrder } from './futures-engine.js';
import type { MarketData } from './market-data.js';
import { exchangeInfo } from './markets.js';
import { randomClientId } from './order-book.js';
import { orderListResponse, placeOcoRoute } from './order-list.js';
import { clientIdParam, optional, type Params, readNewOrder, readOrderRef, required } from './order-params.js';
import { queryAllOrders, queryOpenOrders, queryOrder, queryTrades } from './order-queries.js';
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
  'GET /api/v3/order': { signed: true, handle: (ctx) => orderQuery(queryOrder(ctx.engine, ctx.params)) },
  'DELETE /api/v3/order': { signed: true, handle: cancelOrder },
  'GET /api/v3/openOrders': { signed: true, handle: (ctx) => queryOpenOrders(ctx.engine, ctx.params).map(orderQuery) },
  'DELETE /api/v3/openOrders': { signed: true, handle: cancelOpenOrders },
  'GET /api/v3/allOrders': { signed: true, handle: (ctx) => queryAllOrders(ctx.engine, ctx.params).map(orderQuery) },
  'POST /api/v3/orderList/oco': { signed: true, handle: (ctx) => placeOcoRoute(ctx.engine, ctx.params, ctx.onOrderCreated) },
  'GET /api/v3/openOrderList': {
    signed: true,
    handle: (ctx) => ctx.engine.orderLists.filter((l) => l.orders.some((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).map((l) => orderListResponse(l, false)),
  },
  'GET /api/v3/myTrades': { signed: true, handle: (ctx) => queryTrades(ctx.engine, ctx.params).trades.map(myTrade) },
};

