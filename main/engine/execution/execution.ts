/**
 * The execution part as the engine composes it: venues for the configured mode, the worker,
 * and what the API asks of them.
 */
import type { AlertDetailDto } from '../../../shared/dto/alerts.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import type { DiskGuard } from '../core/disk-guard.js';
import type { SecretStore, VenueBalances } from '../core/ports.js';
import type { Signal } from '../signals/signal.js';
import { VenueProvider } from '../venues/venue-provider.js';
import { withRetry } from './alert-processor.js';
import type { ExecDeps } from './exec-deps.js';
import type { PreTradeCheck, Refused } from '../risk/pre-trade.js';
import { Reporter } from './reporter.js';
import { type ExecutionHealth } from '../risk/circuit-breaker.js';
import { ExecutionWorker } from './worker.js';

export interface ExecutionDeps {
  journal: () => Journal;
  settings: Settings;
  secrets: SecretStore;
  events: EventBus;
  logger: Logger;
  addSecret: (value: string) => void;
  now: () => number;
  /** Kill switch, circuit breaker, unknown account, stale alert: checked first for every new alert. */
  gate?: (signal: Signal, alert: AlertDetailDto, account: string) => Refused | null;
  /** The risk limits on each alert's planned orders. */
  risk?: PreTradeCheck;
  /** The alert-age rule, asked again before planning and before each first send. */
  stale?: ExecDeps['stale'];
  /** Execution failures and successes per account (the circuit breaker). */
  health?: ExecutionHealth;
  /** Histogram hook: each signal-to-order time (alert received -> order request sent), ms. */
  onSignalToOrder?: (ms: number) => void;
  /** Whether the venue answers (markets loaded), for readiness. */
  onVenue?: (ok: boolean, detail?: string, account?: string) => void;
  /** The data dir's disk: alerts whose journal writes fail wait for it and resume by themselves. */
  disk?: DiskGuard;
  /** Several nodes on one journal: whether this node holds the executor lease (ExecDeps.executor). */
  executor?: ExecDeps['executor'];
}

export interface Execution {
  /** Recovers orders left in flight, then takes pending and new alerts. */
  start(): Promise<void>;
  /** An alert was accepted (called from intake's commit: must stay cheap). */
  notify(alertId: string): void;
  /** This node has just taken the executor lease: recover what the last executor left in flight, then take the pending alerts. */
  takeOver(accounts?: string[]): void;
  /** Resolves when no alert is queued or executing. */
  idle(): Promise<void>;
  stop(): Promise<void>;
  /** One venue per account alias for the current mode (reconciliation reads balances through it). */
  readonly venues: VenueProvider;
  /** The account's balances on the current venue. */
  balances(account?: string): Promise<{ account: string; mode: Settings['mode']; exchange: string; balances: VenueBalances }>;
}

export function createExecution(deps: ExecutionDeps): Execution {
  const s = deps.settings;
  const abort = new AbortController();
  const venues = new VenueProvider({
    settings: s,
    secrets: deps.secrets,
    journal: deps.journal,
    addSecret: deps.addSecret,
    now: deps.now,
    warn: (m) => deps.logger.warn(m),
  });
  const d: ExecDeps = {
    onVenue: deps.onVenue,
    disk: deps.disk,
    journal: deps.journal,
    reporter: new Reporter(deps.journal, deps.events, deps.logger, deps.now, deps.onSignalToOrder, deps.health),
    now: deps.now,
    retry: { maxAttempts: s.execution.maxAttempts, backoffMs: s.execution.backoffMs, maxBackoffMs: s.execution.maxBackoffMs },
    stale: deps.stale,
    abort: abort.signal,
    settings: s,
    venues,
    logger: deps.logger,
    gate: deps.gate,
    risk: deps.risk,
    executor: deps.executor,
  };
  const worker = new ExecutionWorker(d, abort);
  return {
    async start() {
      // Warm the default account's venue (ccxt loads here, in live/testnet only) while recovering.
      const warm = venues
        .venueFor(s.execution.account)
        .then((v) => v.loadMarkets())
        .then(() => deps.onVenue?.(true))
        .catch((e: unknown) => deps.onVenue?.(false, (e as Error).message));
      await worker.start();
      await warm;
    },
    venues,
    notify: (id) => worker.notify(id),
    takeOver: (accounts) => worker.takeOver(accounts),
    idle: () => worker.idle(),
    async stop() {
      await worker.stop(s.execution.stopGraceMs);
      d.reporter.flush();
      d.reporter.flushLog();
    },
    async balances(account = s.execution.account) {
      const venue = await venues.venueFor(account);
      return { account, mode: venue.mode, exchange: venue.id, balances: await withRetry(d, () => venue.fetchBalance()) };
    },
  };
}
