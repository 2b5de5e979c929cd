/**
 * How much to trade, in base units, from an alert's quantity form:
 * - base `0.01`: that amount;
 * - quote `100usdt`: 100 / price (USD is read as the market's USD stablecoin);
 * - percent `25%`: of the available balance: a buy spends 25% of the free quote currency, a sell
 *   (spot) sells 25% of the free base currency;
 * - risk `risk=1%`: 1% of equity (quote + base valued at the price) lost if the stop is hit:
 *   amount = equity * 1% / |entry - stop|.
 * Sizing from a balance keeps `bufferPct` back for fees and slippage.
 */
import type { VenueBalances, VenueMarket } from '../core/ports.js';
import type { Level, Quantity } from '../signals/signal.js';
import { fmtNum } from '../market/precision.js';

export type Sized = { ok: true; amount: number; note?: string } | { ok: false; code: string; message: string };

export interface SizingInput {
  quantity: Quantity;
  side: 'buy' | 'sell';
  price: number;
  market: VenueMarket;
  stopLoss?: Level;
  /** Loaded only for the forms that need it. */
  balances: () => Promise<VenueBalances>;
  bufferPct: number;
}

const USD_LIKE = new Set(['USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USDP', 'DAI']);

export async function sizeOrder(s: SizingInput): Promise<Sized> {
  const q = s.quantity;
  const m = s.market;
  switch (q.kind) {
    case 'base':
      return { ok: true, amount: q.value };
    case 'quote': {
      const cur = q.currency.toUpperCase();
      const matches = cur === m.quote || (cur === 'USD' && USD_LIKE.has(m.quote)) || (USD_LIKE.has(cur) && cur === m.quote);
      if (!matches) {
        return { ok: false, code: 'quote_currency', message: `The quantity is in ${cur} but ${m.symbol} is priced in ${m.quote}: use e.g. 100${m.quote.toLowerCase()}.` };
      }
      return { ok: true, amount: q.value / s.price };
    }
    case 'percent': {
      const b = await s.balances();
      const keep = 1 - s.bufferPct / 100;
      if (s.side === 'buy' || m.contract) {
        const free = b[m.quote]?.free ?? 0;
        if (free <= 0) return { ok: false, code: 'no_balance', message: `No ${m.quote} available to spend on ${m.symbol}.` };
        return { ok: true, amount: ((free * q.value) / 100 / s.price) * keep };
      }
      const free = b[m.base]?.free ?? 0;
      if (free <= 0) return { ok: false, code: 'no_balance', message: `No ${m.base} available to sell.` };
      return { ok: true, amount: (free * q.value) / 100 };
    }
    case 'risk': {
      const stop = levelPrice(s.stopLoss, s.price, s.side, 'stop');
      if (stop === null) return { ok: false, code: 'risk_needs_stop', message: 'risk-based quantity needs a stop_loss.' };
      const distance = Math.abs(s.price - stop);
      if (!(distance > 0)) return { ok: false, code: 'bad_stop', message: `The stop (${fmtNum(stop)}) equals the entry price: no risk distance.` };
      const b = await s.balances();
      const equity = (b[m.quote]?.total ?? 0) + (m.contract ? 0 : (b[m.base]?.total ?? 0) * s.price);
      if (equity <= 0) return { ok: false, code: 'no_balance', message: `No ${m.quote} equity to size a risk-based order.` };
      const amount = (equity * q.percent) / 100 / distance;
      const free = b[m.quote]?.free ?? 0;
      if (s.side === 'buy' && !m.contract && amount * s.price > free * (1 - s.bufferPct / 100)) {
        const capped = (free * (1 - s.bufferPct / 100)) / s.price;
        return { ok: true, amount: capped, note: `risk sizing wanted ${fmtNum(amount)} ${m.base}, capped to the ${fmtNum(free)} ${m.quote} available` };
      }
      return { ok: true, amount };
    }
  }
}

/**
 * A stop-loss or take-profit level as a price. Percent levels are measured from the entry: a
 * long's stop is below it and its target above; a short's the other way round.
 */
export function levelPrice(level: Level | undefined, entry: number, side: 'buy' | 'sell', kind: 'stop' | 'target'): number | null {
  if (!level) return null;
  if (level.price !== undefined) return level.price;
  if (level.percent === undefined) return null;
  const below = (side === 'buy') === (kind === 'stop');
  return entry * (1 + ((below ? -1 : 1) * level.percent) / 100);
}
