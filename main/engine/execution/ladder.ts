/**
 * A take-profit ladder after its entry filled: every level is its own reduce-only order, and the
 * stop always covers what is left. When a level fills, a new stop for the rest is placed first
 * and only then the old one cancelled (the position is never without a stop); after
 * `move_stop_to_breakeven_after` levels it sits at the entry, fees included; after
 * `trailing_after` levels a trailing stop takes its place. A stop that fills ends the ladder.
 *
 * Every step is derived from the journal alone (which levels filled, which orders are open) and
 * each order has a deterministic clientOrderId, so running this again after a crash finishes the
 * step it interrupted without placing anything twice.
 */
import { FINAL, IN_FLIGHT, type Intent, type NewIntent } from '../journal/intents.js';
import type { Venue } from '../core/ports.js';
import { noNoise } from '../market/precision.js';
import { clientOrderId } from './client-order-id.js';
import type { ExecDeps } from './exec-deps.js';
import { sendIntent } from './order-sender.js';
import { entryLegOf, ladderLeg, PROTECTIVE } from './protective.js';
import { levelPrice } from './sizing.js';
import { followOcoLadder } from './oco-ladder.js';
import { closingParams } from './position-side.js';

type Cancel = (d: ExecDeps, venue: Venue, i: Intent) => Promise<boolean>;

/** The entry a protective order belongs to, when that entry carries a take-profit ladder. */
export function ladderEntryOf(d: ExecDeps, p: Pick<Intent, 'alertId' | 'leg' | 'purpose' | 'exchange'>): Intent | null {
  if (!PROTECTIVE.includes(p.purpose)) return null;
  const entry = d.journal().intents.get(clientOrderId(p.alertId, entryLegOf(p.leg), p.exchange));
  return entry?.params.protect?.ladder ? entry : null;
}

/** What the account received from the entry: a fee taken in the coin itself is not there to sell. */
export function receivedOf(entry: Intent, venue: Venue): number {
  const m = venue.market(entry.symbol);
  return entry.filled - (m && entry.feeCurrency === m.base ? entry.fee : 0);
}

/**
 * The price at which closing the rest returns what the entry cost, fees included: the entry's
 * own fee rate is taken as the exit's too.
 */
export function breakevenPrice(entry: Intent, venue: Venue): number | null {
  const avg = entry.average;
  if (avg === null || !(entry.filled > 0)) return null;
  const m = venue.market(entry.symbol);
  const feeQuote = !m || entry.feeCurrency === null ? 0 : entry.feeCurrency === m.base ? entry.fee * avg : entry.feeCurrency === (m.settle ?? m.quote) || entry.feeCurrency === m.quote ? entry.fee : 0;
  const rate = feeQuote / (entry.filled * avg);
  const raw = entry.side === 'buy' ? (avg * (1 + rate)) / (1 - rate) : (avg * (1 - rate)) / (1 + rate);
  return venue.priceToPrecision(entry.symbol, raw);
}

const filledOut = (i: Intent) => i.status === 'filled' || (FINAL.includes(i.status) && i.filled > 0);

/** Brings the ladder's orders to what its filled levels call for. Idempotent. */
export async function followLadder(d: ExecDeps, venue: Venue, entry: Intent, cancel: Cancel): Promise<void> {
  const p = entry.params.protect;
  if (!p?.ladder) return;
  if (p.oco) return followOcoLadder(d, venue, entry, cancel, breakevenPrice);
  const j = d.journal();
  const mine = j.intents.forAlert(entry.alertId).filter((x) => PROTECTIVE.includes(x.purpose) && entryLegOf(x.leg) === entry.leg);
  const levels = mine.filter((x) => x.purpose === 'take_profit');
  const stops = mine.filter((x) => x.purpose !== 'take_profit');
  if (stops.some((s) => s.filled > 0)) {
    // The stop took the rest: the levels above have nothing left to sell.
    for (const o of mine) if (o.status === 'open') await cancel(d, venue, o);
    return;
  }
  const n = levels.filter(filledOut).length;
  if (n === 0) return;
  const rest = venue.amountToPrecision(entry.symbol, noNoise(receivedOf(entry, venue) - levels.reduce((s, l) => s + l.filled, 0)));
  const wanted: NewIntent[] = [];
  if (rest > 0) {
    const side = entry.side === 'buy' ? 'sell' : 'buy';
    const base = { ...entry, side, amount: rest, price: null, createdAt: d.now() } as const;
    const make = (kind: 'stop_loss' | 'trailing_stop', triggerPrice: number | null, extra: NewIntent['params']): NewIntent => {
      const leg = ladderLeg(entry.leg, kind, n);
      return { ...base, leg, clientOrderId: clientOrderId(entry.alertId, leg, entry.exchange), type: kind, purpose: kind, triggerPrice, params: { ...closingParams(entry.params), ...extra } };
    };
    const trailingNow = p.trailingPercent !== undefined && p.trailingAfter !== undefined && n >= p.trailingAfter;
    if (trailingNow) wanted.push(make('trailing_stop', null, { trailingPercent: p.trailingPercent }));
    else {
      if (p.stopLoss) {
        const filledAt = entry.average ?? entry.price ?? 0;
        const original = levelPrice(p.stopLoss, filledAt, entry.side, 'stop');
        const at = p.breakevenAfter !== undefined && n >= p.breakevenAfter ? breakevenPrice(entry, venue) : original === null ? null : venue.priceToPrecision(entry.symbol, original);
        if (at !== null) wanted.push(make('stop_loss', at, {}));
      }
      if (p.trailingPercent !== undefined && p.trailingAfter === undefined) wanted.push(make('trailing_stop', null, { trailingPercent: p.trailingPercent }));
    }
  }
  if (wanted.length) await j.durable(() => j.intents.insert(wanted));
  let covered = true;
  for (const w of wanted) {
    let i = j.intents.get(w.clientOrderId);
    if (i && IN_FLIGHT.includes(i.status)) {
      const out = await sendIntent(d, venue, i, null);
      i = out.kind === 'placed' ? out.recorded.intent : out.intent;
    }
    if (!i || (i.status !== 'open' && !filledOut(i))) covered = false;
  }
  if (!covered) {
    // The new stop is not on the exchange (refused, or its outcome unknown): the old one stays, larger than the rest but still a stop.
    d.logger.warn({ alertId: entry.alertId }, `take-profit ladder of ${entry.clientOrderId}: the stop for the rest after level ${n} is not placed; the previous stop stays`);
    return;
  }
  const keep = new Set(wanted.map((w) => w.clientOrderId));
  for (const s of j.intents.forAlert(entry.alertId)) {
    if (s.status === 'open' && s.purpose !== 'take_profit' && PROTECTIVE.includes(s.purpose) && entryLegOf(s.leg) === entry.leg && !keep.has(s.clientOrderId)) await cancel(d, venue, s);
  }
}

/** Open protective orders of ladder entries: after a restart, each ladder is brought up to date. */
export function openLadders(d: ExecDeps, open: Intent[]): Intent[] {
  const seen = new Map<string, Intent>();
  for (const o of open) {
    const entry = ladderEntryOf(d, o);
    if (entry) seen.set(entry.clientOrderId, entry);
  }
  return [...seen.values()];
}
