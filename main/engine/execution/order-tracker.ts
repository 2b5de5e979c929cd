/**
 * Resting orders (limits, stop-loss, take-profit) are checked for fills: on a timer for a live
 * venue, right after each new alert price for the paper venue.
 */
import type { Venue } from '../core/ports.js';
import { afterOrder } from './after-order.js';
import type { ExecDeps } from './exec-deps.js';
import { recordOrder } from './fill-recorder.js';
import { bookOf } from './order-book.js';

export async function trackOpen(d: ExecDeps, venue: Venue, symbol?: string): Promise<void> {
  const j = d.journal();
  const open = j.intents.open(venue.mode, d.venues.exchangeFor(venue.account)).filter((i) => i.account === venue.account && (!symbol || i.symbol === symbol));
  for (const i of open) {
    if (d.abort.aborted) return;
    let order;
    try {
      order = await venue.fetchOrderByClientId(i.symbol, i.clientOrderId, bookOf(i));
    } catch {
      continue; // next round
    }
    if (!order) continue;
    const current = j.intents.get(i.clientOrderId);
    if (!current || current.status !== 'open') continue;
    const rec = await recordOrder(j, venue, current, order, d.now());
    if (rec.changed) await afterOrder(d, venue, rec);
  }
}
