/**
 * The paper venue (the default mode): trades against prices that arrive with alerts, with
 * configurable fee and slippage and starting balances, everything kept in the journal so a
 * restart continues where it left off. It knows the configured exchange's real markets (see
 * paper-market-data.ts): an unknown symbol is refused, precision and minimums are the
 * exchange's. Spot and linear perpetuals (paper-perp.ts).
 */
import type { Mode } from '../../../shared/dto/mode.js';
import type { PaperOrderRow, PaperSide, PaperStore } from '../journal/paper.js';
import { positionSideOf } from '../ledger/position-side.js';
import type { MarginSettings, OrderBook, Venue, VenueBalances, VenueMarket, VenueOrder, VenueOrderRequest, VenuePosition, VenueTrade } from '../core/ports.js';
import { fillOrder, hold, insufficient, lockFor, slipped, triggerPrice, unlock, wouldTriggerNow, type BookCosts } from './paper-book.js';
import type { PaperMarketSource } from './paper-market-data.js';
import { fillPerp, openingMargin, reduceOnlyAmount, type PerpTerms } from './paper-perp.js';
import { floorToStep, fmtNum, roundToStep } from '../market/precision.js';
import { VenueError } from './venue-error.js';

export interface PaperOptions extends BookCosts {
  /** Starting balances of every new paper account. */
  balances: Record<string, number>;
  /** Replaces every market's minimum order value (tests of small sizes); the exchange's when unset. */
  minNotional?: number | undefined;
  /** Perpetuals: leverage of a position opened from flat, and the maintenance margin rate. */
  leverage: number;
  maintenanceMarginRate: number;
  /** Perpetuals in hedge mode (the account's `hedgeMode`): every order names its position side. */
  hedgeMode?: boolean;
}

export class PaperVenue implements Venue {
  readonly id = 'paper';
  readonly mode: Mode = 'paper';
  readonly has = { attachedStops: false, stopOrders: true, trailingStop: true, orderTrades: true, protectiveOrdersShareFunds: false, hedgeMode: true };
  /** Paper orders are placed in one local transaction: a look-up is always conclusive. */
  readonly resendGuardMs = 0;
  /** Whose markets these are, for messages: `binance`. */
  readonly marketsOf: string;
  private readonly byUnified = new Map<string, VenueMarket>();
  private readonly perp: PerpTerms;

  constructor(
    private readonly store: PaperStore,
    readonly account: string,
    private readonly opts: PaperOptions,
    private readonly now: () => number,
    source: PaperMarketSource,
  ) {
    this.marketsOf = source.exchange;
    const minNotional = opts.minNotional;
    for (const m of source.markets) {
      this.byUnified.set(m.symbol, minNotional === undefined ? m : { ...m, limits: { ...m.limits, cost: { ...m.limits.cost, min: minNotional } } });
    }
    this.perp = { feeRate: opts.feeRate, slippageBps: opts.slippageBps, leverage: opts.leverage, maintenanceMarginRate: opts.maintenanceMarginRate };
  }

  async loadMarkets(): Promise<void> {
    this.ensureAccount();
  }

  markets(): readonly VenueMarket[] {
    return [...this.byUnified.values()];
  }

  market(symbol: string): VenueMarket | undefined {
    return this.byUnified.get(symbol);
  }

  amountToPrecision(symbol: string, amount: number): number {
    return floorToStep(amount, this.require(symbol).precision.amount);
  }

  priceToPrecision(symbol: string, price: number): number {
    return roundToStep(price, this.require(symbol).precision.price);
  }

