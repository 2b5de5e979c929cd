/**
 * What follows an order update: tell the trader, place an entry's separate stop-loss /
 * take-profit / trailing orders once it has filled, and cancel the strategy's remaining
 * protective orders when its position is closed (whichever order closed it).
 */
import { FINAL, IN_FLIGHT, type Intent } from '../journal/intents.js';
import type { Venue, VenueOrder } from '../core/ports.js';
import { classifyError } from '../venues/venue-error.js';
import type { ExecDeps } from './exec-deps.js';
import { recordOrder, type Recorded } from './fill-recorder.js';
import { bookOf } from './order-book.js';
import { sendIntent } from './order-sender.js';
import { followLadder, ladderEntryOf, receivedOf } from './ladder.js';
import { entryLegOf, PROTECTIVE, protectiveIntents } from './protective.js';
import { heldBack } from './oco-ladder.js';

export async function afterOrder(d: ExecDeps, venue: Venue, rec: Recorded): Promise<void> {
  const i = rec.intent;
  if (rec.fill) d.reporter.orderFilled(i, rec.fill);
  else if (rec.changed) d.reporter.orderUpdated(i);
  if (rec.position) d.reporter.position(rec.key, rec.position, rec.fill?.price ?? null);
  if (i.purpose === 'entry') await ensureProtective(d, venue, i);
  // A ladder level filled, a stop filled, or a stop for the rest got placed (after a restart): the ladder's next step.
  if (rec.fill || (rec.changed && i.status === 'open')) {
    const entry = ladderEntryOf(d, i);
    if (entry) await followLadder(d, venue, entry, cancelIntent);
  }
  if (rec.position && rec.position.qty === 0) {
    const left = d.journal().intents.openFor(i.account, i.mode, i.strategy, i.symbol);
    for (const o of left) if (PROTECTIVE.includes(o.purpose) && o.clientOrderId !== i.clientOrderId) await cancelIntent(d, venue, o);
  }
}

/** Places (or, after a restart, finishes placing) the protective orders of a filled entry. Idempotent. */
export async function ensureProtective(d: ExecDeps, venue: Venue, entry: Intent): Promise<void> {
  const done = entry.status === 'filled' || (FINAL.includes(entry.status) && entry.filled > 0);
  if (!entry.params.protect || !done || !(entry.filled > 0)) return;
  const j = d.journal();
  await j.durable(() => j.intents.insert(protectiveIntents(entry, receivedOf(entry, venue), venue, d.now())));
  const mine = j.intents.forAlert(entry.alertId).filter((p) => PROTECTIVE.includes(p.purpose) && entryLegOf(p.leg) === entry.leg);
  // The other order of an OCO list is only looked up, so after the list's own send.
  const ordered = [...mine.filter((p) => p.params.ocoOf === undefined), ...mine.filter((p) => p.params.ocoOf !== undefined)];
  for (const p of ordered) {
    if (!IN_FLIGHT.includes(p.status) || heldBack(p)) continue;
    const out = await sendIntent(d, venue, p, null);
    if (out.kind === 'placed') await afterOrder(d, venue, out.recorded);
  }
}

/**
 * Cancels one of our orders by clientOrderId and records how it ended (it may have filled
 * meanwhile). Returns false when the exchange could not be asked.
 */
export async function cancelIntent(d: ExecDeps, venue: Venue, i: Intent): Promise<boolean> {
  let order: VenueOrder | null;
  try {
    // A stop-loss looked for among plain orders is "not found" and would stay on the exchange.
    const book = bookOf(i);
    order = await venue.cancelOrder(i.symbol, i.clientOrderId, book);
    // The cancel's answer may lack fills: the order itself says how it ended.
    order = (await venue.fetchOrderByClientId(i.symbol, i.clientOrderId, book)) ?? order;
  } catch (e) {
    const err = classifyError(e, venue.id);
    d.logger.warn({ alertId: i.alertId, clientOrderId: i.clientOrderId, code: err.code }, `could not cancel ${i.clientOrderId}: ${err.message}`);
    return false;
  }
  if (!order) {
    d.journal().intents.setStatus(i.clientOrderId, 'cancelled', { code: 'not_found', message: `${venue.id} has no such order` }, d.now());
    d.reporter.orderUpdated(d.journal().intents.get(i.clientOrderId) ?? i);
    return true;
  }
  const rec = await recordOrder(d.journal(), venue, i, order, d.now());
  await afterOrder(d, venue, rec);
  return true;
}
