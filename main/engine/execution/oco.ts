/**
 * The take-profit of a spot OCO order list: it reaches the exchange inside its stop-loss's
 * request (one list, one send), so it is never sent on its own; placing it means finding it by
 * its clientOrderId. Sending it separately would sell the same coins twice.
 */
import type { Intent } from '../journal/intents.js';
import type { Venue } from '../core/ports.js';
import { isDiskError } from '../core/disk-guard.js';
import { classifyError } from '../venues/venue-error.js';
import type { Journal } from '../journal/journal.js';
import { recordOrder, type Recorded } from './fill-recorder.js';
import { bookOf } from './order-book.js';
import type { Reporter } from './reporter.js';

/** A send's outcome (order-sender's SendOutcome, the kinds this can end in). */
export type OcoPartOutcome = { kind: 'placed'; recorded: Recorded } | { kind: 'rejected' | 'unknown'; intent: Intent; message: string };

export async function resolveOcoPart(d: { journal: () => Journal; reporter: Reporter; now: () => number }, venue: Venue, intent: Intent): Promise<OcoPartOutcome> {
  const j = d.journal();
  let found;
  try {
    found = await venue.fetchOrderByClientId(intent.symbol, intent.clientOrderId, bookOf(intent));
  } catch (e) {
    if (isDiskError(e)) throw e;
    return { kind: 'unknown', intent, message: `could not check the order: ${classifyError(e, venue.id).message}` };
  }
  if (found) {
    d.reporter.orderPlaced(intent);
    return { kind: 'placed', recorded: await recordOrder(j, venue, intent, found, d.now()) };
  }
  const partner = intent.params.ocoOf === undefined ? null : j.intents.get(intent.params.ocoOf);
  if (partner && (partner.status === 'rejected' || partner.status === 'failed')) {
    const message = `sent as one OCO order list with the stop-loss, which was not placed: ${partner.errorMessage ?? partner.errorCode ?? partner.status}`;
    j.intents.setStatus(intent.clientOrderId, partner.status, { code: partner.errorCode ?? 'oco_not_placed', message }, d.now());
    const updated = j.intents.get(intent.clientOrderId) ?? intent;
    d.reporter.orderFailed(updated, message);
    return { kind: 'rejected', intent: updated, message };
  }
  return { kind: 'unknown', intent, message: 'sent with its stop-loss as one OCO order list; not seen on the exchange yet' };
}
