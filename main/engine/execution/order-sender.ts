/**
 * Exactly-once order placement. The intent (with its deterministic clientOrderId) is already in
 * the journal; this sends it and never blind-retries:
 *
 * - Before every send except a fresh intent's first, the order is looked up by clientOrderId.
 *   Found: recorded, done. Not found: re-sent only once the look-up is `venue.resendGuardMs`
 *   after the last send (Binance refuses a request older than recvWindow, so a late copy of the
 *   lost request can no longer execute); earlier, wait and look again.
 * - Transient errors (network, timeout, 5xx, 429, clock skew) are retried with exponential
 *   backoff and jitter, up to `maxAttempts`; the intent is left `unknown` after that, for the
 *   next recovery pass. Permanent errors mark it `rejected` at once.
 */
import type { Intent } from '../journal/intents.js';
import type { Journal } from '../journal/journal.js';
import type { Venue, VenueOrder, VenueOrderRequest } from '../core/ports.js';
import { isDiskError } from '../core/disk-guard.js';
import { classifyError, type VenueError } from '../venues/venue-error.js';
import { backoffDelay, sleep, type RetryPolicy } from './backoff.js';
import { recordOrder, type Recorded } from './fill-recorder.js';
import { bookOf } from './order-book.js';
import type { Reporter } from './reporter.js';

export type SendOutcome =
  | { kind: 'placed'; recorded: Recorded }
  | { kind: 'rejected'; intent: Intent; message: string }
  | { kind: 'failed'; intent: Intent; message: string }
  | { kind: 'unknown'; intent: Intent; message: string }
  | { kind: 'interrupted'; intent: Intent };

export interface SenderDeps {
  journal: () => Journal;
  reporter: Reporter;
  now: () => number;
  retry: RetryPolicy;
  /** An order not yet seen by the exchange is not sent after its alert is this old. */
  maxSignalAgeMs: number;
  /** Aborted on shutdown: no new send starts, waits end early. */
  abort: AbortSignal;
}

