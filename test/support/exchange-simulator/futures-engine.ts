/**
 * USDⓈ-M perpetuals: orders, fills and the account they move. One last price per symbol, which is
 * also the mark price: market orders fill at it, limit orders that cross it fill at it on arrival
 * (taker), resting ones fill at their own price when setPrice crosses them (maker). Reduce-only
 * orders may only shrink the position: refused on arrival when they would open, grow or flip
 * it, and clipped (the rest expired) when a resting one fills after the position got smaller.
 */
import { type Dec, div, max, min, mul, SCALE, ZERO } from './decimal.js';
import { FuturesAccount } from './futures-account.js';
import { FuturesAlgoBook } from './futures-algo.js';
import { futuresErrors } from './futures-errors.js';
import { checkFuturesNotional, checkFuturesPrice, checkFuturesQty, type FuturesMarket } from './futures-markets.js';
import type { FuturesOrderStatus } from './futures-types.js';
import type { FuturesOrder, FuturesPlaceRequest, FuturesTrade } from './futures-records.js';
import { type EngineOptionsBase, isOpenOrder, OrderBook, randomClientId, reachesLimit } from './order-book.js';

export type { FuturesOrder, FuturesPlaceRequest, FuturesTrade } from './futures-records.js';

export interface FuturesEngineOptions extends EngineOptionsBase<FuturesMarket> {
  /** Initial leverage of every symbol. */
  leverage: number;
}

interface Stats {
  open: Dec;
  high: Dec;
  low: Dec;
}

const abs = (d: Dec): Dec => (d < ZERO ? -d : d);

/** A hedge-mode order that closes its side: SELL on LONG, BUY on SHORT. */
export const closesSide = (o: { side: 'BUY' | 'SELL'; positionSide: string }): boolean =>
  (o.positionSide === 'LONG' && o.side === 'SELL') || (o.positionSide === 'SHORT' && o.side === 'BUY');

export class FuturesEngine extends OrderBook<FuturesMarket, FuturesOrder, FuturesTrade> {
  readonly account: FuturesAccount;
  /** Conditional orders (the Algo Service), triggered by setPrice. */
  readonly algo: FuturesAlgoBook;
  readonly stats = new Map<string, Stats>();

  constructor(private readonly opts: FuturesEngineOptions) {
    super(opts.markets, opts.prices, opts.firstOrderId, 'futures price');
    for (const [s, p] of Object.entries(opts.prices)) this.stats.set(s, { open: p, high: p, low: p });
    this.account = new FuturesAccount(opts.balances, this.markets, (s) => this.price(s), opts.leverage, opts.now);
    // Algo ids are a range of their own, as on Binance (far below the plain order ids).
    this.algo = new FuturesAlgoBook(this, 3000, opts.now);
  }

  get takerFee(): Dec {
    return this.opts.takerFee;
  }

  /** Initial margin of the resting orders that would open or grow a position. */
  openOrderMargin(asset: string): Dec {
    let total = ZERO;
    for (const o of this.orders) {
      if (!isOpenOrder(o) || o.reduceOnly || closesSide(o)) continue;
      const m = this.market(o.symbol);
      if (m.marginAsset !== asset) continue;
      const lev = BigInt(this.account.position(o.symbol).leverage) * SCALE;
      total += div(mul(o.origQty - o.executedQty, o.price), lev);
    }
    return total;
  }

