/**
 * Every execution outcome goes three ways: the journal's events table (kept), the engine's event
 * stream (UI, tray, notifications) and the log, each with a message a trader understands.
 */
import type { EngineEvent } from '../../../shared/api.js';
import type { AlertStatus, AlertSummaryDto } from '../../../shared/dto/alerts.js';
import type { OrderFillDto } from '../../../shared/dto/orders.js';
import type { PositionDto, PositionParityDto } from '../../../shared/dto/positions.js';
import { perpFields } from '../../../shared/dto/positions.js';
import type { EventBus } from '../core/event-bus.js';
import type { Intent } from '../journal/intents.js';
import type { Journal } from '../journal/journal.js';
import type { PositionKey } from '../journal/positions.js';
import type { Logger } from '../core/logging/logger.js';
import { LogCoalescer } from '../core/logging/coalesce.js';
import type { LedgerPosition } from '../ledger/ledger.js';
import type { ExecutionHealth } from '../risk/circuit-breaker.js';
import { toOrderDto } from '../journal/order-dto.js';
import { countsForBreaker } from '../risk/breaker-rule.js';

export class Reporter {
  constructor(
    private readonly journal: () => Journal,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly now: () => number,
    /** Observes each signal-to-order time (alert received -> order request sent), ms. */
    private readonly onSignalToOrder?: (ms: number) => void,
    /** The circuit breaker's inputs: orders the exchange refused or left unanswered, and accepted. */
    private readonly health?: ExecutionHealth,
  ) {}

  /** The exchange answered with the order (placed now, or found by its clientOrderId). */
  orderPlaced(i: Intent): void {
    this.health?.success(i.account);
  }

  /**
   * The exchange could not be asked or refused before any order (markets, prices, balances, keys).
   * Counts towards the breaker unless `code` is the alert's or the setup's (see breaker-rule.ts).
   */
  venueFailed(account: string, message: string, code: string | null = null): void {
    if (countsForBreaker(code)) this.health?.failure(account, message);
  }

  orderSent(i: Intent, alertReceivedAt: number | null, sentAtPrecise: number): void {
    const ms = alertReceivedAt === null ? null : Math.max(0, sentAtPrecise - alertReceivedAt);
    if (ms !== null) this.onSignalToOrder?.(ms);
    this.logger.info(ctx(i, { signalToOrderMs: ms === null ? undefined : Number(ms.toFixed(2)) }), `sending ${describe(i)}`);
    this.emit({ type: 'order.sent', order: toOrderDto(i), signalToOrderMs: ms }, 'info', false);
  }

  orderRetrying(i: Intent, attempt: number, message: string): void {
    this.logger.warn(ctx(i, { attempt }), `${describe(i)}: ${message}; checking the order and trying again`);
    this.emit({ type: 'order.retrying', order: toOrderDto(i), attempt, message }, 'warn');
  }

  orderUpdated(i: Intent): void {
    const level = i.status === 'unknown' ? 'warn' : 'info';
    // Still unknown after every try (the exchange did not answer), or reported rejected.
    if (i.status === 'unknown' || (i.status === 'rejected' && countsForBreaker(i.errorCode))) this.health?.failure(i.account, `${describe(i, false)}: ${i.errorMessage ?? 'no answer'}`);
    this.logger[level](ctx(i, { status: i.status }), `${describe(i)}: ${i.status}${i.errorMessage ? ` (${i.errorMessage})` : ''}`);
    if (i.status === 'cancelled') this.emit({ type: 'order.cancelled', order: toOrderDto(i) }, 'info');
    else this.emit({ type: 'order.updated', order: toOrderDto(i) }, level);
  }

  orderFilled(i: Intent, fill: OrderFillDto): void {
    const fee = fill.fee ? `, fee ${round(fill.fee)} ${fill.feeCurrency ?? ''}` : '';
    this.logger.info(ctx(i, { ...fill }), `filled: ${i.side} ${round(fill.amount)} ${i.symbol} at ${round(fill.price)}${fee}`);
    this.emit({ type: 'order.filled', order: toOrderDto(i), fill }, 'info');
  }

  orderFailed(i: Intent, message: string): void {
    // A refusal of this order or of the setup (funds, filters, symbol; an alert too old to send) is not the exchange's failure.
    if (countsForBreaker(i.errorCode)) this.health?.failure(i.account, `${describe(i, false)}: ${message}`);
    this.logger.error(ctx(i, { code: i.errorCode }), `${describe(i)} failed: ${message}`);
    this.emit({ type: 'order.failed', order: toOrderDto(i), message }, 'error');
  }

