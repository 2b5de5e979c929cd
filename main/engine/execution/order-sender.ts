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
import { ORDER_OPTION_KEYS, type Venue, type VenueOrder, type VenueOrderRequest } from '../core/ports.js';
import { isDiskError } from '../core/disk-guard.js';
import { isLeaseLost, LeaseLostError } from '../journal/leases.js';
import { classifyError, type VenueError } from '../venues/venue-error.js';
import { backoffDelay, sleep, type RetryPolicy } from './backoff.js';
import { recordOrder, type Recorded } from './fill-recorder.js';
import { bookOf } from './order-book.js';
import type { Reporter } from './reporter.js';
import type { Refused } from '../risk/pre-trade.js';
import { resolveOcoPart } from './oco.js';

/** What an alert's age is measured from: its own `time`, if any, and when it was received. */
export interface AlertTimes {
  time?: number | undefined;
  receivedAt: number;
}

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
  /**
   * The alert-age rule (risk/limits/max-alert-age.ts, the one `maxAlertAgeSec`): an order not yet
   * seen by the exchange is not sent once its alert is stale. Absent: no age is checked.
   */
  stale?: (strategy: string, account: string, alert: AlertTimes) => Refused | null;
  /** Aborted on shutdown: no new send starts, waits end early. */
  abort: AbortSignal;
  /** Several nodes: the send fence of the account's executor lease (ExecDeps.executor). */
  executor?: { holds(account?: string): boolean; sendWindow?(account: string): { at: number; remainingMs: number } | null };
}

/**
 * Where one intent's placement stands (Hummingbot's order states, for the part before the
 * exchange has the order): each state does one thing and names the next.
 *
 * - `look-up`: ask the exchange for the clientOrderId (a send may have reached it).
 * - `guard-wait`: not found, but a late copy of the last send could still execute: wait it out.
 * - `pre-send`: the last checks before a send: the alert's age, shutdown.
 * - `marking`: write the intent `sending` durably (skipped when the caller just did).
 * - `sending`: hand the request to the venue; an error classifies into look-up, retry or an end.
 * - `done`: the outcome.
 */
export type SendState =
  | { state: 'look-up' }
  | { state: 'guard-wait'; ms: number }
  | { state: 'pre-send'; marked: boolean }
  | { state: 'marking'; first: boolean }
  | { state: 'sending'; first: boolean }
  | { state: 'done'; outcome: SendOutcome };

export async function sendIntent(
  d: SenderDeps,
  venue: Venue,
  start: Intent,
  /** The intent's alert, for its age and the signal-to-order time; null for orders not sent for an alert (protective, recovery). */
  alert: AlertTimes | null,
  /** The caller wrote this intent as `sending` itself, just now, in the commit that created it. */
  freshlyMarked = false,
  /** Called once the order request is handed to the venue (the next one may then be sent). */
  onSending?: () => void,
): Promise<SendOutcome> {
  // The take-profit of an OCO list went out with its stop-loss: it is only ever looked up.
  if (start.params.ocoOf !== undefined) return resolveOcoPart(d, venue, start);
  const marked = freshlyMarked && start.status === 'sending' && start.attempts === 1;
  const lookFirst = !marked && (start.status === 'sending' || start.status === 'unknown');
  // After a restart the last send happened at most at the intent's last update.
  const run = new Placement(d, venue, start, alert, lookFirst ? start.updatedAt : 0, onSending);
  let s: SendState = lookFirst ? { state: 'look-up' } : { state: 'pre-send', marked };
  while (s.state !== 'done') s = await run.next(s);
  return s.outcome;
}

const done = (outcome: SendOutcome): SendState => ({ state: 'done', outcome });

/** One intent's placement: the states' steps, and what they share (the intent as last read, tries, the last send's time). */
class Placement {
  private readonly j: Journal;
  private tries = 0;

  constructor(
    private readonly d: SenderDeps,
    private readonly venue: Venue,
    private intent: Intent,
    private readonly alert: AlertTimes | null,
    private lastSendAt: number,
    private readonly onSending: (() => void) | undefined,
  ) {
    this.j = d.journal();
  }

  next(s: Exclude<SendState, { state: 'done' }>): Promise<SendState> | SendState {
    switch (s.state) {
      case 'look-up':
        return this.lookUp();
      case 'guard-wait':
        return this.guardWait(s.ms);
      case 'pre-send':
        return this.preSend(s.marked);
      case 'marking':
        return this.mark(s.first);
      case 'sending':
        return this.send(s.first);
    }
  }

  private async lookUp(): Promise<SendState> {
    const { d, venue, intent } = this;
    let found: VenueOrder | null;
    try {
      found = await venue.fetchOrderByClientId(intent.symbol, intent.clientOrderId, bookOf(intent));
    } catch (e) {
      if (isDiskError(e)) throw e;
      return this.failed(classifyError(e, venue.id), 'look');
    }
    if (found) return done(await placed(d, venue, intent, found));
    const wait = this.lastSendAt + venue.resendGuardMs - d.now();
    return wait > 0 ? { state: 'guard-wait', ms: wait } : { state: 'pre-send', marked: false };
  }

