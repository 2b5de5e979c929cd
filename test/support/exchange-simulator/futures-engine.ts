/**
 * USDⓈ-M perpetuals: orders, fills and the account they move. One last price per symbol, which is
 * also the mark price: market orders fill at it, limit orders that cross it fill at it on arrival
 * (taker), resting ones fill at their own price when setPrice crosses them (maker). Reduce-only
 * orders may only shrink the position: refused on arrival when they would open, grow or flip
 * it, and clipped (the rest expired) when a resting one fills after the position got smaller.
 */
import { type Dec, div, max, min, mul, SCALE, ZERO } from './decimal.js';
import { randomClientId } from './engine.js';
import { errors } from './errors.js';
import { FuturesAccount } from './futures-account.js';
import { FuturesAlgoBook } from './futures-algo.js';
import { futuresErrors } from './futures-errors.js';
import { checkFuturesNotional, checkFuturesPrice, checkFuturesQty, type FuturesMarket } from './futures-markets.js';
import type { FuturesOrderStatus } from './futures-types.js';
import type { FuturesOrder, FuturesPlaceRequest, FuturesTrade } from './futures-records.js';

export type { FuturesOrder, FuturesPlaceRequest, FuturesTrade } from './futures-records.js';

export interface FuturesEngineOptions {
  markets: FuturesMarket[];
  prices: Record<string, Dec>;
  balances: Record<string, Dec>;
  takerFee: Dec;
  makerFee: Dec;
  leverage: number;
  firstOrderId: number;
  now: () => number;
}

interface Stats {
  open: Dec;
  high: Dec;
  low: Dec;
}

const abs = (d: Dec): Dec => (d < ZERO ? -d : d);
export const isOpenFutures = (o: FuturesOrder): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';

export class FuturesEngine {
  readonly orders: FuturesOrder[] = [];
  readonly trades: FuturesTrade[] = [];
  readonly account: FuturesAccount;
  /** Conditional orders (the Algo Service), triggered by setPrice. */
  readonly algo: FuturesAlgoBook;
  readonly stats = new Map<string, Stats>();
  private readonly markets = new Map<string, FuturesMarket>();
  private readonly prices = new Map<string, Dec>();
  private nextOrderId: number;
  private nextTradeId = 1;

  constructor(private readonly opts: FuturesEngineOptions) {
    for (const m of opts.markets) this.markets.set(m.symbol, m);
    for (const [s, p] of Object.entries(opts.prices)) {
      this.prices.set(s, p);
      this.stats.set(s, { open: p, high: p, low: p });
    }
    this.account = new FuturesAccount(opts.balances, this.markets, (s) => this.price(s), opts.leverage, opts.now);
    this.nextOrderId = opts.firstOrderId;
    // Algo ids are a range of their own, as on Binance (far below the plain order ids).
    this.algo = new FuturesAlgoBook(this, 3000, opts.now);
  }

  get takerFee(): Dec {
    return this.opts.takerFee;
  }

  marketList(): FuturesMarket[] {
    return [...this.markets.values()];
  }

  market(symbol: string | undefined): FuturesMarket {
    const m = symbol === undefined ? undefined : this.markets.get(symbol);
    if (!m) throw errors.invalidSymbol();
    return m;
  }

  price(symbol: string): Dec {
    const p = this.prices.get(symbol);
    if (p === undefined) throw new Error(`simulator: no futures price set for ${symbol}`);
    return p;
  }

  /** Initial margin of the resting orders that would open or grow a position. */
  openOrderMargin(asset: string): Dec {
    let total = ZERO;
    for (const o of this.orders) {
      if (!isOpenFutures(o) || o.reduceOnly) continue;
      const m = this.market(o.symbol);
      if (m.marginAsset !== asset) continue;
      const lev = BigInt(this.account.position(o.symbol).leverage) * SCALE;
      total += div(mul(o.origQty - o.executedQty, o.price), lev);
    }
    return total;
  }

