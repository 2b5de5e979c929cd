/**
 * TradingView symbols to ccxt markets: `BTCUSDT`, `BINANCE:BTCUSDT`, `BTC/USDT`, `btc-usdt`,
 * and perpetuals `BTCUSDT.P` / `BTCUSDTPERP` -> `BTC/USDT:USDT`. An unknown symbol is refused
 * naming the closest markets the venue has (paper too: it knows the exchange's real markets).
 */
import type { Venue, VenueMarket } from '../core/ports.js';

export interface ParsedSymbol {
  /** Uppercased, without exchange prefix, separators or perpetual suffix: `BTCUSDT`. */
  compact: string;
  /** When written as `BASE/QUOTE[:SETTLE]`. */
  unified: string | null;
  perpetual: boolean;
}

export function parseSymbol(raw: string): ParsedSymbol {
  let s = raw.trim().toUpperCase();
  const colon = s.indexOf(':');
  // `BINANCE:BTCUSDT` has an exchange prefix; `BTC/USDT:USDT` has a settle currency.
  if (colon > 0 && !s.slice(0, colon).includes('/')) s = s.slice(colon + 1);
  let perpetual = false;
  const perp = /(\.P|[-_]?PERP(ETUAL)?)$/.exec(s);
  if (perp) {
    perpetual = true;
    s = s.slice(0, perp.index);
  }
  if (s.includes('/')) {
    const settle = s.includes(':');
    perpetual ||= settle;
    return { compact: s.replace(/[/:].*$/, '') + s.split('/')[1]?.split(':')[0], unified: s, perpetual };
  }
  return { compact: s.replace(/[-_ ]/g, ''), unified: null, perpetual };
}

export type SymbolResult = { ok: true; market: VenueMarket } | { ok: false; message: string };

/** Finds the venue's market for an alert's symbol. */
export function mapSymbol(raw: string, venue: Venue): SymbolResult {
  const p = parseSymbol(raw);
  const markets = venue.markets();
  const wantType = (m: VenueMarket) => (p.perpetual ? m.type === 'swap' && m.settle === m.quote : m.type === 'spot');

  if (p.unified) {
    const exact = venue.market(p.unified) ?? (p.perpetual && !p.unified.includes(':') ? venue.market(`${p.unified}:${p.unified.split('/')[1]}`) : undefined);
    if (exact) return { ok: true, market: exact };
  }
  const hit = markets.find((m) => m.active && wantType(m) && m.base + m.quote === p.compact) ?? markets.find((m) => wantType(m) && m.id.toUpperCase() === p.compact);
  if (hit) return { ok: true, market: hit };

  const near = closeMatches(p.compact, markets.filter(wantType));
  const kind = p.perpetual ? 'perpetual ' : '';
  if (venue.marketsOf) {
    // Paper: the words of the live venue's refusal, so a typo is caught before testnet or live.
    return {
      ok: false,
      message: `${raw} is not a ${kind}market on ${venue.marketsOf} (paper trades ${venue.marketsOf}'s real markets)${near.length ? `; did you mean ${near.join(', ')}?` : '.'}`,
    };
  }
  return {
    ok: false,
    message: `${venue.id} has no ${kind}market "${raw}"${near.length ? `: did you mean ${near.join(', ')}?` : '.'}`,
  };
}

/** Up to three markets whose compact name is within a few edits, closest first. */
export function closeMatches(compact: string, markets: readonly VenueMarket[]): string[] {
  const limit = Math.max(2, Math.floor(compact.length / 3));
  return markets
    .map((m) => ({ m, d: distance(compact, m.base + m.quote) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.m.symbol.localeCompare(b.m.symbol))
    .slice(0, 3)
    .map((x) => x.m.symbol);
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one edit. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