  async createOrder(req: VenueOrderRequest): Promise<VenueOrder> {
    const m = this.require(req.symbol);
    const now = this.now();
    return this.store.transaction(() => {
      this.ensureAccount();
      const existing = this.store.orderByClientId(this.account, req.clientOrderId);
      if (existing) throw new VenueError('duplicate', 'DuplicateOrderId', `paper venue already has order ${req.clientOrderId}`);
      const last = this.store.price(m.symbol)?.price ?? null;
      const positionSide = this.positionSideOf(req, m);
      const draft: Omit<PaperOrderRow, 'id'> = {
        account: this.account,
        client_order_id: req.clientOrderId,
        symbol: m.symbol,
        side: req.side,
        type: req.type,
        amount: req.amount,
        price: req.type === 'limit' || req.type === 'stop_limit' ? (req.price ?? null) : null,
        trigger_price: req.triggerPrice ?? null,
        trailing_percent: req.trailingPercent ?? null,
        watermark: req.type === 'trailing_stop' ? last : null,
        // Reduce-only means something on contracts only, as on the exchange; in hedge mode a sell of
        // the long side (a buy of the short one) only closes it, as reduce-only does.
        reduce_only: (req.reduceOnly && m.contract) || (positionSide !== 'net' && positionSideOf(req.side, true) === positionSide) ? 1 : 0,
        position_side: positionSide,
        status: 'open',
        filled: 0,
        cost: 0,
        fee: 0,
        fee_currency: null,
        locked_asset: null,
        locked: 0,
        created_at: now,
        updated_at: now,
      };
      this.validate(draft, m, last);
      if (req.type === 'market') {
        const order = this.store.insertOrder(draft);
        return toVenueOrder(this.fill(order, m, slipped(last as number, req.side, this.opts), now));
      }
      if (req.type === 'limit' && last !== null) {
        const at = triggerPrice({ ...draft, id: 0 }, last, this.opts);
        if (at !== null && req.timeInForce === 'post_only') {
          throw new VenueError('permanent', 'OrderImmediatelyFillable', `the post-only ${req.side} at ${fmtNum(req.price as number)} would take liquidity (price ${fmtNum(last)}), so it was not placed (Binance -5022)`);
        }
        if (at === null && (req.timeInForce === 'ioc' || req.timeInForce === 'fok')) {
          // Nothing to take on arrival: an immediate-or-cancel / fill-or-kill order ends unfilled.
          return toVenueOrder(this.store.insertOrder({ ...draft, status: 'expired' }));
        }
        if (at !== null) {
          // Marketable on arrival: fills now, at the better of the limit and the market.
          const order = this.store.insertOrder(draft);
          const price = req.side === 'buy' ? Math.min(at, slipped(last, 'buy', this.opts)) : Math.max(at, slipped(last, 'sell', this.opts));
          return toVenueOrder(this.fill(order, m, price, now));
        }
      }
      if (req.type === 'limit' && !draft.reduce_only) {
        const lock = m.contract ? this.lockMargin(draft, m) : lockFor(this.store, draft, m, this.opts);
        draft.locked_asset = lock.asset;
        draft.locked = lock.amount;
      }
      return toVenueOrder(this.store.insertOrder(draft));
    });
  }

  /**
   * As on the exchange: a position opened from now on takes this leverage (one already open keeps
   * its own). The margin mode is accepted; paper margins every position on its own (isolated).
   */
  /** The account's position mode, as the exchange's setting would say it (spot: one-way). */
  async positionMode(symbol: string): Promise<'oneway' | 'hedge'> {
    return this.opts.hedgeMode === true && this.require(symbol).contract ? 'hedge' : 'oneway';
  }

  /** The position an order moves, checked as Binance USDⓈ-M checks it (-4061, -1106). */
  private positionSideOf(req: VenueOrderRequest, m: VenueMarket): PaperSide {
    const hedge = m.contract && this.opts.hedgeMode === true;
    if (!m.contract) return 'net';
    if (hedge && !req.positionSide) throw new VenueError('permanent', 'InvalidOrder', `the paper account ${this.account} is in hedge mode: an order must name its position side, long or short (Binance -4061)`);
    if (!hedge && req.positionSide) throw new VenueError('permanent', 'InvalidOrder', `the paper account ${this.account} is in one-way mode: an order names no position side (Binance -4061)`);
    if (hedge && req.reduceOnly) throw new VenueError('permanent', 'InvalidOrder', `reduce-only is not sent beside a position side in hedge mode (Binance -1106)`);
    return req.positionSide ?? 'net';
  }

  async setMargin(symbol: string, wanted: MarginSettings): Promise<void> {
    const m = this.require(symbol);
    if (!m.contract) throw new VenueError('permanent', 'NotSupported', `${symbol} is spot: it has no leverage or margin mode`);
    if (wanted.leverage !== undefined) {
      if (!(wanted.leverage >= 1 && wanted.leverage <= 125)) throw new VenueError('permanent', 'BadRequest', `leverage ${wanted.leverage} is outside 1 to 125 (Binance -4028)`);
      leveragesOf(this.store).set(`${this.account}\0${symbol}`, wanted.leverage);
    }
  }

  // One book holds the paper venue's plain and trigger orders alike: the book named makes no difference.
  async fetchOrderByClientId(_symbol: string, clientOrderId: string, _book?: OrderBook): Promise<VenueOrder | null> {
    const row = this.store.orderByClientId(this.account, clientOrderId);
    return row ? toVenueOrder(row) : null;
  }