  place(req: FuturesPlaceRequest): { order: FuturesOrder; fills: FuturesTrade[] } {
    const m = this.market(req.symbol);
    if (m.status !== 'TRADING') throw futuresErrors.symbolClosed();
    const clientOrderId = req.newClientOrderId ?? randomClientId();
    // Binance futures: a client order id is unique among the open orders.
    if (this.orders.some((o) => o.symbol === m.symbol && o.clientOrderId === clientOrderId && isOpenFutures(o))) {
      throw futuresErrors.duplicateClientOrderId();
    }
    const last = this.price(m.symbol);
    const limit = req.type === 'LIMIT' ? (req.price ?? ZERO) : ZERO;
    if (req.type === 'LIMIT') checkFuturesPrice(m, limit);
    const qty = req.quantity;
    checkFuturesQty(m, qty);
    const ref = req.type === 'LIMIT' ? limit : last;
    const pos = this.account.position(m.symbol);
    const buy = req.side === 'BUY';
    const reduces = pos.amt !== ZERO && (pos.amt > ZERO) !== buy;
    if (req.reduceOnly) {
      if (!reduces || qty > abs(pos.amt)) throw futuresErrors.reduceOnlyRejected();
    } else {
      checkFuturesNotional(m, ref, qty);
      const opening = reduces ? max(ZERO, qty - abs(pos.amt)) : qty;
      const need = div(mul(opening, ref), BigInt(pos.leverage) * SCALE);
      if (need > this.account.summary(m.marginAsset, this.openOrderMargin(m.marginAsset)).available) throw futuresErrors.marginInsufficient();
    }
    const crosses = req.type === 'MARKET' || (buy ? last <= limit : last >= limit);
    const tif = req.type === 'MARKET' ? 'GTC' : (req.timeInForce ?? 'GTC');
    if (tif === 'GTX' && crosses) throw futuresErrors.gtxRejected();
    if (tif === 'FOK' && !crosses) throw futuresErrors.fokRejected();
    const now = this.opts.now();
    const order: FuturesOrder = {
      orderId: this.nextOrderId++,
      symbol: m.symbol,
      clientOrderId,
      side: req.side,
      type: req.type,
      timeInForce: tif,
      status: 'NEW',
      price: limit,
      origQty: qty,
      executedQty: ZERO,
      cumQuote: ZERO,
      reduceOnly: req.reduceOnly,
      origin: 'api',
      time: now,
      updateTime: now,
    };
    this.orders.push(order);
    const fills: FuturesTrade[] = [];
    // Unlimited liquidity at the last price: a crossing order fills completely on arrival.
    if (crosses) fills.push(this.fill(order, qty, last, false));
    else if (tif === 'IOC') this.finish(order, 'EXPIRED');
    return { order, fills };
  }

  /** Executes qty of the order at price: the position, realized P&L and fee move the account. */
  fill(order: FuturesOrder, qty: Dec, price: Dec, maker: boolean, commission?: Dec): FuturesTrade {
    const m = this.market(order.symbol);
    const quote = mul(price, qty);
    const fee = commission ?? mul(quote, maker ? this.opts.makerFee : this.opts.takerFee);
    const realized = this.account.applyFill(order.symbol, order.side === 'BUY' ? qty : -qty, price);
    this.account.credit(m.marginAsset, realized - fee);
    const now = this.opts.now();
    const trade: FuturesTrade = {
      id: this.nextTradeId++,
      symbol: order.symbol,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      side: order.side,
      price,
      qty,
      quoteQty: quote,
      commission: fee,
      commissionAsset: m.marginAsset,
      realizedPnl: realized,
      maker,
      time: now,
    };
    this.trades.push(trade);
    order.executedQty += qty;
    order.cumQuote += quote;
    order.updateTime = now;
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    return trade;
  }