  place(req: FuturesPlaceRequest): { order: FuturesOrder; fills: FuturesTrade[] } {
    // Binance futures: a client order id is unique among the open orders.
    const { m, clientOrderId, last } = this.admit(req, { closed: futuresErrors.symbolClosed, duplicate: futuresErrors.duplicateClientOrderId });
    const limit = req.type === 'LIMIT' ? (req.price ?? ZERO) : ZERO;
    if (req.type === 'LIMIT') checkFuturesPrice(m, limit);
    const qty = req.quantity;
    checkFuturesQty(m, qty);
    const ref = req.type === 'LIMIT' ? limit : last;
    const positionSide = req.positionSide ?? 'BOTH';
    const pos = this.account.position(m.symbol, positionSide);
    const buy = req.side === 'BUY';
    const reduces = pos.amt !== ZERO && (pos.amt > ZERO) !== buy;
    // Hedge mode: a SELL on LONG (a BUY on SHORT) closes that side, never more than it holds.
    const closing = closesSide({ side: req.side, positionSide });
    if (req.reduceOnly || closing) {
      if (!reduces || qty > abs(pos.amt)) throw futuresErrors.reduceOnlyRejected();
    } else {
      checkFuturesNotional(m, ref, qty);
      const opening = reduces ? max(ZERO, qty - abs(pos.amt)) : qty;
      const need = div(mul(opening, ref), BigInt(pos.leverage) * SCALE);
      if (need > this.account.summary(m.marginAsset, this.openOrderMargin(m.marginAsset)).available) throw futuresErrors.marginInsufficient();
    }
    const crosses = req.type === 'MARKET' || reachesLimit(req.side, limit, last);
    const tif = req.type === 'MARKET' ? 'GTC' : (req.timeInForce ?? 'GTC');
    if (tif === 'GTX' && crosses) throw futuresErrors.gtxRejected();
    if (tif === 'FOK' && !crosses) throw futuresErrors.fokRejected();
    const order = this.addOrder({
      symbol: m.symbol, clientOrderId, side: req.side, type: req.type, timeInForce: tif, price: limit, origQty: qty, reduceOnly: req.reduceOnly, positionSide, origin: 'api',
    }, this.opts.now());
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
    const realized = this.account.applyFill(order.symbol, order.side === 'BUY' ? qty : -qty, price, order.positionSide);
    this.account.credit(m.marginAsset, realized - fee);
    const execution = { qty, price, quote, commission: fee, commissionAsset: m.marginAsset, now: this.opts.now() };
    const trade = this.recordFill(order, execution, { realizedPnl: realized, maker, positionSide: order.positionSide });
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    return trade;
  }

  /** A resting order filling later (maker): a reduce-only one only as far as the position still goes. */
  fillResting(order: FuturesOrder, qty: Dec, price: Dec): FuturesTrade | undefined {
    const q = order.reduceOnly || closesSide(order) ? min(qty, this.account.closable(order.symbol, order.side, order.positionSide)) : qty;
    if (q <= ZERO) {
      this.finish(order, 'EXPIRED');
      return undefined;
    }
    const trade = this.fill(order, q, price, true);
    if (q < qty && isOpenOrder(order)) this.finish(order, 'EXPIRED');
    return trade;
  }

  protected override finish(order: FuturesOrder, status: FuturesOrderStatus): void {
    order.status = status;
    order.updateTime = this.opts.now();
  }

  /**
   * New last (and mark) price: resting limit orders it crosses fill at their price, oldest first;
   * then the algo orders it triggers place their orders.
   */
  setPrice(symbol: string, price: Dec): FuturesTrade[] {
    this.setLast(symbol, price);
    const s = this.stats.get(symbol);
    if (s) {
      s.high = max(s.high, price);
      s.low = min(s.low, price);
    }
    const fills: FuturesTrade[] = [];
    for (const o of this.orders) {
      if (o.symbol !== symbol || !isOpenOrder(o) || o.type !== 'LIMIT' || !reachesLimit(o.side, o.price, price)) continue;
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
    const order = this.addOrder({
      symbol: m.symbol,
      clientOrderId: kind === 'liquidation' ? `autoclose-${now}` : `web_${randomClientId()}`,
      side: delta > ZERO ? 'BUY' : 'SELL',
      type: 'MARKET',
      timeInForce: 'GTC',
      price: ZERO,
      origQty: abs(delta),
      reduceOnly: kind === 'liquidation',
      positionSide: 'BOTH',
      origin: kind,
    }, now);
    return this.fill(order, abs(delta), price ?? this.price(m.symbol), false, commission);
  }
}
