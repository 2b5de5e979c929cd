/** Futures engine records -> the JSON shapes of Binance's fapi endpoints. */
import { type Dec, div, fmt, mul, SCALE, ZERO } from './decimal.js';
import type { PositionSide } from './futures-account.js';
import { closesSide, type FuturesEngine, type FuturesOrder, type FuturesTrade } from './futures-engine.js';

type Json = Record<string, unknown>;

/** POST/GET/DELETE /fapi/v1/order, openOrders, allOrders. `time` is in queries, not in the POST answer. */
export function futuresOrderJson(o: FuturesOrder, withTime = true): Json {
  const avg = o.executedQty > ZERO ? div(o.cumQuote, o.executedQty) : ZERO;
  const body: Json = {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: fmt(o.price),
    avgPrice: fmt(avg),
    origQty: fmt(o.origQty),
    executedQty: fmt(o.executedQty),
    cumQty: fmt(o.executedQty),
    cumQuote: fmt(o.cumQuote),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side,
    positionSide: o.positionSide,
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: o.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
  };
  if (withTime) body.time = o.time;
  body.updateTime = o.updateTime;
  return body;
}

/** newOrderRespType=ACK (Binance's default): the order as accepted, before it matched. */
export function futuresAckJson(o: FuturesOrder): Json {
  return { ...futuresOrderJson(o, false), status: 'NEW', avgPrice: '0.00', executedQty: '0', cumQty: '0', cumQuote: '0', updateTime: o.time };
}

/** GET /fapi/v1/userTrades entry. */
export function futuresTradeJson(t: FuturesTrade, marginAsset: string): Json {
  return {
    buyer: t.side === 'BUY',
    commission: fmt(t.commission),
    commissionAsset: t.commissionAsset,
    id: t.id,
    maker: t.maker,
    orderId: t.orderId,
    price: fmt(t.price),
    qty: fmt(t.qty),
    quoteQty: fmt(t.quoteQty),
    realizedPnl: fmt(t.realizedPnl),
    marginAsset,
    side: t.side,
    positionSide: t.positionSide,
    symbol: t.symbol,
    time: t.time,
  };
}

function positionNumbers(e: FuturesEngine, symbol: string, takerFee: Dec, side: PositionSide) {
  const p = e.account.position(symbol, side);
  const m = e.market(symbol);
  const mark = e.price(symbol);
  const notional = mul(p.amt, mark);
  const absNotional = notional < ZERO ? -notional : notional;
  const lev = BigInt(p.leverage) * SCALE;
  const positionInitialMargin = div(absNotional, lev);
  let openOrderInitialMargin = ZERO;
  for (const o of e.openOrders(symbol)) if (!o.reduceOnly && !closesSide(o) && o.positionSide === side) openOrderInitialMargin += div(mul(o.origQty - o.executedQty, o.price), lev);
  const breakEven = p.amt === ZERO ? ZERO : p.amt > ZERO ? mul(p.entry, SCALE + takerFee) : mul(p.entry, SCALE - takerFee);
  return {
    p,
    m,
    mark,
    notional,
    positionInitialMargin,
    openOrderInitialMargin,
    maintMargin: mul(absNotional, m.maintMarginRatio),
    unrealized: e.account.unrealized(symbol, side),
    breakEven,
    liquidation: e.account.liquidationPrice(symbol, side),
  };
}

/** The position and its prices, as both positionRisk versions write them. */
function positionPrices(n: ReturnType<typeof positionNumbers>): Json {
  return {
    positionAmt: fmt(n.p.amt),
    entryPrice: fmt(n.p.entry),
    breakEvenPrice: fmt(n.breakEven),
    markPrice: fmt(n.mark),
    unRealizedProfit: fmt(n.unrealized),
    liquidationPrice: fmt(n.liquidation),
  };
}

/** GET /fapi/v3/positionRisk entry (positionSide BOTH in one-way mode, LONG / SHORT in hedge mode; cross margin). */
export function positionRiskV3(e: FuturesEngine, symbol: string, takerFee: Dec, side: PositionSide = 'BOTH'): Json {
  const n = positionNumbers(e, symbol, takerFee, side);
  return {
    symbol,
    positionSide: side,
    ...positionPrices(n),
    isolatedMargin: '0',
    notional: fmt(n.notional),
    marginAsset: n.m.marginAsset,
    isolatedWallet: '0',
    initialMargin: fmt(n.positionInitialMargin + n.openOrderInitialMargin),
    maintMargin: fmt(n.maintMargin),
    positionInitialMargin: fmt(n.positionInitialMargin),
    openOrderInitialMargin: fmt(n.openOrderInitialMargin),
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
    updateTime: n.p.updateTime,
  };
}

/** GET /fapi/v2/positionRisk entry: leverage and margin type included, every symbol listed. */
export function positionRiskV2(e: FuturesEngine, symbol: string, takerFee: Dec, side: PositionSide = 'BOTH'): Json {
  const n = positionNumbers(e, symbol, takerFee, side);
  return {
    symbol,
    ...positionPrices(n),
    leverage: String(n.p.leverage),
    maxNotionalValue: '9000000000',
    marginType: n.p.marginType,
    isolatedMargin: '0.00000000',
    isAutoAddMargin: 'false',
    positionSide: side,
    notional: fmt(n.notional),
    isolatedWallet: '0',
    updateTime: n.p.updateTime,
  };
}