  async cancelOrder(_symbol: string, clientOrderId: string, _book?: OrderBook): Promise<VenueOrder | null> {
    return this.store.transaction(() => {
      const row = this.store.orderByClientId(this.account, clientOrderId);
      if (!row || row.status !== 'open') return null;
      unlock(this.store, row);
      const cancelled: PaperOrderRow = { ...row, status: 'canceled', locked: 0, updated_at: this.now() };
      this.store.updateOrder(cancelled);
      return toVenueOrder(cancelled);
    });
  }

  async fetchOpenOrders(symbol?: string, _book?: OrderBook): Promise<VenueOrder[]> {
    return this.store.openOrders(this.account, symbol).map(toVenueOrder);
  }

  async fetchBalance(): Promise<VenueBalances> {
    this.ensureAccount();
    const out: VenueBalances = {};
    for (const b of this.store.balances(this.account)) out[b.asset] = { free: b.free, used: b.used, total: b.free + b.used };
    return out;
  }

  /** The account's paper perpetual positions (reconciliation checks the ledger against them). */
  async fetchPositions(symbols?: string[]): Promise<VenuePosition[]> {
    return this.store
      .positions(this.account)
      .filter((p) => !symbols || symbols.includes(p.symbol))
      .map((p) => ({
        symbol: p.symbol,
        contracts: p.qty,
        markPrice: this.store.price(p.symbol)?.price ?? null,
        ...(p.position_side !== 'net' ? { side: p.position_side } : {}),
      }));
  }

  async lastPrice(symbol: string): Promise<number> {
    const p = this.store.price(symbol);
    if (!p) throw noPrice(symbol);
    return p.price;
  }

  async fetchOrderTrades(_symbol: string, orderId: string): Promise<VenueTrade[]> {
    return this.store.trades(Number(orderId)).map((t) => ({
      id: String(t.id),
      orderId: String(t.order_id),
      amount: t.amount,
      price: t.price,
      fee: { cost: t.fee, currency: t.fee_currency },
      timestamp: t.ts,
    }));
  }

  /** Records the price and fills every resting order (of any paper account) it crosses. */
  observePrice(symbol: string, price: number, time: number): boolean {
    if (!(price > 0)) return false;
    this.store.setPrice(symbol, price, time);
    if (!this.store.hasOpenOrders(symbol)) return false;
    this.store.transaction(() => {
      const m = this.byUnified.get(symbol);
      if (!m) return;
      for (let o of this.store.openOrders(null, symbol)) {
        if (o.type === 'stop_limit') {
          if (!wouldTriggerNow(o, price)) continue;
          try {
            o = this.arm(o, m, time);
          } catch {
            // The limit's funds are not there any more: it ends as the exchange would end it.
            this.store.updateOrder({ ...o, status: 'expired', updated_at: time });
            continue;
          }
        }
        const before = o.watermark;
        const at = triggerPrice(o, price, this.opts);
        if (at === null) {
          if (o.watermark !== before) this.store.updateOrder({ ...o, updated_at: time });
          continue;
        }
        try {
          this.fill(o, m, at, time);
        } catch {
          // A protective order whose coins are gone (sold by another order), or a reduce-only one
          // whose position is closed, has nothing to do.
          unlock(this.store, o);
          this.store.updateOrder({ ...o, status: 'expired', locked: 0, updated_at: time });
        }
      }
    });
    return true;
  }

  async close(): Promise<void> {}

  private fill(o: PaperOrderRow, m: VenueMarket, price: number, ts: number): PaperOrderRow {
    return m.contract ? fillPerp(this.store, o, m, price, this.termsOf(o.account, m.symbol), ts) : fillOrder(this.store, o, m, price, this.opts, ts);
  }

  /** A resting perp order that may open a position holds its margin and fee, as Binance does. */
  private lockMargin(o: Omit<PaperOrderRow, 'id'>, m: VenueMarket): { asset: string; amount: number } {
    return hold(this.store, o.account, m.settle ?? m.quote, openingMargin(o.amount, o.price as number, this.termsOf(o.account, m.symbol)));
  }

