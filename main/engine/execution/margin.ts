/**
 * Leverage and margin mode (issue 16): the alert's `leverage` / `margin_mode`, else the strategy's
 * defaults in settings, set on the exchange before an order that opens or adds to a derivatives
 * position (exits and spot need none). When they cannot be set the alert is refused before any
 * order: trading at the account's own leverage would be a risk the strategy did not ask for.
 */
import type { Settings } from '../core/config.js';
import type { MarginSettings, Venue, VenueMarket } from '../core/ports.js';
import type { PlannedOrder } from '../journal/planned-order.js';
import type { Signal } from '../signals/signal.js';
import { classifyError } from '../venues/venue-error.js';
import { onlyCloses } from './position-side.js';

export function marginWanted(signal: Signal, settings: Pick<Settings, 'strategies'>): MarginSettings {
  const own = settings.strategies.find((s) => s.name === signal.strategy);
  const out: MarginSettings = {};
  const leverage = signal.leverage ?? own?.leverage;
  const marginMode = signal.marginMode ?? own?.marginMode;
  if (leverage !== undefined) out.leverage = leverage;
  if (marginMode !== undefined) out.marginMode = marginMode;
  return out;
}

export function describeMargin(w: MarginSettings): string {
  return [w.leverage !== undefined ? `leverage ${w.leverage}x` : null, w.marginMode ? `${w.marginMode} margin` : null].filter(Boolean).join(', ');
}

export type MarginOutcome = { ok: true; note: string | null } | { ok: false; code: string; message: string };

/**
 * Sets what the alert (or its strategy) wants before its orders are written. `retry` retries
 * transient errors (the setting is idempotent: asking twice is harmless).
 */
export async function applyMargin(
  venue: Venue,
  market: VenueMarket,
  signal: Signal,
  settings: Pick<Settings, 'strategies'>,
  orders: readonly PlannedOrder[],
  retry: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<MarginOutcome> {
  if (!market.contract || orders.every((o) => onlyCloses(o.side, o.params))) return { ok: true, note: null };
  const wanted = marginWanted(signal, settings);
  const what = describeMargin(wanted);
  if (!what) return { ok: true, note: null };
  const from = signal.leverage !== undefined || signal.marginMode !== undefined ? 'the alert' : `strategy "${signal.strategy}"'s settings`;
  const refusal = (detail: string, transient = false) => ({
    ok: false as const,
    code: 'margin_not_set',
    message:
      `Not executed: ${what} (from ${from}) could not be set on ${market.symbol}: ${detail}. Nothing was traded rather than trade at the account's own settings; ` +
      (transient ? `send the alert again once ${venue.id} answers.` : `set it on the exchange and remove it from ${from}.`),
  });
  const set = venue.setMargin?.bind(venue);
  if (!set) return refusal(`${venue.id} cannot set leverage or margin mode`);
  try {
    await retry(() => set(market.symbol, wanted));
  } catch (e) {
    const err = classifyError(e, venue.id);
    return refusal(err.message, err.kind === 'transient');
  }
  return { ok: true, note: `at ${what}` };
}
