import { describe, expect, it } from 'vitest';
import { mapSymbol, parseSymbol } from '../../main/engine/market/symbols.js';
import type { Venue, VenueMarket } from '../../main/engine/core/ports.js';
import { applyFill, FLAT } from '../../main/engine/ledger/ledger.js';
import { snapshotMarkets } from '../../main/engine/venues/paper-market-data.js';
import { PaperVenue } from '../../main/engine/venues/paper-venue.js';
import { toVenueMarket } from '../../main/engine/venues/ccxt-venue.js';

const spot = (base: string, quote: string): VenueMarket =>
  toVenueMarket({ id: base + quote, symbol: `${base}/${quote}`, base, quote, type: 'spot', spot: true, active: true, precision: {}, limits: {} } as never);
const perp = (base: string, quote: string): VenueMarket =>
  toVenueMarket({ id: base + quote, symbol: `${base}/${quote}:${quote}`, base, quote, settle: quote, type: 'swap', swap: true, contract: true, linear: true, active: true, precision: {}, limits: {} } as never);

/** A market list as a ccxt venue would hold it (spot and linear perpetuals). */
function listed(markets: VenueMarket[]): Venue {
  const by = new Map(markets.map((m) => [m.symbol, m]));
  return { id: 'binanceusdm', markets: () => markets, market: (s: string) => by.get(s) } as unknown as Venue;
}

describe('TradingView symbols to markets', () => {
  const venue = listed([spot('BTC', 'USDT'), spot('ETH', 'USDT'), spot('ETH', 'BTC'), perp('BTC', 'USDT'), perp('ETH', 'USDT'), spot('BTC', 'TUSD')]);

  it.each([
    ['BTCUSDT', 'BTC/USDT'],
    ['BINANCE:BTCUSDT', 'BTC/USDT'],
    ['btc-usdt', 'BTC/USDT'],
    ['BTC/USDT', 'BTC/USDT'],
    ['ETHBTC', 'ETH/BTC'],
    ['BTCUSDT.P', 'BTC/USDT:USDT'],
    ['BINANCE:ETHUSDT.P', 'ETH/USDT:USDT'],
    ['BTCUSDTPERP', 'BTC/USDT:USDT'],
    ['BTC/USDT:USDT', 'BTC/USDT:USDT'],
  ])('%s -> %s', (raw, symbol) => {
    const r = mapSymbol(raw, venue);
    expect(r.ok && r.market.symbol).toBe(symbol);
  });

  it('refuses an unknown symbol naming the closest markets', () => {
    const r = mapSymbol('BINANCE:ETHUSTD', venue);
    expect(r).toEqual({ ok: false, message: 'binanceusdm has no market "BINANCE:ETHUSTD": did you mean ETH/USDT?' });
    const far = mapSymbol('DOGEJPY', venue);
    expect(far).toEqual({ ok: false, message: 'binanceusdm has no market "DOGEJPY".' });
    const p = mapSymbol('SOLUSDT.P', venue);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.message).toMatch(/no perpetual market "SOLUSDT.P"/);
  });

  it('parses prefixes, separators and perpetual suffixes', () => {
    expect(parseSymbol('BYBIT:SOL_USDT.P')).toEqual({ compact: 'SOLUSDT', unified: null, perpetual: true });
    expect(parseSymbol('BTC/USDT:USDT')).toEqual({ compact: 'BTCUSDT', unified: 'BTC/USDT:USDT', perpetual: true });
  });

  it('paper knows the exchange\'s real markets (here the shipped snapshot) and refuses the others with near matches', () => {
    const opts = { balances: {}, feeRate: 0, slippageBps: 0, leverage: 1, maintenanceMarginRate: 0.004 };
    const paper = new PaperVenue({} as never, 'main', opts, () => 0, snapshotMarkets('binance'));
    expect(mapSymbol('BINANCE:ETHBTC', paper)).toMatchObject({ ok: true, market: { symbol: 'ETH/BTC', precision: { amount: 0.0001 }, limits: { cost: { min: 0.0001 } } } });
    expect(mapSymbol('BTCUSDT.P', paper)).toMatchObject({ ok: true, market: { symbol: 'BTC/USDT:USDT', contract: true, precision: { amount: 0.001 }, limits: { cost: { min: 100 } } } });
    expect(mapSymbol('XYZNOTACOIN/USDT', paper)).toEqual({ ok: false, message: "XYZNOTACOIN/USDT is not a market on binance (paper trades binance's real markets)." });
    expect(mapSymbol('BINANCE:SOLUSTD', paper)).toEqual({
      ok: false,
      message: "BINANCE:SOLUSTD is not a market on binance (paper trades binance's real markets); did you mean SOL/USDT?",
    });
    expect(mapSymbol('NOTASYMBOL', paper).ok).toBe(false);
  });
});

describe('position ledger arithmetic', () => {
  const buy = (amount: number, price: number, fee = 0, feeCurrency: string | null = 'USDT') => ({ side: 'buy' as const, amount, price, fee, feeCurrency });
  const sell = (amount: number, price: number, fee = 0, feeCurrency: string | null = 'USDT') => ({ side: 'sell' as const, amount, price, fee, feeCurrency });

  it('averages entries and realizes P&L on the part closed', () => {
    let p = applyFill(FLAT, buy(1, 100), 'BTC', 'USDT');
    p = applyFill(p, buy(1, 200), 'BTC', 'USDT');
    expect(p).toMatchObject({ qty: 2, avgEntry: 150, realizedPnl: 0 });
    p = applyFill(p, sell(0.5, 170, 0.085), 'BTC', 'USDT');
    expect(p).toMatchObject({ qty: 1.5, avgEntry: 150, realizedPnl: 10, fees: 0.085 });
  });

  it('flips through zero into a short at the fill price', () => {
    const p = applyFill(applyFill(FLAT, buy(1, 100), 'X', 'USDT'), sell(3, 90), 'X', 'USDT');
    expect(p).toMatchObject({ qty: -2, avgEntry: 90, realizedPnl: -10 });
    const flat = applyFill(p, buy(2, 80), 'X', 'USDT');
    expect(flat).toMatchObject({ qty: 0, avgEntry: 0, realizedPnl: 10 });
  });

  it('on spot a sell beyond the strategy\'s own coins leaves it flat, never short', () => {
    const p = applyFill(applyFill(FLAT, buy(1, 100), 'X', 'USDT'), sell(3, 110), 'X', 'USDT', false);
    expect(p).toMatchObject({ qty: 0, avgEntry: 0, realizedPnl: 10 });
    expect(applyFill(FLAT, sell(1, 100), 'X', 'USDT', false).qty).toBe(0);
  });

  it('a fee in the coin bought shrinks the position (what the account really holds)', () => {
    const p = applyFill(FLAT, buy(0.01, 65000, 0.00001, 'BTC'), 'BTC', 'USDT');
    expect(p.qty).toBe(0.00999);
    expect(p.fees).toBeCloseTo(0.65, 10);
  });
});
