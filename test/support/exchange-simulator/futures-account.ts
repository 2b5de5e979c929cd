/**
 * The futures account: wallet per margin asset and one position per symbol in one-way mode, or a
 * LONG and a SHORT position per symbol in hedge mode (cross margin). The wallet moves only by realized P&L and fees (and test hooks); unrealized P&L is
 * the position marked at the last price.
 */
import { type Dec, div, max, min, mul, SCALE, ZERO } from './decimal.js';
import type { FuturesMarket } from './futures-markets.js';
import type { OrderSide } from './types.js';

/** Binance's position side: BOTH in one-way mode, LONG / SHORT in hedge mode. */
export type PositionSide = 'BOTH' | 'LONG' | 'SHORT';

export interface PositionState {
  /** Signed: negative is short. */
  amt: Dec;
  entry: Dec;
  leverage: number;
  /** POST /fapi/v1/marginType; cross by default. Margin is computed as cross either way. */
  marginType: 'cross' | 'isolated';
  updateTime: number;
}

export interface MarginSummary {
  wallet: Dec;
  unrealized: Dec;
  marginBalance: Dec;
  positionInitialMargin: Dec;
  openOrderInitialMargin: Dec;
  maintMargin: Dec;
  available: Dec;
  updateTime: number;
}

const abs = (d: Dec): Dec => (d < ZERO ? -d : d);
const sign = (d: Dec): bigint => (d > ZERO ? 1n : d < ZERO ? -1n : 0n);

export class FuturesAccount {
  private readonly wallets = new Map<string, { amount: Dec; updateTime: number }>();
  private readonly positions = new Map<string, PositionState>();
  /** Hedge mode's sides, keyed `SYMBOL:LONG` / `SYMBOL:SHORT` (a SHORT's amt is negative, as Binance lists it). */
  private readonly sides = new Map<string, PositionState>();
  /**
   * Hedge mode (POST /fapi/v1/positionSide/dual): every order names its side, LONG or SHORT
   * (-4061 without), and moves that side's position only; leverage and margin type stay per symbol.
   */
  dualSide = false;

  constructor(
    balances: Record<string, Dec>,
    private readonly markets: ReadonlyMap<string, FuturesMarket>,
    private readonly mark: (symbol: string) => Dec,
    private readonly defaultLeverage: number,
    private readonly now: () => number,
  ) {
    for (const [asset, amount] of Object.entries(balances)) this.wallets.set(asset.toUpperCase(), { amount, updateTime: now() });
  }

  assets(): string[] {
    return [...this.wallets.keys()].sort();
  }

  wallet(asset: string): Dec {
    return this.wallets.get(asset.toUpperCase())?.amount ?? ZERO;
  }

  /** Test hook (drift: a deposit, a withdrawal, a transfer): overwrite the wallet balance. */
  setWallet(asset: string, amount: Dec): void {
    this.wallets.set(asset.toUpperCase(), { amount, updateTime: this.now() });
  }

  credit(asset: string, amount: Dec): void {
    this.setWallet(asset, this.wallet(asset) + amount);
  }

  /** The symbol's position on one side (BOTH: the one-way position, which also holds leverage and margin type). */
  position(symbol: string, side: PositionSide = 'BOTH'): PositionState {
    if (side !== 'BOTH') {
      const key = `${symbol}:${side}`;
      let h = this.sides.get(key);
      if (!h) {
        h = { amt: ZERO, entry: ZERO, leverage: this.defaultLeverage, marginType: 'cross', updateTime: 0 };
        this.sides.set(key, h);
      }
      const both = this.position(symbol);
      h.leverage = both.leverage;
      h.marginType = both.marginType;
      return h;
    }
    let p = this.positions.get(symbol);
    if (!p) {
      p = { amt: ZERO, entry: ZERO, leverage: this.defaultLeverage, marginType: 'cross', updateTime: 0 };
      this.positions.set(symbol, p);
    }
    return p;
  }

  /** Whether any side of the symbol holds a position. */
  holds(symbol: string): boolean {
    return this.position(symbol).amt !== ZERO || this.position(symbol, 'LONG').amt !== ZERO || this.position(symbol, 'SHORT').amt !== ZERO;
  }

  /** How much of the position an order on `side` can close: all of it when it points the other way, else nothing. */
  closable(symbol: string, side: OrderSide, positionSide: PositionSide = 'BOTH'): Dec {
    const amt = this.position(symbol, positionSide).amt;
    return amt !== ZERO && (amt > ZERO) !== (side === 'BUY') ? abs(amt) : ZERO;
  }

