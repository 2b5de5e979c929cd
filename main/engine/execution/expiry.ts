/**
 * `expire_after` (issue 16): an entry that has not filled within that many seconds of its alert
 * is cancelled, so its stop-loss / take-profit are never placed (they wait for a fill). The
 * deadline is written with the order's intent (`params.expiresAt`), so it holds across a
 * restart: the worker's poll finds every open entry past it, paper and live alike. An entry
 * that filled in part keeps that part (and its protective orders for it); the rest is cancelled.
 */
import type { Intent } from '../journal/intents.js';
import type { PlannedOrder } from '../journal/planned-order.js';
import type { Signal } from '../signals/signal.js';
import type { Venue } from '../core/ports.js';
import { cancelIntent } from './after-order.js';
import { executes, type ExecDeps } from './exec-deps.js';

/** The planned order's params with its deadline, for a resting entry of an alert with `expire_after`. */
export function withExpiry(o: PlannedOrder, signal: Signal, alertReceivedAt: number): PlannedOrder['params'] {
  if (signal.expireAfterSec === undefined || o.purpose !== 'entry' || o.type === 'market') return o.params;
  return { ...o.params, expiresAt: alertReceivedAt + signal.expireAfterSec * 1000 };
}

/** Open entries whose deadline has passed. */
export function dueEntries(open: readonly Intent[], now: number): Intent[] {
  return open.filter((i) => i.purpose === 'entry' && i.params.expiresAt !== undefined && i.params.expiresAt <= now);
}

/** Cancels one expired entry; what filled before stays. False when the exchange could not be asked (next poll tries again). */
export async function expireEntry(d: ExecDeps, venue: Venue, due: Intent): Promise<boolean> {
  const j = d.journal();
  // Queued behind the market's alerts: it may have filled, or been cancelled, meanwhile.
  const i = j.intents.get(due.clientOrderId);
  if (!i || i.status !== 'open') return true;
  if (!(await cancelIntent(d, venue, i))) return false;
  const after = j.intents.get(i.clientOrderId);
  if (after && after.status === 'cancelled') {
    const secs = Math.round(((i.params.expiresAt as number) - i.createdAt) / 1000);
    const message = `not filled within expire_after (${secs} s): cancelled${after.filled > 0 ? ` after ${after.filled} filled` : ', no stop-loss or take-profit placed'}`;
    j.intents.setStatus(i.clientOrderId, 'expired', { code: 'expire_after', message }, d.now());
    d.reporter.orderUpdated(j.intents.get(i.clientOrderId) ?? after);
  }
  return true;
}

/**
 * Every open entry past its deadline, paper and live, each run on its market's queue (`run`,
 * keyed `account|symbol` like the market's alerts) so a cancel never races an alert's orders.
 */
export function sweepExpired(d: ExecDeps, run: (key: string, task: () => Promise<void>) => void): void {
  const v = d.venues;
  const now = d.now();
  for (const t of v.targets()) {
    for (const i of dueEntries(d.journal().intents.open(t.mode, t.exchange), now)) {
      if (!v.tradesOn(i.account, t.mode, t.exchange) || !executes(d, i.account)) continue;
      run(`${i.account}|${i.symbol}`, async () => {
        await expireEntry(d, await v.venueFor(i.account), i);
      });
    }
  }
}
