/**
 * A ccxt exchange as a Venue (testnet or live). Every call's error is classified into a
 * VenueError; markets load once and are refreshed when older than `marketsRefreshMs`.
 */
import { armCountdown, hasCountdownCancel } from './dead-man-switch.js';
import type { Exchange, MarketInterface, Order } from 'ccxt';
import type { Mode } from '../../../shared/dto/mode.js';
import type { MarginSettings, OrderBook, Venue, VenueBalances, VenueCapabilities, VenueMarket, VenueOrder, VenueOrderRequest, VenuePosition, VenueTrade } from '../core/ports.js';
import { Redactor } from '../core/logging/redactor.js';
import { toVenueMarket, toVenueOrder, toVenueTrade } from './ccxt-convert.js';
import { CcxtMargin } from './ccxt-margin.js';
import { createSpotOco, supportsSpotOco } from './ccxt-oco.js';
import { bookParams } from './exchanges/generic.js';
import { profileFor, type ExchangeProfile, type PositionMode } from './exchanges/index.js';
import { classifyError, VenueError } from './venue-error.js';

export { toVenueMarket } from './ccxt-convert.js';

export interface CcxtVenueOptions {
  account: string;
  mode: Mode;
  marketsRefreshMs: number;
  now: () => number;
  /** Told when a market refresh fails (the old markets stay in use). */
  onWarning?: (message: string) => void;
}

export class CcxtVenue implements Venue {
  readonly id: string;
  readonly mode: Mode;
  readonly account: string;
  readonly has: VenueCapabilities;
  readonly resendGuardMs: number;
  private list: VenueMarket[] = [];
  private bySymbol = new Map<string, VenueMarket>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private resyncClock = false;
  private readonly margin: CcxtMargin;
  /** What this exchange does beyond ccxt's unified API (exchanges/<id>.ts). */
  readonly profile: ExchangeProfile;

  constructor(
    private readonly ex: Exchange,
    private readonly o: CcxtVenueOptions,
  ) {
    this.id = ex.id;
    this.mode = o.mode;
    this.account = o.account;
    this.profile = profileFor(ex.id);
    this.profile.prepare?.(ex);
    this.resendGuardMs = this.profile.resendGuardMs(ex.options as Record<string, unknown>);
    const has = ex.has as Record<string, boolean | string | undefined>;
    this.has = {
      attachedStops: has.createOrderWithTakeProfitAndStopLoss === true,
      stopOrders: has.createStopLossOrder === true && has.createTakeProfitOrder === true,
      trailingStop: has.createTrailingPercentOrder === true,
      orderTrades: has.fetchMyTrades === true,
      protectiveOrdersShareFunds: true,
      ocoOrders: supportsSpotOco(ex),
      ...this.profile.capabilities(has, ex.id),
    };
    this.margin = new CcxtMargin(ex, (fn) => this.call(fn));
  }