  /** A late copy of the lost request could still execute: look again once it cannot. */
  private async guardWait(ms: number): Promise<SendState> {
    await sleep(ms + 50, this.d.abort);
    if (this.d.abort.aborted) return done({ kind: 'interrupted', intent: this.intent });
    return { state: 'look-up' };
  }

  private preSend(marked: boolean): SendState {
    const { d, j, alert } = this;
    const stale = alert ? d.stale?.(this.intent.strategy, this.intent.account, alert) : null;
    if (stale) {
      const message = `not sent: ${stale.message}`;
      j.intents.setStatus(this.intent.clientOrderId, 'failed', { code: 'too_old', message }, d.now());
      this.intent = reload(j, this.intent);
      d.reporter.orderFailed(this.intent, message);
      return done({ kind: 'failed', intent: this.intent, message });
    }
    // An intent already written `sending` is sent even during shutdown: that record promises it.
    if (marked) return { state: 'sending', first: true };
    if (d.abort.aborted) return done({ kind: 'interrupted', intent: this.intent });
    return { state: 'marking', first: this.intent.sentAt === null };
  }

  private async mark(first: boolean): Promise<SendState> {
    const { d, j } = this;
    const id = this.intent.clientOrderId;
    // Checked in the same synchronous step as the commit: no `sending` record once shutdown began.
    const go = await j.durable(() => {
      if (d.abort.aborted) return false;
      j.intents.markSending(id, d.now());
      return true;
    });
    if (!go) return done({ kind: 'interrupted', intent: this.intent });
    this.intent = reload(j, this.intent);
    return { state: 'sending', first };
  }

  private async send(first: boolean): Promise<SendState> {
    const { d, venue, intent } = this;
    this.lastSendAt = d.now();
    if (first) d.reporter.orderSent(intent, this.alert?.receivedAt ?? null, performance.timeOrigin + performance.now());
    try {
      const sending = venue.createOrder(this.fenced(requestOf(intent)));
      this.onSending?.();
      const order = await sending;
      return done(await placed(d, venue, intent, order));
    } catch (e) {
      // Our journal failed, not the exchange: the worker runs the alert again once the disk
      // recovers, and finds this order by its clientOrderId then. A lost lease: the next executor does.
      if (isDiskError(e) || isLeaseLost(e)) throw e;
      const err = classifyError(e, venue.id);
      // The exchange already has an open order with this id: that is our order.
      if (err.kind === 'duplicate' && ++this.tries < d.retry.maxAttempts) return { state: 'look-up' };
      return this.failed(err, 'send');
    }
  }

  /**
   * The send fence (several nodes): the request carries the time of the last lease check and the
   * lease time left then, so the exchange refuses it if this process was frozen past the lease
   * between that check and the send. Already past by this node's own clock: not sent at all.
   */
  private fenced(r: VenueOrderRequest): VenueOrderRequest {
    const ex = this.d.executor;
    if (!ex) return r;
    const w = ex.sendWindow?.(this.intent.account) ?? null;
    if (!ex.holds(this.intent.account)) throw new LeaseLostError(`this node no longer holds the executor lease of account ${this.intent.account}; ${this.intent.clientOrderId} not sent`);
    if (!w) return r;
    if (Date.now() - w.at >= w.remainingMs) {
      throw new LeaseLostError(`the executor lease of account ${this.intent.account} ran out before ${this.intent.clientOrderId} was sent; not sent`);
    }
    return { ...r, expiry: { timestamp: w.at, windowMs: w.remainingMs } };
  }

  /** An error of a look-up or a send: rejected for good, left unknown, or tried again after a backoff (by looking up first). */
  private async failed(e: VenueError, mode: 'send' | 'look'): Promise<SendState> {
    const { d, j } = this;
    this.tries++;
    if (e.kind === 'permanent' && mode === 'send') {
      j.intents.setStatus(this.intent.clientOrderId, 'rejected', { code: e.code, message: e.message }, d.now());
      this.intent = reload(j, this.intent);
      d.reporter.orderFailed(this.intent, e.message);
      return done({ kind: 'rejected', intent: this.intent, message: e.message });
    }
    const message =
      e.kind === 'permanent'
        ? `could not check whether the order exists: ${e.message}`
        : mode === 'look'
          ? `could not check the order: ${e.message}`
          : `${e.message}; the order may or may not have been placed`;
    if (mode === 'send' || this.intent.status !== 'unknown') {
      j.intents.setStatus(this.intent.clientOrderId, 'unknown', { code: e.code, message }, d.now());
      this.intent = reload(j, this.intent);
    }
    if (e.kind === 'permanent' || this.tries >= d.retry.maxAttempts || d.abort.aborted) {
      d.reporter.orderUpdated(this.intent);
      return done({ kind: 'unknown', intent: this.intent, message });
    }
    d.reporter.orderRetrying(this.intent, this.tries, message);
    await sleep(backoffDelay(this.tries, d.retry, e.retryAfterMs), d.abort);
    return { state: 'look-up' };
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
  for (const k of ORDER_OPTION_KEYS) {
    const v = i.params[k];
    // A false flag (reduceOnly) is the same as none: the request stays as small as before.
    if (v !== undefined && v !== false) Object.assign(r, { [k]: v });
  }
  return r;
}

function reload(j: Journal, i: Intent): Intent {
  return j.intents.get(i.clientOrderId) ?? i;
}
