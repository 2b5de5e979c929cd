/**
 * The worker's passes over the journal: take-profit ladders brought up to date after a restart,
 * open orders tracked on the exchange (fills, cancels, expiries), and an alert a bug stopped.
 */
import { isDiskError } from '../core/disk-guard.js';
import { cancelIntent } from './after-order.js';
import { executes, type ExecDeps } from './exec-deps.js';
import { sweepExpired } from './expiry.js';
import type { KeyedQueue } from './keyed-queue.js';
import { followLadder, openLadders } from './ladder.js';
import { heldBack } from './oco-ladder.js';
import { trackOpen } from './order-tracker.js';

/** Take-profit ladders a crash interrupted between steps: a level filled, its stop for the rest not placed or the old stop not cancelled yet. */
export async function followLadders(d: ExecDeps, queue: KeyedQueue): Promise<void> {
  const j = d.journal();
  const v = d.venues;
  const open = v.targets().flatMap((t) => [...j.intents.open(t.mode, t.exchange), ...j.intents.inFlight(t.mode, t.exchange).filter(heldBack)].filter((i) => v.tradesOn(i.account, t.mode, t.exchange) && executes(d, i.account)));
  const runs = openLadders(d, open).map((entry) =>
    queue.run(`${entry.account}|${entry.symbol}`, async () => {
      try {
        const venue = await d.venues.venueFor(entry.account);
        await venue.loadMarkets();
        await trackOpen(d, venue, entry.symbol);
        await followLadder(d, venue, entry, cancelIntent);
      } catch (e) {
        if (isDiskError(e)) throw e;
        d.logger.warn({ alertId: entry.alertId, err: String(e) }, 'checking a take-profit ladder failed; tried again on the next pass');
      }
    }),
  );
  await Promise.all(runs);
}

/** Expires entries past their time and tracks each market's open orders, one pass per market at a time (`busy`). */
export function pollOpenOrders(d: ExecDeps, queue: KeyedQueue, busy: Set<string>): void {
  sweepExpired(d, (key, task) => void queue.run(key, task).catch((e: unknown) => d.logger.warn({ err: String(e) }, 'expiring an entry failed')));
  const v = d.venues;
  // Paper orders fill in the paper venue's own book: nothing to poll.
  const targets = v.targets().filter((t) => t.mode !== 'paper');
  if (targets.length === 0) return;
  const open = targets.flatMap((t) => d.journal().intents.open(t.mode, t.exchange).filter((i) => v.tradesOn(i.account, t.mode, t.exchange) && executes(d, i.account)));
  for (const key of new Set(open.map((i) => `${i.account}|${i.symbol}`))) {
    if (busy.has(key)) continue;
    busy.add(key);
    const [account, symbol] = key.split('|') as [string, string];
    void queue.run(key, async () => {
      try {
        await trackOpen(d, await d.venues.venueFor(account), symbol);
      } finally {
        busy.delete(key);
      }
    });
  }
}

/** A bug must not leave an alert waiting forever: nothing was sent, so it is failed and said why. */
export function failUnplanned(d: ExecDeps, alertId: string, e: unknown): void {
  d.logger.error({ alertId, err: String((e as Error)?.stack ?? e) }, 'executing an alert failed unexpectedly');
  try {
    const j = d.journal();
    const status = j.alerts.get(alertId)?.status;
    if (j.intents.forAlert(alertId).length === 0 && (status === 'accepted' || status === 'executing')) {
      d.reporter.alertOutcome(alertId, 'failed', 'internal_error', `Not executed: an internal error occurred (${(e as Error)?.message ?? e}); see the log.`);
    }
  } catch {
    // The journal is closing (or this node lost the executor lease): the next executor takes the alert again.
  }
}
