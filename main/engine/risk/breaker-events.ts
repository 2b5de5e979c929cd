import type { EngineEvent } from '../../../shared/api.js';
import type { EventBus } from '../core/event-bus.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import type { BreakerDeps } from './circuit-breaker.js';

export interface BreakerEventDeps {
  journal: () => Journal | null;
  logger: Logger;
  events: EventBus;
  now: () => number;
  /** Before anything else: the metrics gauge follows the state. */
  onState?: (account: string, state: 'closed' | 'open' | 'half-open') => void;
  /** A status event follows each breaker event (the tray and dashboard show the breaker). */
  status: () => EngineEvent & { type: 'status' };
}

/**
 * The circuit breakers' `onChange`: every open, re-arm and close is logged with its reason,
 * journaled as a `breaker` event, and emitted (the desktop turns an open one into a notification).
 */
export function breakerEvents(d: BreakerEventDeps): NonNullable<BreakerDeps['onChange']> {
  return (b, cause) => {
    d.onState?.(b.account, b.state);
    const msg =
      b.state === 'open'
        ? `circuit breaker of account ${b.account} open: trading halted (${b.reason})`
        : b.state === 'half-open'
          ? `circuit breaker of account ${b.account} re-armed (half-open) after the cool-down`
          : `circuit breaker of account ${b.account} closed (${cause === 'by-hand' ? 'reset by hand' : 'an order went through'})`;
    if (b.state === 'open') d.logger.error({ account: b.account, reason: b.reason, reopensAt: b.reopensAt }, msg);
    else d.logger.warn({ account: b.account }, msg);
    const event: EngineEvent = { type: 'breaker', account: b.account, breaker: b };
    try {
      const journal = d.journal();
      if (journal?.isOpen) journal.events.append(d.now(), 'breaker', b.state === 'open' ? 'error' : 'warn', event);
    } catch {
      // The journal is closing: the log line above stays.
    }
    d.events.emit(event);
    d.events.emit(d.status());
  };
}