  /** A resting order filling later (maker): a reduce-only one only as far as the position still goes. */
  fillResting(order: FuturesOrder, qty: Dec, price: Dec): FuturesTrade | undefined {
    let q = qty;
    if (order.reduceOnly) {
      const pos = this.account.position(order.symbol).amt;
      const closable = pos !== ZERO && (pos > ZERO) !== (order.side === 'BUY') ? abs(pos) : ZERO;
      q = min(q, closable);
    }
    if (q <= ZERO) {
      this.finish(order, 'EXPIRED');
      return undefined;
    }
    const trade = this.fill(order, q, price, true);
    if (q < qty && isOpenFutures(order)) this.finish(order, 'EXPIRED');
    return trade;
  }

  private finish(order: FuturesOrder, status: FuturesOrderStatus): void {
    order.status = status;
    order.updateTime = this.opts.now();
  }

  /**
   * New last (and mark) price: resting limit orders it crosses fill at their price, oldest first;
   * then the algo orders it triggers place their orders.
   */
  setPrice(symbol: string, price: Dec): FuturesTrade[] {
    this.market(symbol);
    this.prices.set(symbol, price);
    const s = this.stats.get(symbol);
    if (s) {
      s.high = max(s.high, price);
      s.low = min(s.low, price);
    }
    const fills: FuturesTrade[] = [];
    for (const o of this.orders) {
      if (o.symbol !== symbol || !isOpenFutures(o) || o.type !== 'LIMIT') continue;
      const crosses = o.side === 'BUY' ? price <= o.price : price >= o.price;
      if (!crosses) continue;
      const t = this.fillResting(o, o.origQty - o.executedQty, o.price);
      if (t) fills.push(t);
    }
    this.algo.onPrice(symbol, price);
    return fills;
  }

  /** A position change outside the API (manual trade, liquidation): a filled market order of its own. */
  adjust(symbol: string, delta: Dec, price: Dec | undefined, commission: Dec | undefined, kind: 'manual' | 'liquidation'): FuturesTrade {
    const m = this.market(symbol);
    if (delta === ZERO) throw new Error('exchange simulator: adjustPosition needs a non-zero delta');
    const pos = this.account.position(m.symbol).amt;
    if (kind === 'liquidation' && (pos === ZERO || (pos > ZERO) === (delta > ZERO) || abs(delta) > abs(pos))) {
      throw new Error(`exchange simulator: a liquidation reduces the ${m.symbol} position (${pos}), it cannot open, grow or flip it`);
    }
    const now = this.opts.now();
    const order: FuturesOrder = {
      orderId: this.nextOrderId++,
      symbol: m.symbol,
      clientOrderId: kind === 'liquidation' ? `autoclose-${now}` : `web_${randomClientId()}`,
      side: delta > ZERO ? 'BUY' : 'SELL',
      type: 'MARKET',
      timeInForce: 'GTC',
      status: 'NEW',
      price: ZERO,
      origQty: abs(delta),
      executedQty: ZERO,
      cumQuote: ZERO,
      reduceOnly: kind === 'liquidation',
      origin: kind,
      time: now,
      updateTime: now,
    };
    this.orders.push(order);
    return this.fill(order, abs(delta), price ?? this.price(m.symbol), false, commission);
  }

  /** GET /fapi/v1/order: by orderId, or the most recent order with origClientOrderId. */
  find(symbol: string, orderId?: number, origClientOrderId?: string): FuturesOrder | undefined {
    if (orderId !== undefined) {
      const o = this.orders.find((x) => x.symbol === symbol && x.orderId === orderId);
      if (o && origClientOrderId !== undefined && o.clientOrderId !== origClientOrderId) return undefined;
      return o;
    }
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i];
      if (o && o.symbol === symbol && o.clientOrderId === origClientOrderId) return o;
    }
    return undefined;
  }

  cancel(symbol: string, orderId?: number, origClientOrderId?: string): FuturesOrder {
    this.market(symbol);
    const order = this.find(symbol, orderId, origClientOrderId);
    if (!order || !isOpenFutures(order)) throw errors.unknownOrder();
    this.finish(order, 'CANCELED');
    return order;
  }

  openOrders(symbol?: string): FuturesOrder[] {
    return this.orders.filter((o) => isOpenFutures(o) && (symbol === undefined || o.symbol === symbol));
  }
}
