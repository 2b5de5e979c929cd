/**
 * OKX instruments over the shared engines: spot "BTC-USDT" is the spot engine's BTCUSDT, swap
 * "BTC-USDT-SWAP" the futures engine's BTCUSDT, sized in contracts of `ctVal` base units.
 * `/api/v5/public/instruments` and `/api/v5/market/tickers` documents.
 */
import { type Dec, div, mul, toDec, ZERO } from '../exchange-simulator/decimal.js';
import type { Engine } from '../exchange-simulator/engine.js';
import type { FuturesEngine } from '../exchange-simulator/futures-engine.js';
import { plain } from '../exchange-simulator/futures-markets.js';
import { okxErrors } from './errors.js';

export type InstType = 'SPOT' | 'SWAP';

export interface Instrument {
  instId: string;
  instType: InstType;
  /** The engine symbol (BTCUSDT). */
  symbol: string;
  base: string;
  quote: string;
  /** Base units per contract (1 for spot). */
  ctVal: Dec;
  tickSz: Dec;
  /** Lot and minimum in OKX units: base for spot, contracts for swaps. */
  lotSz: Dec;
  minSz: Dec;
}

/** OKX's real contract values for the default swaps; anything else is 1 base unit per contract. */
export const DEFAULT_CT_VAL: Record<string, string> = { BTCUSDT: '0.01', ETHUSDT: '0.1' };

export interface InstrumentBooks {
  spot: Engine;
  swap: FuturesEngine;
}

export function listInstruments(books: InstrumentBooks, ctVal: Record<string, string>): Instrument[] {
  const spot = books.spot.marketList().map((m): Instrument => ({
    instId: `${m.baseAsset}-${m.quoteAsset}`, instType: 'SPOT', symbol: m.symbol, base: m.baseAsset, quote: m.quoteAsset, ctVal: toDec(1),
    tickSz: m.tickSize, lotSz: m.stepSize, minSz: m.minQty,
  }));
  const swaps = books.swap.marketList().map((m): Instrument => {
    const cv = toDec(ctVal[m.symbol] ?? '1');
    return {
      instId: `${m.baseAsset}-${m.quoteAsset}-SWAP`, instType: 'SWAP', symbol: m.symbol, base: m.baseAsset, quote: m.quoteAsset, ctVal: cv,
      tickSz: m.tickSize, lotSz: div(m.stepSize, cv), minSz: div(m.minQty, cv),
    };
  });
  return [...spot, ...swaps];
}

export function findInstrument(all: readonly Instrument[], instId: string | undefined, operation: boolean): Instrument {
  const i = all.find((x) => x.instId === instId);
  if (!i) throw operation ? okxErrors.instrumentOp() : okxErrors.instrument();
  return i;
}

/** Base quantity of an OKX size (contracts x ctVal for swaps). */
export const toBase = (i: Instrument, sz: Dec): Dec => (i.instType === 'SWAP' ? mul(sz, i.ctVal) : sz);
/** OKX size of a base quantity. */
export const fromBase = (i: Instrument, qty: Dec): Dec => (i.instType === 'SWAP' ? div(qty, i.ctVal) : qty);

export const s = (d: Dec): string => (d === ZERO ? '0' : plain(d));

export function instrumentDoc(i: Instrument, listTime: number): Record<string, unknown> {
  const swap = i.instType === 'SWAP';
  return {
    instType: i.instType, instId: i.instId, uly: swap ? `${i.base}-${i.quote}` : '', instFamily: swap ? `${i.base}-${i.quote}` : '',
    baseCcy: swap ? '' : i.base, quoteCcy: swap ? '' : i.quote, settleCcy: swap ? i.quote : '', ctValCcy: swap ? i.base : '', optType: '', stk: '',
    listTime: String(listTime), expTime: '', lever: swap ? '100' : '10', tickSz: s(i.tickSz), lotSz: s(i.lotSz), minSz: s(i.minSz),
    ctVal: swap ? s(i.ctVal) : '', ctMult: swap ? '1' : '', ctType: swap ? 'linear' : '', alias: '', state: 'live', maxLmtSz: '100000000',
    maxMktSz: swap ? '12000' : '1000000', maxLmtAmt: '20000000', maxMktAmt: '1000000', maxTwapSz: '', maxIcebergSz: '', maxTriggerSz: '', maxStopSz: '',
    ruleType: 'normal', ruleType2: '',
  };
}

export function tickerDoc(i: Instrument, last: Dec, now: number): Record<string, unknown> {
  const l = s(last);
  return {
    instType: i.instType, instId: i.instId, last: l, lastSz: '1', askPx: s(last + i.tickSz), askSz: '1', bidPx: s(last - i.tickSz), bidSz: '1',
    open24h: l, high24h: l, low24h: l, volCcy24h: '0', vol24h: '0', sodUtc0: l, sodUtc8: l, ts: String(now),
  };
}
