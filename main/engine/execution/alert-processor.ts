/**
 * One alert, start to finish, re-entrant: an alert that already has intents is never planned
 * again (its intents are resolved and sent exactly once), so running this again after a crash or
 * a lost answer finishes the job instead of repeating it.
 */
import type { AlertDetailDto } from '../../../shared/dto/alerts.js';
import { IN_FLIGHT, type Intent, type NewIntent } from '../journal/intents.js';
import type { Journal } from '../journal/journal.js';
import type { Venue, VenueBalances } from '../core/ports.js';
import type { Signal } from '../signals/signal.js';
import { classifyError } from '../venues/venue-error.js';
import { afterOrder, cancelIntent, ensureProtective } from './after-order.js';
import { backoffDelay, sleep } from './backoff.js';
import { clientOrderId } from './client-order-id.js';
import { defaultSizeFor } from './default-size.js';
import { accountFor, type ExecDeps } from './exec-deps.js';
import { type Refused } from '../risk/pre-trade.js';
import { sendIntent } from './order-sender.js';
import { withExpiry } from './expiry.js';
import { applyMargin } from './margin.js';
import { checkParity } from './parity.js';
import { trackOpen } from './order-tracker.js';
import { planSignal } from './planner.js';
import { PROTECTIVE } from './protective.js';
import { describe } from './reporter.js';
import { mapSymbol } from '../market/symbols.js';

/**
 * `read`: the alert as the dispatcher read it just before (its status is re-checked only if absent).
 * `onSent`: called once its first order request is handed to the venue (pipelining).
 */
export async function processAlert(d: ExecDeps, alertId: string, read?: AlertDetailDto, onSent?: () => void): Promise<void> {
  const j = d.journal();
  const alert = read ? { ...read, status: currentStatus(j, alertId) ?? read.status } : j.alerts.get(alertId);
  if (!alert || (alert.status !== 'accepted' && alert.status !== 'executing')) return;
  // Shutting down: the alert stays as it is on disk and the next start takes it.
  if (d.abort.aborted) return;
  const signal = alert.signal as Signal;
  let intents = j.intents.forAlert(alertId);
  const account = accountFor(signal, d.settings);
  if (intents.length === 0) {
    // Before the venue is even loaded: paused, the account's breaker open, a stale alert.
    const gated = d.gate?.(signal, alert, account);
    if (gated) return refuse(d, alert.id, account, gated);
  }
  let venue: Venue;
  try {
    venue = await d.venues.venueFor(account);
    await withRetry(d, () => venue.loadMarkets());
    d.onVenue?.(true, undefined, account);
  } catch (e) {
    const err = classifyError(e, d.venues.exchangeFor(account));
    if (err.kind === 'transient') d.onVenue?.(false, err.message, account);
    d.reporter.venueFailed(account, err.message, err.code);
    if (intents.length > 0) return void d.logger.warn({ alertId }, `cannot reach the venue to finish alert: ${err.message}`);
    return void d.reporter.alertOutcome(alertId, 'failed', err.code, `Not executed: ${err.message}`);
  }
  let notes: string[] = [];
  let fresh = false;
  if (intents.length === 0) {
    const planned = await planAndWrite(d, venue, alert, signal);
    // Skipped or refused: TradingView's position may still differ from the ledger.
    if (!planned) return checkParity(d, venue, alertId, signal);
    ({ intents, notes, fresh } = planned);
  }
  for (const [n, i] of intents.filter((x) => !PROTECTIVE.includes(x.purpose)).entries()) {
    if (IN_FLIGHT.includes(i.status)) {
      const out = await sendIntent(d, venue, i, { time: signal.time, receivedAt: alert.receivedAt }, fresh && n === 0, n === 0 ? onSent : undefined);
      if (out.kind === 'interrupted') return;
      if (out.kind === 'placed') await afterOrder(d, venue, out.recorded);
    } else {
      await ensureProtective(d, venue, i);
    }
  }
  finish(d, alert, j.intents.forAlert(alertId), notes);
  checkParity(d, venue, alertId, signal);
}

const statusStmts = new WeakMap<object, { get(id: string): unknown }>();

/** Just the status (the dispatcher's copy of the alert may be older than this task). */
function currentStatus(j: Journal, id: string): AlertDetailDto['status'] | null {
  let stmt = statusStmts.get(j.db);
  if (!stmt) {
    stmt = j.db.prepare(`SELECT status FROM alerts WHERE id = ?`);
    statusStmts.set(j.db, stmt);
  }
  return ((stmt.get(id) as { status: AlertDetailDto['status'] } | undefined)?.status ?? null);
}

