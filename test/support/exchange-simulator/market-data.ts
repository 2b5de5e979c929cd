/** Public market data: last prices with 24h-style statistics, tickers, a synthetic order book. */
import { type Dec, div, fmt, max, min, mul, SCALE, ZERO } from './decimal.js';
import type { Engine } from './engine.js';
import { errors } from './errors.js';
import type { Params } from './order-params.js';

interface Stats {
  open: Dec;
  high: Dec;
  low: Dec;
  openTime: number;
}

type Json = Record<string, unknown>;

export class MarketData {
  private readonly stats = new Map<string, Stats>();

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number,
  ) {
    for (const m of engine.marketList()) {
      const p = engine.price(m.symbol);
      this.stats.set(m.symbol, { open: p, high: p, low: p, openTime: now() });
    }
  }

  /** Records a new last price (the engine matches on it separately). */
  observe(symbol: string, price: Dec): void {
    const s = this.stats.get(symbol);
    if (!s) return;
    s.high = max(s.high, price);
    s.low = min(s.low, price);
  }

  /** Resolves `symbol` / `symbols` (JSON array) query parameters: one id, several, or all. */
  private select(params: Params): { single: boolean; symbols: string[] } {
    if (params.symbol !== undefined) {
      this.engine.market(params.symbol);
      return { single: true, symbols: [params.symbol] };
    }
    if (params.symbols !== undefined) {
      let list: unknown;
      try {
        list = JSON.parse(params.symbols);
      } catch {
        throw errors.illegalChars('symbols');
      }
      if (!Array.isArray(list)) throw errors.illegalChars('symbols');
      for (const s of list) this.engine.market(String(s));
      return { single: false, symbols: list.map(String) };
    }
    return { single: false, symbols: this.engine.marketList().map((m) => m.symbol) };
  }

  private each(params: Params, build: (symbol: string) => Json): Json | Json[] {
    const { single, symbols } = this.select(params);
    const out = symbols.map(build);
    return single ? (out[0] ?? {}) : out;
  }

  tickerPrice(params: Params): Json | Json[] {
    return this.each(params, (symbol) => ({ symbol, price: fmt(this.engine.price(symbol)) }));
  }

  bookTicker(params: Params): Json | Json[] {
    return this.each(params, (symbol) => {
      const p = fmt(this.engine.price(symbol));
      return { symbol, bidPrice: p, bidQty: '10.00000000', askPrice: p, askQty: '10.00000000' };
    });
  }

  /** /api/v3/ticker/24hr (FULL) and /api/v3/ticker (rolling window) share this shape. */
  ticker24hr(params: Params, rolling = false): Json | Json[] {
    return this.each(params, (symbol) => {
      const last = this.engine.price(symbol);
      const s = this.stats.get(symbol) ?? { open: last, high: last, low: last, openTime: this.now() };
      const trades = this.engine.trades.filter((t) => t.symbol === symbol);
      const volume = trades.reduce((acc, t) => acc + t.qty, ZERO);
      const quoteVolume = trades.reduce((acc, t) => acc + t.quoteQty, ZERO);
      const change = last - s.open;
      const pct = s.open > ZERO ? mul(div(change, s.open), 100n * SCALE) : ZERO;
      const vwap = volume > ZERO ? div(quoteVolume, volume) : last;
      const lastTrade = trades[trades.length - 1];
      const body: Json = {
        symbol,
        priceChange: fmt(change),
        priceChangePercent: (Number(fmt(pct))).toFixed(3),
        weightedAvgPrice: fmt(vwap),
      };
      if (!rolling) body.prevClosePrice = fmt(s.open);
      body.lastPrice = fmt(last);
      if (!rolling) {
        Object.assign(body, {
          lastQty: fmt(lastTrade?.qty ?? ZERO),
          bidPrice: fmt(last),
          bidQty: '10.00000000',
          askPrice: fmt(last),
          askQty: '10.00000000',
        });
      }
      const closeTime = this.now();
      Object.assign(body, {
        openPrice: fmt(s.open),
        highPrice: fmt(s.high),
        lowPrice: fmt(s.low),
        volume: fmt(volume),
        quoteVolume: fmt(quoteVolume),
        openTime: closeTime - 86_400_000,
        closeTime,
        firstId: trades[0]?.id ?? -1,
        lastId: lastTrade?.id ?? -1,
        count: trades.length,
      });
      return body;
    });
  }

  avgPrice(params: Params): Json {
    const symbol = params.symbol;
    this.engine.market(symbol);
    return { mins: 5, price: fmt(this.engine.price(symbol ?? '')), closeTime: this.now() };
  }

  /** A synthetic book: `limit` levels each side, one tick apart, 10 units each, around the last price. */
  depth(params: Params): Json {
    const m = this.engine.market(params.symbol);
    const last = this.engine.price(m.symbol);
    const levels = Math.min(Number(params.limit ?? 100) || 100, 5000, 20);
    const bids: string[][] = [];
    const asks: string[][] = [];
    for (let i = 0; i < levels; i++) {
      const step = m.tickSize * BigInt(i + 1);
      if (last - step > ZERO) bids.push([fmt(last - step), '10.00000000']);
      asks.push([fmt(last + step), '10.00000000']);
    }
    return { lastUpdateId: this.engine.trades.length + 1, bids, asks };
  }
}