export async function sendIntent(
  d: SenderDeps,
  venue: Venue,
  start: Intent,
  alertReceivedAt: number | null,
  /** The caller wrote this intent as `sending` itself, just now, in the commit that created it. */
  freshlyMarked = false,
  /** Called once the order request is handed to the venue (the next one may then be sent). */
  onSending?: () => void,
): Promise<SendOutcome> {
  const j = d.journal();
  let intent = start;
  let tries = 0;
  let marked = freshlyMarked && start.status === 'sending' && start.attempts === 1;
  let lookFirst = !marked && (intent.status === 'sending' || intent.status === 'unknown');
  // After a restart the last send happened at most at the intent's last update.
  let lastSendAt = lookFirst ? intent.updatedAt : 0;

  const fail = async (e: VenueError, mode: 'send' | 'look'): Promise<SendOutcome | null> => {
    tries++;
    if (e.kind === 'permanent' && mode === 'send') {
      j.intents.setStatus(intent.clientOrderId, 'rejected', { code: e.code, message: e.message }, d.now());
      intent = reload(j, intent);
      d.reporter.orderFailed(intent, e.message);
      return { kind: 'rejected', intent, message: e.message };
    }
    const message =
      e.kind === 'permanent'
        ? `could not check whether the order exists: ${e.message}`
        : mode === 'look'
          ? `could not check the order: ${e.message}`
          : `${e.message}; the order may or may not have been placed`;
    if (mode === 'send' || intent.status !== 'unknown') {
      j.intents.setStatus(intent.clientOrderId, 'unknown', { code: e.code, message }, d.now());
      intent = reload(j, intent);
    }
    if (e.kind === 'permanent' || tries >= d.retry.maxAttempts || d.abort.aborted) {
      d.reporter.orderUpdated(intent);
      return { kind: 'unknown', intent, message };
    }
    d.reporter.orderRetrying(intent, tries, message);
    await sleep(backoffDelay(tries, d.retry, e.retryAfterMs), d.abort);
    return null;
  };

  for (;;) {
    if (lookFirst) {
      let found: VenueOrder | null;
      try {
        found = await venue.fetchOrderByClientId(intent.symbol, intent.clientOrderId, bookOf(intent));
      } catch (e) {
        if (isDiskError(e)) throw e;
        const out = await fail(classifyError(e, venue.id), 'look');
        if (out) return out;
        continue;
      }
      if (found) return placed(d, venue, intent, found);
      const wait = lastSendAt + venue.resendGuardMs - d.now();
      if (wait > 0) {
        // A late copy of the lost request could still execute: look again once it cannot.
        await sleep(wait + 50, d.abort);
        if (d.abort.aborted) return { kind: 'interrupted', intent };
        continue;
      }
      lookFirst = false;
    }
    if (alertReceivedAt !== null && d.now() - alertReceivedAt > d.maxSignalAgeMs) {
      const message = `not sent: the alert is ${Math.round((d.now() - alertReceivedAt) / 1000)} s old (limit ${Math.round(d.maxSignalAgeMs / 1000)} s)`;
      j.intents.setStatus(intent.clientOrderId, 'failed', { code: 'too_old', message }, d.now());
      intent = reload(j, intent);
      d.reporter.orderFailed(intent, message);
      return { kind: 'failed', intent, message };
    }
    // An intent already written `sending` is sent even during shutdown: that record promises it.
    if (d.abort.aborted && !marked) return { kind: 'interrupted', intent };

    const first = intent.sentAt === null || marked;
    if (!marked) {
      // Checked in the same synchronous step as the commit: no `sending` record once shutdown began.
      const go = await j.durable(() => {
        if (d.abort.aborted) return false;
        j.intents.markSending(intent.clientOrderId, d.now());
        return true;
      });
      if (!go) return { kind: 'interrupted', intent };
      intent = reload(j, intent);
    }
    marked = false;
    lastSendAt = d.now();
    if (first) d.reporter.orderSent(intent, alertReceivedAt, performance.timeOrigin + performance.now());
    try {
      const sending = venue.createOrder(requestOf(intent));
      onSending?.();
      const order = await sending;
      return placed(d, venue, intent, order);
    } catch (e) {
      // Our journal failed, not the exchange: the worker runs the alert again once the disk
      // recovers, and finds this order by its clientOrderId then.
      if (isDiskError(e)) throw e;
      const err = classifyError(e, venue.id);
      if (err.kind === 'duplicate' && ++tries < d.retry.maxAttempts) {
        // The exchange already has an open order with this id: that is our order.
        lookFirst = true;
        continue;
      }
      const out = await fail(err, 'send');
      if (out) return out;
      lookFirst = true;
    }
  }
}

async function placed(d: SenderDeps, venue: Venue, intent: Intent, order: VenueOrder): Promise<SendOutcome> {
  d.reporter.orderPlaced(intent);
  const recorded = await recordOrder(d.journal(), venue, intent, order, d.now());
  return { kind: 'placed', recorded };
}

export function requestOf(i: Intent): VenueOrderRequest {
  const r: VenueOrderRequest = { symbol: i.symbol, side: i.side, type: i.type, amount: i.amount, clientOrderId: i.clientOrderId };
  if (i.price !== null) r.price = i.price;
  if (i.triggerPrice !== null) r.triggerPrice = i.triggerPrice;
  if (i.params.trailingPercent !== undefined) r.trailingPercent = i.params.trailingPercent;
  if (i.params.reduceOnly) r.reduceOnly = true;
  if (i.params.timeInForce !== undefined) r.timeInForce = i.params.timeInForce;
  if (i.params.stopLoss !== undefined) r.stopLoss = i.params.stopLoss;
  if (i.params.takeProfit !== undefined) r.takeProfit = i.params.takeProfit;
  return r;
}

function reload(j: Journal, i: Intent): Intent {
  return j.intents.get(i.clientOrderId) ?? i;
}
