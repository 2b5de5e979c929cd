/**
 * The unified account's documents: `/v5/account/wallet-balance` (accountType UNIFIED) and
 * `/v5/position/list`. The spot coins and the linear margin live in the two shared engines; the
 * wallet shows them per coin as one unified balance.
 */
import { type Dec, div, max, mul, SCALE, ZERO } from '../exchange-simulator/decimal.js';
import { plain } from '../exchange-simulator/futures-markets.js';
import type { BybitOrderBook } from './bybit-orders.js';
import type { Books } from './order-records.js';

const s = (d: Dec): string => (d === ZERO ? '0' : plain(d));
const abs = (d: Dec): Dec => (d < ZERO ? -d : d);

/** One coin of the unified wallet, and its equity in USD (USDT / USDC at 1, others at their USDT price). */
function coinEntry(books: Books, coin: string): { entry: Record<string, unknown>; usd: Dec } {
  const spot = books.spot.ledger.get(coin);
  const margin = books.linear.account.summary(coin, books.linear.openOrderMargin(coin));
  const walletBalance = spot.free + spot.locked + margin.wallet;
  const equity = walletBalance + margin.unrealized;
  const usdPrice = coin === 'USDT' || coin === 'USDC' ? SCALE : books.spot.marketList().some((m) => m.symbol === `${coin}USDT`) ? books.spot.price(`${coin}USDT`) : ZERO;
  const usd = mul(equity, usdPrice);
  const entry = {
    coin, equity: s(equity), usdValue: s(usd), walletBalance: s(walletBalance), free: '', locked: s(spot.locked),
    spotHedgingQty: '0', borrowAmount: '0', availableToWithdraw: s(spot.free + max(margin.available, ZERO)), accruedInterest: '0',
    totalOrderIM: s(margin.openOrderInitialMargin), totalPositionIM: s(margin.positionInitialMargin), totalPositionMM: s(margin.maintMargin),
    unrealisedPnl: s(margin.unrealized), cumRealisedPnl: '0', bonus: '0', marginCollateral: true, collateralSwitch: true, availableToBorrow: '',
  };
  return { entry, usd };
}

export function walletBalance(books: Books, coins: string[] | undefined): Record<string, unknown> {
  const all = new Set([...books.spot.ledger.assets(), ...books.linear.account.assets()]);
  const entries = [...all].filter((c) => coins === undefined || coins.includes(c)).sort().map((c) => coinEntry(books, c));
  const usd = s(entries.reduce((sum, e) => sum + e.usd, ZERO));
  return {
    list: [{
      accountType: 'UNIFIED', accountIMRate: '0', accountMMRate: '0', accountLTV: '0', totalEquity: usd, totalWalletBalance: usd,
      totalMarginBalance: usd, totalAvailableBalance: usd, totalPerpUPL: '0', totalInitialMargin: '0', totalMaintenanceMargin: '0', coin: entries.map((e) => e.entry),
    }],
  };
}

function positionEntry(orders: BybitOrderBook, symbol: string, positionIdx = 0): Record<string, unknown> {
  const linear = orders.books.linear;
  const side = positionIdx === 1 ? 'LONG' : positionIdx === 2 ? 'SHORT' : 'BOTH';
  const p = linear.account.position(symbol, side);
  const mark = linear.price(symbol);
  const m = linear.market(symbol);
  const value = mul(abs(p.amt), p.entry);
  const im = p.amt === ZERO ? ZERO : div(mul(abs(p.amt), mark), BigInt(p.leverage) * SCALE);
  const stopOf = (kind: 'TakeProfit' | 'StopLoss'): string => s(orders.positionStops(symbol, kind)[0]?.triggerPrice ?? ZERO);
  return {
    positionIdx, riskId: 1, riskLimitValue: '2000000', symbol, side: p.amt > ZERO ? 'Buy' : p.amt < ZERO ? 'Sell' : '', size: s(abs(p.amt)),
    avgPrice: s(p.entry), positionValue: s(value), tradeMode: 0, autoAddMargin: 0, positionStatus: 'Normal', leverage: String(p.leverage),
    markPrice: s(mark), liqPrice: p.amt === ZERO ? '' : s(linear.account.liquidationPrice(symbol, side)), bustPrice: '', positionIM: s(im),
    positionMM: s(mul(mul(abs(p.amt), mark), m.maintMarginRatio)), positionBalance: s(im), tpslMode: 'Full', takeProfit: stopOf('TakeProfit'),
    stopLoss: stopOf('StopLoss'), trailingStop: '0', sessionAvgPrice: '', unrealisedPnl: s(linear.account.unrealized(symbol, side)), curRealisedPnl: '0',
    cumRealisedPnl: '0', adlRankIndicator: p.amt === ZERO ? 0 : 2, createdTime: String(p.updateTime), updatedTime: String(p.updateTime), seq: p.updateTime,
    isReduceOnly: false, mmrSysUpdatedTime: '', leverageSysUpdatedTime: '',
  };
}

/** By symbol: that position, flat or not (as Bybit answers); by settle coin: the open ones. */
export function positionList(orders: BybitOrderBook, symbol: string | undefined, settleCoin: string | undefined): Record<string, unknown> {
  const linear = orders.books.linear;
  const symbols = symbol !== undefined
    ? [linear.market(symbol).symbol]
    : linear.marketList().filter((m) => m.marginAsset === settleCoin && linear.account.holds(m.symbol)).map((m) => m.symbol);
  // Hedge mode lists a symbol's two sides: positionIdx 1 (the buy side, long) and 2 (the sell side, short).
  const entries = symbols.flatMap((x) => ((orders.positionMode.get(x) ?? 0) === 3 ? [positionEntry(orders, x, 1), positionEntry(orders, x, 2)] : [positionEntry(orders, x)]));
  return { category: 'linear', list: entries, nextPageCursor: '' };
}