async function planAndWrite(
  d: ExecDeps,
  venue: Venue,
  alert: AlertDetailDto,
  signal: Signal,
): Promise<{ intents: Intent[]; notes: string[]; fresh: boolean } | null> {
  const j = d.journal();
  const outcome = (status: 'failed' | 'skipped' | 'executed', code: string | null, message: string) => {
    d.reporter.alertOutcome(alert.id, status, code, message);
    return null;
  };
  // The gate's age rule again: loading the venue may have taken a while.
  const stale = d.stale?.(signal.strategy, venue.account, { time: signal.time, receivedAt: alert.receivedAt });
  if (stale) {
    const own = d.ownDelay?.(alert.id);
    return outcome('skipped', own ? 'delayed_by_pinebridge' : stale.code, own ? `${stale.message}: ${own}.` : stale.message);
  }
  const mapped = mapSymbol(signal.symbol, venue);
  if (!mapped.ok) return outcome('failed', 'unknown_symbol', mapped.message);
  const m = mapped.market;
  // A limit order's price is its limit, not the market's: only other alerts' prices are market prices.
  if (signal.price !== undefined && signal.orderType !== 'limit' && signal.orderType !== 'stop_limit' && venue.observePrice) {
    if (venue.observePrice(m.symbol, signal.price, alert.receivedAt)) await trackOpen(d, venue, m.symbol);
  }
  // Before the plan, the limits and the intents: a refusal here leaves nothing to send or recover.
  let hedge = false;
  if (m.contract && venue.positionMode) {
    let mode;
    try {
      mode = await withRetry(d, () => (venue.positionMode as (s: string) => Promise<'oneway' | 'hedge' | null>)(m.symbol));
    } catch (e) {
      const err = classifyError(e, venue.id);
      return outcome('failed', err.code, `Not executed: could not read the account's position mode: ${err.message}`);
    }
    // Where orders cannot name their position side, hedge mode refuses them all (Binance -4061): say so before any.
    if (mode === 'hedge' && !venue.has.hedgeMode) return outcome('failed', 'hedge_mode_unsupported', hedgeRefusal(venue.id));
    hedge = mode === 'hedge';
  }
  const account = venue.account;
  let balances: Promise<VenueBalances> | null = null;
  let price: Promise<number> | null = null;
  const refPrice = () => (price ??= signal.price !== undefined ? Promise.resolve(signal.price) : withRetry(d, () => venue.lastPrice(m.symbol)));
  let plan;
  try {
    plan = await planSignal({
      signal,
      market: m,
      venue,
      position: j.positions.get({ account, mode: venue.mode, strategy: signal.strategy, symbol: m.symbol }),
      openOrders: j.intents.openFor(account, venue.mode, signal.strategy, m.symbol),
      price: refPrice,
      balances: () => (balances ??= withRetry(d, () => venue.fetchBalance())),
      bufferPct: d.settings.execution.balanceBufferPct,
      defaultQuantity: defaultSizeFor(d.settings, signal.strategy),
      parity: d.settings.execution.parity,
      hedge,
    });
  } catch (e) {
    const err = classifyError(e, venue.id);
    d.reporter.venueFailed(account, err.message, err.code);
    return outcome('failed', err.code, `Not executed: ${err.message}`);
  }
  if (plan.kind === 'skip') return outcome('skipped', plan.code, plan.message);
  if (plan.kind === 'reject') return outcome('failed', plan.code, plan.message);
  if (plan.kind === 'cancel') {
    let done = 0;
    for (const o of plan.cancels) if (await cancelIntent(d, venue, o)) done++;
    const failed = plan.cancels.length - done;
    if (done === 0) return outcome('failed', 'cancel_failed', `Could not cancel the strategy's ${plan.cancels.length} open order(s); see the log.`);
    return outcome('executed', null, `Cancelled ${done} open order(s) on ${m.symbol}${failed ? `; ${failed} could not be cancelled` : ''}.`);
  }
  const margin = await applyMargin(venue, m, signal, d.settings, plan.orders, (fn) => withRetry(d, fn));
  if (!margin.ok) return outcome('failed', margin.code, margin.message);
  if (margin.note) plan.notes.push(margin.note);
  if (d.risk) {
    let decide: () => Refused | null;
    try {
      decide = await d.risk.prepare({ signal, alert, account, venue, market: m, orders: plan.orders, price: refPrice });
    } catch (e) {
      const err = classifyError(e, venue.id);
      return outcome('failed', err.code, `Not executed: ${err.message}`);
    }
    // Decided here, with nothing awaited between it and the intents' commit (entries have no cancels).
    const refused = decide();
    if (refused) {
      refuse(d, alert.id, account, refused);
      return null;
    }
  }
  // Exits first free the coins the strategy's protective orders hold.
  for (const o of plan.cancels) await cancelIntent(d, venue, o);
  const now = d.now();
  const fresh: NewIntent[] = plan.orders.map((o) => ({
    clientOrderId: clientOrderId(alert.id, o.leg, d.venues.exchangeFor(account)),
    alertId: alert.id,
    leg: o.leg,
    account,
    mode: venue.mode,
    exchange: d.venues.exchangeFor(account),
    strategy: signal.strategy,
    symbol: m.symbol,
    side: o.side,
    type: o.type,
    amount: o.amount,
    price: o.price,
    triggerPrice: o.triggerPrice ?? null,
    params: withExpiry(o, signal, alert.receivedAt),
    purpose: o.purpose,
    createdAt: now,
  }));
  // Written before anything is sent: from here on, the clientOrderIds are what a restart asks about.
  // The first order is recorded as being sent in the same commit: one fsync between alert and order.
  // That record means "sent now": once shutdown has begun nothing is written, the alert stays
  // accepted for the next start; a commit made before it is sent whatever happens meanwhile.
  const written = await j.durable(() => {
    if (d.abort.aborted) return false;
    j.intents.insert(fresh, now);
    j.asExecutor({ alertId: alert.id }, () => j.alerts.setStatus(alert.id, 'executing', null, plan.notes.length ? plan.notes.join('; ') : null, now));
    return true;
  });
  if (!written) return null;
  return { intents: j.intents.forAlert(alert.id), notes: plan.notes, fresh: true };
}