interface AssetNumbers {
  asset: string;
  wallet: Dec;
  unrealized: Dec;
  marginBalance: Dec;
  maintMargin: Dec;
  initial: Dec;
  positionInitialMargin: Dec;
  openOrderInitialMargin: Dec;
  available: Dec;
  maxWithdraw: Dec;
  updateTime: number;
}

function assetNumbers(e: FuturesEngine, asset: string): AssetNumbers {
  const s = e.account.summary(asset, e.openOrderMargin(asset));
  const withdrawable = s.available > ZERO ? s.available : ZERO;
  return {
    asset,
    wallet: s.wallet,
    unrealized: s.unrealized,
    marginBalance: s.marginBalance,
    maintMargin: s.maintMargin,
    initial: s.positionInitialMargin + s.openOrderInitialMargin,
    positionInitialMargin: s.positionInitialMargin,
    openOrderInitialMargin: s.openOrderInitialMargin,
    available: s.available,
    maxWithdraw: withdrawable < s.wallet ? withdrawable : s.wallet,
    updateTime: s.updateTime,
  };
}

function assetJson(n: AssetNumbers, v2: boolean): Json {
  const body: Json = {
    asset: n.asset,
    walletBalance: fmt(n.wallet),
    unrealizedProfit: fmt(n.unrealized),
    marginBalance: fmt(n.marginBalance),
    maintMargin: fmt(n.maintMargin),
    initialMargin: fmt(n.initial),
    positionInitialMargin: fmt(n.positionInitialMargin),
    openOrderInitialMargin: fmt(n.openOrderInitialMargin),
    crossWalletBalance: fmt(n.wallet),
    crossUnPnl: fmt(n.unrealized),
    availableBalance: fmt(n.available),
    maxWithdrawAmount: fmt(n.maxWithdraw),
  };
  if (v2) body.marginAvailable = true;
  body.updateTime = n.updateTime;
  return body;
}

/** GET /fapi/v3/account (v2: also the account flags and every symbol's position). */
export function futuresAccountJson(e: FuturesEngine, takerFee: Dec, v2: boolean): Json {
  const numbers = e.account.assets().map((a) => assetNumbers(e, a));
  // The totals add the assets up as if each were worth 1 USD: true of the stablecoins simulated.
  const sum = (k: keyof Omit<AssetNumbers, 'asset' | 'updateTime'>): string => fmt(numbers.reduce((acc, n) => acc + n[k], ZERO));
  const sides: PositionSide[] = e.account.dualSide ? ['LONG', 'SHORT'] : ['BOTH'];
  const all = (v2 ? e.marketList().map((m) => m.symbol) : e.account.symbols()).flatMap((s) => sides.map((side) => [s, side] as const));
  const listed = v2 ? all : all.filter(([s, side]) => e.account.position(s, side).amt !== ZERO);
  const positions = listed.map(([symbol, side]) => {
    const r = positionRiskV3(e, symbol, takerFee, side);
    const base: Json = {
      symbol,
      positionSide: side,
      positionAmt: r.positionAmt,
      unrealizedProfit: r.unRealizedProfit,
      isolatedMargin: '0',
      notional: r.notional,
      isolatedWallet: '0',
      initialMargin: r.initialMargin,
      maintMargin: r.maintMargin,
      updateTime: r.updateTime,
    };
    if (v2) {
      Object.assign(base, {
        positionInitialMargin: r.positionInitialMargin,
        openOrderInitialMargin: r.openOrderInitialMargin,
        leverage: String(e.account.position(symbol).leverage),
        isolated: false,
        entryPrice: r.entryPrice,
        breakEvenPrice: r.breakEvenPrice,
        maxNotional: '9000000000',
        bidNotional: '0',
        askNotional: '0',
      });
    }
    return base;
  });
  const totals: Json = {
    totalInitialMargin: sum('initial'),
    totalMaintMargin: sum('maintMargin'),
    totalWalletBalance: sum('wallet'),
    totalUnrealizedProfit: sum('unrealized'),
    totalMarginBalance: sum('marginBalance'),
    totalPositionInitialMargin: sum('positionInitialMargin'),
    totalOpenOrderInitialMargin: sum('openOrderInitialMargin'),
    totalCrossWalletBalance: sum('wallet'),
    totalCrossUnPnl: sum('unrealized'),
    availableBalance: sum('available'),
    maxWithdrawAmount: sum('maxWithdraw'),
  };
  const flags = v2 ? { feeTier: 0, feeBurn: false, canTrade: true, canDeposit: true, canWithdraw: true, updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 } : {};
  return { ...flags, ...totals, assets: numbers.map((n) => assetJson(n, v2)), positions };
}

/** GET /fapi/v2/balance and /fapi/v3/balance. */
export function futuresBalanceJson(e: FuturesEngine): Json[] {
  return e.account.assets().map((asset) => {
    const n = assetNumbers(e, asset);
    return {
      accountAlias: 'SgsRmYFzAzsR',
      asset,
      balance: fmt(n.wallet),
      crossWalletBalance: fmt(n.wallet),
      crossUnPnl: fmt(n.unrealized),
      availableBalance: fmt(n.available),
      maxWithdrawAmount: fmt(n.maxWithdraw),
      marginAvailable: true,
      updateTime: n.updateTime,
    };
  });
}