  position(k: PositionKey, p: LedgerPosition, markPrice: number | null): void {
    const { side, ...where } = k;
    const position: PositionDto = {
      ...where,
      ...(side === 'long' || side === 'short' ? { positionSide: side } : {}),
      qty: p.qty,
      avgEntry: p.avgEntry,
      realizedPnl: p.realizedPnl,
      fees: p.fees,
      markPrice,
      unrealizedPnl: p.qty === 0 ? 0 : markPrice === null ? null : (markPrice - p.avgEntry) * p.qty,
      ...perpFields(k.mode === 'paper' && p.qty !== 0 ? this.journal().paper.perpPosition(k.account, k.symbol, side) : null),
      updatedAt: this.now(),
    };
    this.emit({ type: 'position.updated', position }, 'info', false);
  }

  /** A position parity result: journaled at once (the UI's badge reads it back), emitted, logged. */
  parity(p: PositionParityDto): void {
    const level = p.ok ? 'info' : 'warn';
    this.logger[level]({ alertId: p.alertId, strategy: p.strategy, symbol: p.symbol, tradingView: p.tradingView, ledger: p.ledger }, `position parity: ${p.message}`);
    const event: EngineEvent = { type: 'position.parity', parity: p };
    try {
      this.journal().events.append(p.at, event.type, level, event);
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'could not journal the parity event');
    }
    this.events.emit(event);
  }

  /** Sets the alert's status and says why. */
  alertOutcome(alertId: string, status: AlertStatus, code: string | null, message: string): void {
    const j = this.journal();
    j.asExecutor({ alertId }, () => j.alerts.setStatus(alertId, status, code, message, this.now()));
    const row = j.alerts.get(alertId);
    if (!row) return;
    const { body: _b, signal: _s, ...alert } = row;
    const summary = alert as AlertSummaryDto;
    const log = { alertId, strategy: summary.strategy ?? undefined, symbol: summary.symbol, code: code ?? undefined };
    this.events.emit({ type: 'alert.updated', alert: summary });
    if (status === 'executed') {
      this.logger.info(log, `alert executed: ${message}`);
      this.emit({ type: 'alert.executed', alert: summary, message }, 'info');
    } else if (status === 'failed') {
      // A run of failures with the same code (a limit under load: hundreds a second) is one line and a count.
      this.failures.log(code ?? '', log, `alert not executed: ${message}`);
      this.emit({ type: 'alert.failed', alert: summary, message }, 'error');
    } else if (status === 'skipped') {
      this.logger.info(log, `alert skipped: ${message}`);
      this.emit({ type: 'alert.skipped', alert: summary, message }, 'info');
    }
  }

  private pending: { ts: number; type: string; level: string; data: unknown }[] = [];
  private readonly failures = new LogCoalescer((fields, message) => this.logger.error(fields, message), 10_000, () => this.now());

  /** Logs the counts of failure runs still open (at stop). */
  flushLog(): void {
    this.failures.flush();
  }

  /** Journals (unless told not to) and emits. */
  private emit(e: EngineEvent, level: string, keep = true): void {
    if (keep) {
      // One commit per event-loop turn for all of them: the order's own state is already durable
      // in order_intents; these rows are its history for the UI.
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ ts: this.now(), type: e.type, level, data: e });
    }
    this.events.emit(e);
  }

  /** Writes the journaled events still waiting (also called on stop, before the journal closes). */
  flush(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    try {
      const j = this.journal();
      j.transaction(() => {
        for (const r of rows) j.events.append(r.ts, r.type, r.level, r.data);
      });
    } catch (err) {
      this.logger.warn({ err: String(err), events: rows.length }, 'could not journal execution events');
    }
  }
}

/**
 * `market buy 0.01 BTC/USDT`, `stop-loss sell 0.01 BTC/USDT at 64000`, `stop buy 0.01 BTC/USDT at 66000` (an entry).
 * Log lines end with the clientOrderId (`[pb…]`, to find the order at the exchange); an alert's reason, which a person reads, does not.
 */
export function describe(i: Intent, withId = true): string {
  const stopEntry = i.type === 'stop_loss' && (i.purpose === 'entry' || i.purpose === 'exit');
  const kind = i.type === 'market' || i.type === 'limit' ? i.type : stopEntry ? 'stop' : i.type.replace('_', '-');
  const at = i.price ?? i.triggerPrice;
  const trigger = i.type === 'stop_limit' && i.triggerPrice !== null ? ` (trigger ${round(i.triggerPrice)})` : '';
  const trail = i.params.trailingPercent !== undefined ? ` trailing ${i.params.trailingPercent}%` : '';
  const tif = i.params.timeInForce !== undefined ? ` ${i.params.timeInForce}` : '';
  return `${kind} ${i.side} ${round(i.amount)} ${i.symbol}${at !== null ? ` at ${round(at)}` : ''}${trigger}${trail}${tif}${withId ? ` [${i.clientOrderId}]` : ''}`;
}

function ctx(i: Intent, extra: Record<string, unknown>): Record<string, unknown> {
  return { alertId: i.alertId, strategy: i.strategy, clientOrderId: i.clientOrderId, ...extra };
}

function round(n: number): string {
  return String(Number(n.toPrecision(10)));
}
