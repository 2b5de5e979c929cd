import type { EventBus } from './core/event-bus.js';
import type { Execution } from './execution/execution.js';
import type { AlertSummaryDto } from '../../shared/dto/alerts.js';
import type { RecordResult } from './journal/alerts.js';
import { LogCoalescer } from './core/logging/coalesce.js';
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
 * accepted ones are queued for execution, or, while trading is paused, marked skipped for good
 * (the batch's in one transaction; a run of them is one log line and a count, as risk refusals
 * are: each is in the journal and the UI's events); duplicates and rejections are logged and
 * emitted. Only queues: the answer never waits. `flushLog` writes the open count (at stop).
 */
export function alertDispatcher(d: AlertDispatchDeps): ((results: RecordResult[]) => void) & { flushLog: () => void } {
  const pausedLog = new LogCoalescer((fields, message) => d.logger.warn(fields, message), 10_000, d.now);
  const dispatch = (results: RecordResult[]) => {
    const paused: { a: AlertSummaryDto; ctx: Record<string, unknown>; blocked: string }[] = [];
    for (const r of results) {
      const a = r.alert;
      const ctx = { alertId: a.id, strategy: a.strategy ?? undefined, symbol: a.symbol, source: a.source };
      if (r.outcome === 'accepted') {
        d.logger.info({ ...ctx, action: a.action }, `alert accepted: ${a.action} ${a.symbol}`);
        d.events.emit({ type: 'alert.accepted', alert: a });
        // The kill switch's one rule (KillSwitch.blocks), the same the worker's gate asks: a paused
        // alert is journaled and answered, never executed (not even later on resume).
        const blocked = d.killSwitch.blocks(a.receivedAt);
        if (blocked === null) d.execution.notify(a.id);
        else paused.push({ a, ctx, blocked });
      } else if (r.outcome === 'duplicate') {
        d.logger.info({ ...ctx, firstId: r.firstId }, 'duplicate alert: not executed again');
        d.events.emit({ type: 'alert.duplicate', alert: a });
      } else {
        d.logger.warn({ ...ctx, code: a.reasonCode, status: a.httpStatus }, `alert rejected: ${a.reason}`);
        d.events.emit({ type: 'alert.rejected', alert: a });
      }
    }
    if (paused.length > 0) skipPaused(paused);
  };

  function skipPaused(paused: { a: AlertSummaryDto; ctx: Record<string, unknown>; blocked: string }[]): void {
    try {
      d.journal.transaction(() => {
        for (const p of paused) d.journal.alerts.setStatus(p.a.id, 'skipped', 'paused', p.blocked, d.now());
      });
    } catch (e) {
      // The disk refused it: the alerts stay accepted, and the worker's pause check skips them
      // when it runs (at the latest on the next start).
      d.logger.error({ alertIds: paused.map((p) => p.a.id), err: String(e) }, `could not mark ${paused.length} alert(s) skipped (paused)`);
      return;
    }
    for (const { a, ctx, blocked } of paused) {
      pausedLog.log('paused', ctx, `alert not executed: ${blocked}`);
      const skipped = { ...a, status: 'skipped' as const, reasonCode: 'paused', reason: blocked };
      d.events.emit({ type: 'alert.updated', alert: skipped });
      d.events.emit({ type: 'alert.skipped', alert: skipped, message: blocked });
    }
  }

  return Object.assign(dispatch, { flushLog: () => pausedLog.flush() });
}
