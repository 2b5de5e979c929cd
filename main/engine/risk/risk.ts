/**
 * Risk as the execution worker sees it: the gate every new alert passes first (kill switch,
 * unknown account, circuit breaker, stale alert), the limits on its planned orders, and the
 * execution outcomes that feed each account's circuit breaker. Refusals are journaled on the
 * alert (status skipped / failed, reason code `paused`, `breaker_open`, `risk_*`) and emitted
 * as `risk.rejected` events with the numbers.
 */
import type { AlertSummaryDto, EngineEvent } from '../../../shared/api.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { PreTradeCheck, Refused } from './pre-trade.js';
import type { ExecutionHealth } from './circuit-breaker.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import { LogCoalescer } from '../core/logging/coalesce.js';
import type { Signal } from '../signals/signal.js';
import { accountMode, knownAccounts } from '../venues/venue-provider.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { KillSwitch } from './kill-switch.js';
import { checkAlert, checkEntries, type PlannedEntry, type Refusal } from './limit-check.js';
import { effectiveLimits } from './limits/effective-limits.js';
import type { AlertTimes } from './limits/risk-limit.js';
import { quoteOf } from '../market/money.js';
import { holdings, realizedToday } from './risk-reads.js';
import { loadRates, type Rates } from './valuation.js';

export interface RiskDeps {
  settings: Settings;
  journal: () => Journal;
  killSwitch: KillSwitch;
  breakers: CircuitBreakers;
  now: () => number;
  events: EventBus;
  logger: Logger;
}

export interface Risk extends PreTradeCheck {
  gate(signal: Signal, alert: { receivedAt: number }, account: string): Refused | null;
  /**
   * The alert-age rule alone (limits/max-alert-age.ts), for the checks after the gate: once the
   * venue is loaded, and before an order of the alert is first sent.
   */
  stale(strategy: string, account: string, alert: AlertTimes): Refused | null;
  health: ExecutionHealth;
  /** Logs the counts of refusal runs still open (at stop). */
  flushLog(): void;
}

export function createRisk(d: RiskDeps): Risk {
  const refusals = new LogCoalescer((fields, message) => d.logger.warn(fields, message), 10_000, d.now);
  const stale = (strategy: string, account: string, alert: AlertTimes): Refusal | null =>
    checkAlert({ limits: effectiveLimits(d.settings, strategy), account, mode: accountMode(d.settings, account), strategy }, alert, d.now());
  const gate = (signal: Signal, alert: { receivedAt: number }, account: string): Refusal | null => {
    const paused = d.killSwitch.blocks(alert.receivedAt, { fresh: true });
    if (paused) return { status: 'skipped', code: 'paused', message: paused };
    const known = knownAccounts(d.settings);
    if (!known.includes(account)) {
      return {
        status: 'failed',
        code: 'unknown_account',
        message: `Not executed: the alert names account "${account}", which is not configured (accounts: ${known.join(', ')}). Add it in Settings > Accounts.`,
      };
    }
    const halted = d.breakers.blocks(account);
    if (halted) return { status: 'skipped', code: 'breaker_open', message: halted };
    return stale(signal.strategy, account, { time: signal.time, receivedAt: alert.receivedAt });
  };

  return {
    flushLog: () => refusals.flush(),
    gate,
    stale,
    health: {
      failure: (account, message) => d.breakers.failure(account, message),
      success: (account) => d.breakers.success(account),
    },

    async prepare({ signal, alert, account, venue, market, orders, price }) {
      const entries = orders.filter((o) => o.purpose === 'entry');
      let planned: PlannedEntry[] = [];
      let rates: Rates = new Map();
      if (entries.length > 0) {
        const j = d.journal();
        const ref = entries.some((o) => o.price === null) ? await price() : 0;
        planned = entries.map((o) => ({ side: o.side, positionSide: o.params.positionSide ?? 'net', amount: o.amount, price: o.price ?? ref }));
        const account$ = { account, mode: venue.mode, strategy: null };
        const quotes = [
          market.quote,
          ...holdings(j, account$).map((h) => quoteOf(h.symbol)),
          ...realizedToday(j, account$, d.now()).map((r) => quoteOf(r.symbol)),
        ];
        rates = await loadRates(quotes, j, venue);
      }
      return () => {
        // Paused, or the breaker opened, while this alert was being planned.
        const again = gate(signal, alert, account);
        if (again) return again;
        return checkEntries({
          journal: d.journal(),
          limits: effectiveLimits(d.settings, signal.strategy),
          account,
          mode: venue.mode,
          strategy: signal.strategy,
          market,
          entries: planned,
          now: d.now(),
          rates,
          contractSize: (symbol) => venue.market(symbol)?.contractSize ?? 1,
        });
      };
    },

    refused(alertId, account, r) {
      const refusal = r as Refusal;
      if (!refusal.limit) return;
      const j = d.journal();
      const row = j.alerts.get(alertId);
      if (!row) return;
      const { body: _b, signal: _s, ...alert } = row;
      const event: EngineEvent = {
        type: 'risk.rejected',
        alert: alert as AlertSummaryDto,
        account,
        limit: refusal.limit,
        scope: refusal.scope ?? 'account',
        value: refusal.value ?? '',
        max: refusal.max ?? [],
        message: refusal.message,
      };
      // A run of refusals by the same limit is one line (and a count), not a line per alert.
      refusals.log(`${account}\u0000${refusal.limit}`, { alertId, account, limit: refusal.limit, value: refusal.value, max: refusal.max }, `risk limit: ${refusal.message}`);
      try {
        j.events.append(d.now(), event.type, 'warn', event);
      } catch (e) {
        d.logger.warn({ err: String(e) }, 'could not journal the risk event');
      }
      d.events.emit(event);
    },
  };
}
