/** Only the markets listed (any spelling: `BTC/USDT`, `BINANCE:BTCUSDT`, `BTCUSDT.P`); empty: every one. */
import type { VenueMarket } from '../../core/ports.js';
import { parseSymbol } from '../../market/symbols.js';
import type { EntryLimit } from './risk-limit.js';

export const allowedSymbols: EntryLimit<'allowedSymbols'> = {
  name: 'allowedSymbols',
  on: 'entries',
  code: 'risk_allowed_symbols',
  fix: { setting: 'allowed symbols (add the symbol)', otherwise: 'or send an allowed symbol', verb: 'change' },
  check({ value: allowed, plan, label, refuse }) {
    const m = plan.market;
    if (allowed.length === 0 || allowed.some((a) => symbolMatches(a, m))) return null;
    return refuse(`${m.symbol} is not among the allowed symbols (${allowed.join(', ')}) (${label})`, m.symbol, allowed);
  },
};

/** `BTC/USDT`, `BINANCE:BTCUSDT`, `btcusdt`, `BTCUSDT.P` all name their market. */
export function symbolMatches(allowed: string, m: VenueMarket): boolean {
  const p = parseSymbol(allowed);
  if (p.unified && p.unified === m.symbol) return true;
  return p.compact === m.base + m.quote && p.perpetual === m.contract;
}
