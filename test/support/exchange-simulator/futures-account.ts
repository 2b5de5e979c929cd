/**
 * The futures account: wallet per margin asset and one position per symbol (one-way mode, cross
 * margin). The wallet moves only by realized P&L and fees (and test hooks); unrealized P&L is
 * the position marked at the last price.
 */
import { type Dec, div, max, min, mul, SCALE, ZERO } from './decimal.js';
import type { FuturesMarket } from './futures-markets.js';
import type { OrderSide } from './types.js';

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
  /**
   * Hedge mode (POST /fapi/v1/positionSide/dual): Binance then wants positionSide LONG / SHORT on
   * every order. The simulator keeps one-way positions only, so in hedge mode it refuses every
   * order as Binance refuses one without its position side (-4061).
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

  position(symbol: string): PositionState {
    let p = this.positions.get(symbol);
    if (!p) {
      p = { amt: ZERO, entry: ZERO, leverage: this.defaultLeverage, marginType: 'cross', updateTime: 0 };
      this.positions.set(symbol, p);
    }
    return p;
  }

  /** How much of the position an order on `side` can close: all of it when it points the other way, else nothing. */
  closable(symbol: string, side: OrderSide): Dec {
    const amt = this.position(symbol).amt;
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
  applyFill(symbol: string, signedQty: Dec, price: Dec): Dec {
    const p = this.position(symbol);
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

  unrealized(symbol: string): Dec {
    const p = this.positions.get(symbol);
    return p && p.amt !== ZERO ? mul(p.amt, this.mark(symbol) - p.entry) : ZERO;
  }

  private ofAsset(asset: string): [FuturesMarket, PositionState][] {
    const out: [FuturesMarket, PositionState][] = [];
    for (const [symbol, p] of this.positions) {
      const m = this.markets.get(symbol);
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
      unrealized += this.unrealized(m.symbol);
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
  liquidationPrice(symbol: string): Dec {
    const p = this.positions.get(symbol);
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
