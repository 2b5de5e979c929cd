import type { EventBus } from './core/event-bus.js';
import type { Execution } from './execution/execution.js';
import type { RecordResult } from './journal/alerts.js';
import type { Journal } from './journal/journal.js';
import type { Logger } from './core/logging/logger.js';
import type { KillSwitch } from './risk/kill-switch.js';

export interface AlertDispatchDeps {
  journal: Journal;
  execution: Execution;
  killSwitch: KillSwitch;
  logger: Logger;
  events: EventBus;
  now: () => number;
}

/**
 * What happens to alerts once their batch is durably journaled (the intake's `onRecorded`):
 * accepted ones are queued for execution, or, while trading is paused, marked skipped for good;
 * duplicates and rejections are logged and emitted. Only queues: the answer never waits.
 */
export function alertDispatcher(d: AlertDispatchDeps): (results: RecordResult[]) => void {
  return (results) => {
    for (const r of results) {
      const a = r.alert;
      const ctx = { alertId: a.id, strategy: a.strategy ?? undefined, symbol: a.symbol, source: a.source };
      if (r.outcome === 'accepted') {
        d.logger.info({ ...ctx, action: a.action }, `alert accepted: ${a.action} ${a.symbol}`);
        d.events.emit({ type: 'alert.accepted', alert: a });
        // The kill switch's one rule (KillSwitch.blocks), the same the worker's gate asks: a paused
        // alert is journaled and answered, never executed (not even later on resume).
        const blocked = d.killSwitch.blocks(a.receivedAt);
        if (blocked === null) {
          d.execution.notify(a.id);
          continue;
        }
        try {
          d.journal.alerts.setStatus(a.id, 'skipped', 'paused', blocked, d.now());
        } catch (e) {
          // The disk refused it: the alert stays accepted, and the worker's pause check skips it
          // when it runs (at the latest on the next start). The other alerts of the batch go on.
          d.logger.error({ ...ctx, err: String(e) }, 'could not mark the alert skipped (paused)');
          continue;
        }
        d.logger.warn(ctx, `alert not executed: ${blocked}`);
        const skipped = { ...a, status: 'skipped' as const, reasonCode: 'paused', reason: blocked };
        d.events.emit({ type: 'alert.updated', alert: skipped });
        d.events.emit({ type: 'alert.skipped', alert: skipped, message: blocked });
      } else if (r.outcome === 'duplicate') {
        d.logger.info({ ...ctx, firstId: r.firstId }, 'duplicate alert: not executed again');
        d.events.emit({ type: 'alert.duplicate', alert: a });
      } else {
        d.logger.warn({ ...ctx, code: a.reasonCode, status: a.httpStatus }, `alert rejected: ${a.reason}`);
        d.events.emit({ type: 'alert.rejected', alert: a });
      }
    }
  };
}