  async loadMarkets(reload = false): Promise<void> {
    const stale = this.o.now() - this.loadedAt > this.o.marketsRefreshMs;
    if (this.loadedAt > 0 && !reload && !stale) return;
    this.loading ??= this.call(() => this.ex.loadMarkets(this.loadedAt > 0))
      .then(() => {
        this.list = Object.values(this.ex.markets ?? {}).filter((m): m is MarketInterface => !!m).map(toVenueMarket);
        this.bySymbol = new Map(this.list.map((m) => [m.symbol, m]));
        this.loadedAt = this.o.now();
      })
      .catch((e: unknown) => {
        // A failed refresh keeps the markets we have; a failed first load is the caller's problem.
        if (this.loadedAt === 0) throw e;
        this.loadedAt = this.o.now();
        this.o.onWarning?.(`could not refresh ${this.id} markets, keeping the loaded ones: ${(e as Error).message}`);
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  markets(): readonly VenueMarket[] {
    return this.list;
  }

  market(symbol: string): VenueMarket | undefined {
    return this.bySymbol.get(symbol);
  }

  amountToPrecision(symbol: string, amount: number): number {
    try {
      return Number(this.ex.amountToPrecision(symbol, amount));
    } catch {
      return 0; // below one step
    }
  }

  priceToPrecision(symbol: string, price: number): number {
    return Number(this.ex.priceToPrecision(symbol, price));
  }

  async createOrder(r: VenueOrderRequest): Promise<VenueOrder> {
    const m = this.market(r.symbol);
    const params: Record<string, unknown> = { clientOrderId: r.clientOrderId, ...this.profile.createParams(r, m) };
    // Bybit spot would read a market order's price as "spend amount x price" (a quote amount).
    const marketPrice = this.profile.marketOrderPrice ? r.price : undefined;
    // ccxt's unified flags: postOnly is GTX on Binance USDⓈ-M, LIMIT_MAKER on spot.
    if (r.expiry && this.profile.expiryParams) Object.assign(params, this.profile.expiryParams(r.expiry, this.ex.options as Record<string, unknown>));
    if (r.timeInForce === 'post_only') params.postOnly = true;
    else if (r.timeInForce !== undefined) params.timeInForce = r.timeInForce.toUpperCase();
    if (r.stopLoss !== undefined) params.stopLoss = { triggerPrice: r.stopLoss };
    if (r.takeProfit !== undefined) params.takeProfit = { triggerPrice: r.takeProfit };
    const order = await this.call(() => {
      switch (r.type) {
        case 'market':
          return this.ex.createOrder(r.symbol, r.type, r.side, r.amount, marketPrice, params);
        case 'limit':
          return this.ex.createOrder(r.symbol, r.type, r.side, r.amount, r.price, params);
        case 'stop_loss':
          if (r.oco && m && !m.contract && this.has.ocoOrders) return createSpotOco(this.ex, m, { ...r, oco: r.oco });
          return this.ex.createOrder(r.symbol, 'market', r.side, r.amount, undefined, { ...params, stopLossPrice: r.triggerPrice });
        case 'stop_limit':
          // STOP on Binance USDⓈ-M (an algo order), STOP_LOSS_LIMIT on spot.
          return this.ex.createOrder(r.symbol, 'limit', r.side, r.amount, r.price, { ...params, stopLossPrice: r.triggerPrice });
        case 'take_profit':
          return this.ex.createOrder(r.symbol, 'market', r.side, r.amount, undefined, { ...params, takeProfitPrice: r.triggerPrice });
        case 'trailing_stop':
          return this.ex.createTrailingPercentOrder(r.symbol, 'market', r.side, r.amount, undefined, r.trailingPercent, undefined, params);
      }
    }).catch((e: unknown) => {
      // The account's position mode changed since it was read: the next alert reads it again.
      if (e instanceof VenueError && e.code === 'PositionModeChanged') this.modes.clear();
      throw e;
    });
    return toVenueOrder(order, r);
  }

  /** The dead man's switch hook: the exchange's own call lives in dead-man-switch.ts. */
  async cancelAllAfter(symbol: string, ms: number): Promise<void> {
    if (!hasCountdownCancel(this.id)) throw new VenueError('permanent', 'NotSupported', `${this.id} has no dead man's switch Pinebridge arms`);
    await this.call(() => armCountdown(this.ex, this.id, symbol, ms));
  }

  /** A position mode read is kept this long: a user switching it in the exchange's app is seen within a minute. */
  private static readonly MODE_TTL_MS = 60_000;

  private readonly modes = new Map<string, { mode: PositionMode | null; at: number }>();

  async positionMode(symbol: string): Promise<PositionMode | null> {
    const known = this.modes.get(symbol);
    if (known && this.o.now() - known.at < CcxtVenue.MODE_TTL_MS) return known.mode;
    const mode = await this.call(() => this.profile.positionMode(this.ex, symbol));
    // A hedge-mode answer this venue cannot trade is not kept: the alert it refuses tells the user to switch, and the next one asks again.
    if (mode === 'hedge' && !this.has.hedgeMode) this.modes.delete(symbol);
    else this.modes.set(symbol, { mode, at: this.o.now() });
    return mode;
  }

  setMargin(symbol: string, wanted: MarginSettings): Promise<void> {
    return this.margin.apply(symbol, wanted);
  }

  async fetchOrderByClientId(symbol: string, clientOrderId: string, book: OrderBook = {}): Promise<VenueOrder | null> {
    const order = await this.call(() => this.profile.fetchByClientId(this.ex, symbol, clientOrderId, book));
    if (!order) return null;
    return book.trigger ? await this.outcomeOfTrigger(order, symbol, clientOrderId) : { ...toVenueOrder(order), clientOrderId };
  }

  async cancelOrder(symbol: string, clientOrderId: string, book: OrderBook = {}): Promise<VenueOrder | null> {
    const order = await this.call(() => this.profile.cancelByClientId(this.ex, symbol, clientOrderId, book));
    // The cancel's answer may name the cancel request (Binance); the order itself is the original one.
    return order ? { ...toVenueOrder(order), clientOrderId, status: 'canceled' } : null;
  }

  /** The account's position mode on a derivatives market (null where the exchange does not say). */

  async fetchOpenOrders(symbol?: string, book: OrderBook = {}): Promise<VenueOrder[]> {
    const orders = await this.call(() => this.ex.fetchOpenOrders(symbol, undefined, undefined, bookParams(book)));
    return orders.map((o) => toVenueOrder(o));
  }

  /**
   * A trigger order that has fired may have placed an order of its own (Binance USDⓈ-M algo
   * orders): that order has the fills, and its id becomes the order's id (its trades carry it).
   * Fired but not readable yet: still open, asked again later.
   */
  private async outcomeOfTrigger(order: Order, symbol: string, clientOrderId: string): Promise<VenueOrder> {
    const placed = this.profile.triggeredOrder ? await this.call(() => this.profile.triggeredOrder!(this.ex, order, symbol)) : null;
    if (placed === 'pending') return { ...toVenueOrder(order), clientOrderId, status: 'open' };
    return { ...toVenueOrder(placed ?? order), clientOrderId };
  }

  async fetchBalance(): Promise<VenueBalances> {
    const b = (await this.call(() => this.ex.fetchBalance())) as unknown as Record<string, Record<string, number | undefined>>;
    const wallet = this.profile.walletBalances(b.info);
    const out: VenueBalances = {};
    for (const [currency, total] of Object.entries(b.total ?? {})) {
      out[currency] = { free: b.free?.[currency] ?? 0, used: b.used?.[currency] ?? 0, total: wallet[currency] ?? total ?? 0 };
    }
    return out;
  }

  async fetchPositions(symbols?: string[]): Promise<VenuePosition[]> {
    if ((this.ex.has as Record<string, unknown>).fetchPositions !== true) {
      throw new VenueError('permanent', 'NotSupported', `${this.id} cannot list positions through ccxt`);
    }
    const list = await this.call(() => this.ex.fetchPositions(symbols));
    return list
      .filter((p) => p.symbol && (p.contracts ?? 0) !== 0)
      .map((p) => ({
        symbol: String(p.symbol),
        contracts: (p.contracts ?? 0) * (p.side === 'short' ? -1 : 1),
        markPrice: p.markPrice ?? null,
        // Hedge mode: the market's long and short positions are two entries.
        ...(p.hedged === true && (p.side === 'long' || p.side === 'short') ? { side: p.side } : {}),
      }));
  }

  async lastPrice(symbol: string): Promise<number> {
    const t = await this.call(() => this.ex.fetchTicker(symbol));
    const p = t.last ?? t.close ?? t.bid ?? null;
    if (!p) throw new VenueError('transient', 'NoPrice', `${this.id} gave no last price for ${symbol}`);
    return p;
  }

  async fetchOrderTrades(symbol: string, orderId: string): Promise<VenueTrade[]> {
    const trades = await this.call(() => this.ex.fetchMyTrades(symbol, undefined, undefined, { orderId }));
    return trades.filter((t) => String(t.order) === orderId).map(toVenueTrade);
  }

  async close(): Promise<void> {
    await (this.ex as unknown as { close?: () => Promise<void> }).close?.().catch(() => {});
  }

  /** Runs one exchange call, classifying what it throws. After a -1021 the clock offset is re-read first. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.resyncClock) {
      this.resyncClock = false;
      await this.ex.loadTimeDifference().catch(() => {
        this.resyncClock = true;
      });
    }
    try {
      return await fn();
    } catch (e) {
      const err = this.withoutKeys(classifyError(e, this.id));
      if (err.code === 'InvalidNonce') this.resyncClock = true;
      throw err;
    }
  }

  private keys: Redactor | null = null;

  /**
   * An exchange's error text may quote the request, keys included: its message goes on to the
   * journal, events and notifications, so this venue's own credentials are taken out here.
   */
  private withoutKeys(err: VenueError): VenueError {
    if (!this.keys) {
      this.keys = new Redactor();
      for (const k of [this.ex.apiKey, this.ex.secret, this.ex.password]) if (typeof k === 'string') this.keys.add(k);
    }
    const message = this.keys.scrub(err.message);
    return message === err.message ? err : new VenueError(err.kind, err.code, message, err.retryAfterMs);
  }
}