  /** A stop-limit whose stop is reached becomes a resting limit at its price, holding funds as any limit does. */
  private arm(o: PaperOrderRow, m: VenueMarket, ts: number): PaperOrderRow {
    const armed: PaperOrderRow = { ...o, type: 'limit', updated_at: ts };
    if (!armed.reduce_only) {
      const lock = m.contract ? this.lockMargin(armed, m) : lockFor(this.store, armed, m, this.opts);
      armed.locked_asset = lock.asset;
      armed.locked = lock.amount;
    }
    this.store.updateOrder(armed);
    return armed;
  }

  private termsOf(account: string, symbol: string): PerpTerms {
    const leverage = leveragesOf(this.store).get(`${account}\0${symbol}`);
    return leverage === undefined ? this.perp : { ...this.perp, leverage };
  }

  private validate(o: Omit<PaperOrderRow, 'id'>, m: VenueMarket, last: number | null): void {
    if (!(o.amount > 0)) throw new VenueError('permanent', 'InvalidOrder', `order amount must be greater than 0`);
    if (o.type === 'limit' && !(o.price && o.price > 0)) throw new VenueError('permanent', 'InvalidOrder', 'a limit order needs a price');
    if (o.type === 'stop_limit' && !(o.price && o.price > 0)) throw new VenueError('permanent', 'InvalidOrder', 'a stop-limit order needs a limit price');
    if ((o.type === 'stop_loss' || o.type === 'take_profit' || o.type === 'stop_limit') && !(o.trigger_price && o.trigger_price > 0)) {
      throw new VenueError('permanent', 'InvalidOrder', `a ${o.type.replace('_', '-')} order needs a trigger price`);
    }
    if (o.type === 'trailing_stop' && !(o.trailing_percent && o.trailing_percent > 0)) {
      throw new VenueError('permanent', 'InvalidOrder', 'a trailing stop needs a trailing percent');
    }
    if (o.type !== 'limit' && last === null) throw noPrice(m.symbol);
    if (last !== null && wouldTriggerNow(o, last)) {
      throw new VenueError('permanent', 'InvalidOrder', `the ${o.type.replace('_', '-')} at ${fmtNum(o.trigger_price as number)} would trigger immediately (price ${fmtNum(last)})`);
    }
    // Trigger orders are checked when they fire (a stop placed with its entry waits for the position).
    if (m.contract && o.reduce_only && (o.type === 'market' || o.type === 'limit')) reduceOnlyAmount(this.store.position(o.account, m.symbol, o.position_side), o.side, o.amount, m.symbol);
    if (o.type === 'market' && o.side === 'buy' && !m.contract) {
      const need = o.amount * slipped(last as number, 'buy', this.opts) * (1 + this.opts.feeRate);
      const free = this.store.balance(this.account, m.quote).free;
      if (free + 1e-9 < need) throw insufficient(m.quote, free, need);
    }
  }

  private ensureAccount(): void {
    if (this.store.hasAccount(this.account)) return;
    for (const [asset, amount] of Object.entries(this.opts.balances)) this.store.adjust(this.account, asset.toUpperCase(), amount);
    if (Object.keys(this.opts.balances).length === 0) this.store.adjust(this.account, 'USDT', 0);
  }

  private require(symbol: string): VenueMarket {
    const m = this.byUnified.get(symbol);
    if (!m) throw new VenueError('permanent', 'BadSymbol', `${symbol} is not a market on ${this.marketsOf}`);
    return m;
  }
}

/**
 * Leverage set per account and market by alerts (`leverage`, a strategy's default), shared by the
 * venues of one store: a price fills every account's resting orders. Kept in memory: after a
 * restart the next alert that names it sets it again (until then `paper.leverage` applies).
 */
const leverageSets = new WeakMap<PaperStore, Map<string, number>>();
function leveragesOf(store: PaperStore): Map<string, number> {
  let map = leverageSets.get(store);
  if (!map) leverageSets.set(store, (map = new Map()));
  return map;
}

function noPrice(symbol: string): VenueError {
  return new VenueError(
    'permanent',
    'NoPrice',
    `paper trading has no price for ${symbol} yet: put the price in the alert ("price": "{{close}}")`,
  );
}

function toVenueOrder(r: PaperOrderRow): VenueOrder {
  return {
    id: String(r.id),
    clientOrderId: r.client_order_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    status: r.status,
    amount: r.amount,
    filled: r.filled,
    price: r.price ?? r.trigger_price,
    average: r.filled > 0 ? r.cost / r.filled : null,
    fee: r.fee_currency ? { cost: r.fee, currency: r.fee_currency } : null,
    timestamp: r.created_at,
  };
}
