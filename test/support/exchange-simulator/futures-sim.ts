/** The futures side of the simulator's test API: state to inspect, prices and hooks to move. */
import { toDec, toDecRecord, toNumber, ZERO } from './decimal.js';
import type { AlgoOrder } from './futures-algo.js';
import type { PositionSide } from './futures-account.js';
import { FuturesEngine, type FuturesOrder, type FuturesTrade } from './futures-engine.js';
import { DEFAULT_FUTURES_MARKETS, parseFuturesMarket } from './futures-markets.js';
import { inspect, tradeView } from './inspection.js';
import { initialPrices } from './market-base.js';
import type {
  FuturesAlgoOrderView, FuturesOptions, FuturesOrderView, FuturesPositionView, FuturesSeedOrder, FuturesTradeView, FuturesWalletView, PositionAdjustment,
} from './futures-types.js';
import type { NumberLike } from './types.js';

export interface FuturesSimulator {
  /** New last (= mark) price; resting limit orders it crosses fill (maker), algo orders it crosses trigger. */
  setPrice(symbol: string, price: NumberLike): void;
  price(symbol: string): number;
  /** Drift injection for the settle currency: overwrite the wallet balance (a deposit, a withdrawal). */
  setWallet(asset: string, amount: NumberLike): void;
  wallet(asset?: string): FuturesWalletView;
  /** The symbol's position (zeros when flat); in hedge mode name the side, LONG or SHORT (a SHORT's amount is negative). */
  position(symbol: string, side?: PositionSide): FuturesPositionView;
  /** Every non-zero position (in hedge mode one per side held). */
  positions(): FuturesPositionView[];
  /**
   * Changes a position outside the API, as a manual trade in the web app or a liquidation would:
   * `delta` contracts (signed: + buys, - sells) fill at `price` (default the mark price) as an
   * order of their own; realized P&L and the fee move the wallet. Nothing appears in the request log.
   */
  adjustPosition(symbol: string, delta: NumberLike, opts?: PositionAdjustment): FuturesTradeView;
  setLeverage(symbol: string, leverage: number): void;
  /** Hedge mode on or off, as the web app's Position Mode setting (see FuturesAccount.dualSide; the test hook does not check for open positions). */
  setDualSide(on: boolean): void;
  orders(): FuturesOrderView[];
  order(orderId: number): FuturesOrderView | undefined;
  /** Every order with this clientOrderId, oldest first. */
  ordersByClientId(clientOrderId: string): FuturesOrderView[];
  openOrders(symbol?: string): FuturesOrderView[];
  trades(): FuturesTradeView[];
  /** Conditional (algo) orders, oldest first. */
  algoOrders(): FuturesAlgoOrderView[];
  /** Every algo order with this clientAlgoId, oldest first. */
  algoOrdersByClientId(clientAlgoId: string): FuturesAlgoOrderView[];
  /** Algo orders waiting for their trigger (algoStatus NEW). */
  openAlgoOrders(symbol?: string): FuturesAlgoOrderView[];
  /** Places an order directly, without HTTP; same rules as POST /fapi/v1/order. */
  placeOrder(order: FuturesSeedOrder): FuturesOrderView;
  /** Fills (part of) a resting order at its limit price (or `price`) as a maker. */
  fillOrder(orderId: number, qty?: NumberLike, price?: NumberLike): FuturesTradeView | undefined;
}

export function createFuturesEngine(o: FuturesOptions, firstOrderId: number, now: () => number): FuturesEngine {
  const specs = o.markets ?? DEFAULT_FUTURES_MARKETS;
  const prices = initialPrices(specs, o.prices ?? {});
  const markets = specs.map(parseFuturesMarket);
  for (const m of markets) if (prices[m.symbol] === undefined) throw new Error(`exchange simulator: no futures price for ${m.symbol}`);
  return new FuturesEngine({
    markets, prices, balances: toDecRecord(o.balances ?? { USDT: 10000 }), takerFee: toDec(o.takerFeeRate ?? '0.0005'), makerFee: toDec(o.makerFeeRate ?? '0.0002'),
    leverage: o.leverage ?? 20, firstOrderId, now,
  });
}

function orderView(o: FuturesOrder): FuturesOrderView {
  return {
    orderId: o.orderId, symbol: o.symbol, clientOrderId: o.clientOrderId, side: o.side, type: o.type, timeInForce: o.timeInForce,
    status: o.status, price: toNumber(o.price), avgPrice: o.executedQty > ZERO ? toNumber(o.cumQuote) / toNumber(o.executedQty) : 0,
    origQty: toNumber(o.origQty), executedQty: toNumber(o.executedQty), cumQuote: toNumber(o.cumQuote), reduceOnly: o.reduceOnly, positionSide: o.positionSide,
    origin: o.origin, time: o.time, updateTime: o.updateTime,
  };
}