  symbols(): string[] {
    return [...this.positions.keys()];
  }

  setLeverage(symbol: string, leverage: number): void {
    this.position(symbol).leverage = leverage;
  }

  setMarginType(symbol: string, marginType: 'cross' | 'isolated'): void {
    this.position(symbol).marginType = marginType;
  }

  /** Moves the position by `signedQty` at `price`; returns the P&L realized by the part that closed. */
  applyFill(symbol: string, signedQty: Dec, price: Dec, positionSide: PositionSide = 'BOTH'): Dec {
    const p = this.position(symbol, positionSide);
    let realized = ZERO;
    if (p.amt === ZERO || sign(p.amt) === sign(signedQty)) {
      const size = abs(p.amt) + abs(signedQty);
      p.entry = div(mul(p.entry, abs(p.amt)) + mul(price, abs(signedQty)), size);
      p.amt += signedQty;
    } else {
      const closing = min(abs(signedQty), abs(p.amt));
      realized = mul(closing, price - p.entry) * sign(p.amt);
      p.amt += signedQty;
      if (p.amt === ZERO) p.entry = ZERO;
      else if (sign(p.amt) === sign(signedQty)) p.entry = price; // flipped: the rest opened at this price
    }
    p.updateTime = this.now();
    return realized;
  }

  /** Unrealized P&L of one side, or (without a side) of every side of the symbol. */
  unrealized(symbol: string, side?: PositionSide): Dec {
    const of = (p: PositionState | undefined) => (p && p.amt !== ZERO ? mul(p.amt, this.mark(symbol) - p.entry) : ZERO);
    if (side === 'LONG' || side === 'SHORT') return of(this.sides.get(`${symbol}:${side}`));
    const own = of(this.positions.get(symbol));
    return side === 'BOTH' ? own : own + of(this.sides.get(`${symbol}:LONG`)) + of(this.sides.get(`${symbol}:SHORT`));
  }

  private ofAsset(asset: string): [FuturesMarket, PositionState][] {
    const out: [FuturesMarket, PositionState][] = [];
    for (const [key, p] of [...this.positions, ...this.sides]) {
      const m = this.markets.get(key.split(':')[0] ?? key);
      if (m && m.marginAsset === asset && p.amt !== ZERO) out.push([m, p]);
    }
    return out;
  }

  /** Cross margin of one asset; `openOrderInitialMargin` comes from the order book. */
  summary(asset: string, openOrderInitialMargin: Dec): MarginSummary {
    const key = asset.toUpperCase();
    const wallet = this.wallet(key);
    let unrealized = ZERO;
    let positionInitialMargin = ZERO;
    let maintMargin = ZERO;
    let updateTime = this.wallets.get(key)?.updateTime ?? 0;
    for (const [m, p] of this.ofAsset(key)) {
      const notional = abs(mul(p.amt, this.mark(m.symbol)));
      unrealized += mul(p.amt, this.mark(m.symbol) - p.entry);
      positionInitialMargin += div(notional, BigInt(p.leverage) * SCALE);
      maintMargin += mul(notional, m.maintMarginRatio);
      updateTime = Math.max(updateTime, p.updateTime);
    }
    const marginBalance = wallet + unrealized;
    const available = marginBalance - positionInitialMargin - openOrderInitialMargin;
    return { wallet, unrealized, marginBalance, positionInitialMargin, openOrderInitialMargin, maintMargin, available, updateTime };
  }

  /**
   * The mark price at which this position alone would meet its maintenance margin (cross margin,
   * the whole wallet behind it): ZERO when there is no such price.
   */
  liquidationPrice(symbol: string, side: PositionSide = 'BOTH'): Dec {
    const p = side === 'BOTH' ? this.positions.get(symbol) : this.sides.get(`${symbol}:${side}`);
    const m = this.markets.get(symbol);
    if (!p || !m || p.amt === ZERO) return ZERO;
    const wallet = this.wallet(m.marginAsset);
    const size = abs(p.amt);
    const liq =
      p.amt > ZERO
        ? div(mul(size, p.entry) - wallet, mul(size, SCALE - m.maintMarginRatio))
        : div(wallet + mul(size, p.entry), mul(size, SCALE + m.maintMarginRatio));
    return max(liq, ZERO);
  }
}