function hedgeRefusal(exchange: string): string {
  return `Not executed: the ${exchange} account is in hedge mode (a long and a short position per market), and Pinebridge places hedge-mode orders on Binance USDⓈ-M and Bybit only; switch the ${exchange} account to one-way mode and send the alert again.`;
}

/** Not executed before any order (kill switch, breaker, a risk limit): the alert says why. */
function refuse(d: ExecDeps, alertId: string, account: string, r: Refused): void {
  // Whatever refused it (a stale alert, a pause it waited through), a wait caused by Pinebridge is said.
  const own = d.ownDelay?.(alertId);
  if (own) r = { ...r, message: `${r.message}; ${own}` };
  d.reporter.alertOutcome(alertId, r.status ?? 'skipped', r.code, r.message);
  d.risk?.refused?.(alertId, account, r);
}

/** The alert's status from its orders: executed, failed, or still executing while an outcome is unknown. */
function finish(d: ExecDeps, alert: AlertDetailDto, intents: Intent[], notes: string[]): void {
  const main = intents.filter((i) => !PROTECTIVE.includes(i.purpose));
  const unknown = main.find((i) => IN_FLIGHT.includes(i.status));
  if (unknown) {
    const message = `The outcome of ${describe(unknown, false)} is not known yet (${unknown.errorMessage ?? 'no answer'}); Pinebridge keeps checking the exchange.`;
    d.reporter.alertOutcome(alert.id, 'executing', 'order_unknown', message);
    return;
  }
  const refused = main.filter((i) => i.status === 'rejected' || i.status === 'failed');
  const ok = main.filter((i) => !refused.includes(i));
  const protective = intents.filter((i) => PROTECTIVE.includes(i.purpose) && (i.status === 'rejected' || i.status === 'failed'));
  const parts = ok.map(summary);
  if (refused.length) parts.push(...refused.map((i) => `${describe(i, false)} refused: ${i.errorMessage ?? i.errorCode}`));
  if (protective.length) parts.push(...protective.map((i) => `${describe(i, false)} not placed: ${i.errorMessage ?? i.errorCode}`));
  parts.push(...notes);
  if (ok.length === 0) {
    d.reporter.alertOutcome(alert.id, 'failed', refused[0]?.errorCode ?? 'rejected', `Not executed: ${parts.join('; ')}`);
  } else {
    d.reporter.alertOutcome(alert.id, 'executed', null, parts.join('; '));
  }
}

function summary(i: Intent): string {
  const verb = i.side === 'buy' ? 'bought' : 'sold';
  if (i.status === 'filled') return `${verb} ${round(i.filled)} ${i.symbol} at ${round(i.average ?? 0)}`;
  if (i.status === 'open') return `${describe(i, false)} placed${i.filled > 0 ? ` (${round(i.filled)} filled)` : ''}`;
  return `${describe(i, false)}: ${i.status}${i.filled > 0 ? ` after ${round(i.filled)} filled` : ''}`;
}

function round(n: number): string {
  return String(Number(n.toPrecision(10)));
}

/** Read-only calls (markets, price, balance) retried on transient errors; nothing is at stake. */
export async function withRetry<T>(d: ExecDeps, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = classifyError(e, d.venues.exchangeId);
      if (err.kind !== 'transient' || attempt >= d.retry.maxAttempts || d.abort.aborted) throw err;
      await sleep(backoffDelay(attempt, d.retry, err.retryAfterMs), d.abort);
    }
  }
}