function algoView(e: FuturesEngine, a: AlgoOrder): FuturesAlgoOrderView {
  return {
    algoId: a.algoId, clientAlgoId: a.clientAlgoId, orderType: a.orderType, symbol: a.symbol, side: a.side, quantity: toNumber(a.quantity),
    price: toNumber(a.price), triggerPrice: toNumber(a.triggerPrice), callbackRate: toNumber(a.callbackRate), reduceOnly: a.reduceOnly, positionSide: a.positionSide,
    closePosition: a.closePosition, algoStatus: e.algo.status(a), actualOrderId: a.actualOrderId, createTime: a.createTime,
    updateTime: a.updateTime, triggerTime: a.triggerTime,
  };
}

const futuresTradeView = (t: FuturesTrade): FuturesTradeView => tradeView(t, { realizedPnl: toNumber(t.realizedPnl), maker: t.maker });

export function futuresControl(e: FuturesEngine): FuturesSimulator {
  const position = (symbol: string, side: PositionSide = 'BOTH'): FuturesPositionView => {
    const s = e.market(symbol.toUpperCase()).symbol;
    const p = e.account.position(s, side);
    const mark = e.price(s);
    return {
      symbol: s, positionSide: side, positionAmt: toNumber(p.amt), entryPrice: toNumber(p.entry), markPrice: toNumber(mark),
      unrealizedProfit: toNumber(e.account.unrealized(s, side)), notional: toNumber(p.amt) * toNumber(mark), leverage: p.leverage, marginType: p.marginType,
    };
  };
  const findOrder = (orderId: number): FuturesOrder => {
    const o = e.byId(orderId);
    if (!o) throw new Error(`exchange simulator: no futures order ${orderId}`);
    return o;
  };
  return {
    setPrice(symbol, price) {
      e.setPrice(symbol.toUpperCase(), toDec(price));
    },
    price: (symbol) => toNumber(e.price(symbol.toUpperCase())),
    setWallet: (asset, amount) => e.account.setWallet(asset, toDec(amount)),
    wallet(asset = 'USDT') {
      const s = e.account.summary(asset.toUpperCase(), e.openOrderMargin(asset.toUpperCase()));
      return {
        walletBalance: toNumber(s.wallet), unrealizedProfit: toNumber(s.unrealized), marginBalance: toNumber(s.marginBalance),
        initialMargin: toNumber(s.positionInitialMargin + s.openOrderInitialMargin), availableBalance: toNumber(s.available),
      };
    },
    position,
    positions: () =>
      e.account
        .symbols()
        .sort()
        .flatMap((s) => (['BOTH', 'LONG', 'SHORT'] as const).filter((side) => e.account.position(s, side).amt !== ZERO).map((side) => position(s, side))),
    adjustPosition(symbol, delta, opts = {}) {
      const price = opts.price === undefined ? undefined : toDec(opts.price);
      const fee = opts.fee === undefined ? undefined : toDec(opts.fee);
      return futuresTradeView(e.adjust(symbol.toUpperCase(), toDec(delta), price, fee, opts.kind ?? 'manual'));
    },
    setDualSide: (on) => {
      e.account.dualSide = on;
    },
    setLeverage: (symbol, leverage) => e.account.setLeverage(e.market(symbol.toUpperCase()).symbol, leverage),
    ...inspect(e, orderView, futuresTradeView),
    algoOrders: () => e.algo.orders.map((a) => algoView(e, a)),
    algoOrdersByClientId: (id) => e.algo.orders.filter((a) => a.clientAlgoId === id).map((a) => algoView(e, a)),
    openAlgoOrders: (symbol) => e.algo.open(symbol?.toUpperCase()).map((a) => algoView(e, a)),
    placeOrder(seed) {
      const { order } = e.place({
        symbol: seed.symbol.toUpperCase(), side: seed.side, type: seed.type, quantity: toDec(seed.quantity), reduceOnly: seed.reduceOnly ?? false,
        ...(seed.positionSide !== undefined ? { positionSide: seed.positionSide } : {}),
        ...(seed.price !== undefined ? { price: toDec(seed.price) } : {}),
        ...(seed.timeInForce !== undefined ? { timeInForce: seed.timeInForce } : {}),
        ...(seed.clientOrderId !== undefined ? { newClientOrderId: seed.clientOrderId } : {}),
      });
      return orderView(order);
    },
    fillOrder(orderId, qty, price) {
      const o = findOrder(orderId);
      const remaining = o.origQty - o.executedQty;
      const q = qty === undefined ? remaining : toDec(qty);
      if (q <= ZERO || q > remaining || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) {
        throw new Error(`exchange simulator: cannot fill ${String(qty)} of futures order ${orderId}`);
      }
      const t = e.fillResting(o, q, price !== undefined ? toDec(price) : o.price > ZERO ? o.price : e.price(o.symbol));
      return t ? futuresTradeView(t) : undefined;
    },
  };
}
