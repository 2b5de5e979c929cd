import type { AlertDetailDto } from '../../../shared/dto/alerts.js';
import type { Settings } from '../core/config.js';
import type { Logger } from '../core/logging/logger.js';
import type { DiskGuard } from '../core/disk-guard.js';
import type { Signal } from '../signals/signal.js';
import type { VenueProvider } from '../venues/venue-provider.js';
import type { SenderDeps } from './order-sender.js';
import type { Refused, PreTradeCheck } from '../risk/pre-trade.js';

/** What the execution parts share. */
export interface ExecDeps extends SenderDeps {
  settings: Settings;
  venues: VenueProvider;
  logger: Logger;
  /**
   * Checked before anything else for an alert with no orders yet (kill switch, circuit breaker,
   * unknown account, stale alert): a reason not to execute it, or null to go on.
   */
  gate?: (signal: Signal, alert: AlertDetailDto, account: string) => Refused | null;
  /** The limits, on the planned orders. */
  risk?: PreTradeCheck;
  onVenue?: (ok: boolean, detail?: string, account?: string) => void;
  /** The data dir's disk: told of failed journal writes; says when writing works again. */
  disk?: DiskGuard;
  /** Why an alert was held up by Pinebridge itself (its journal could not be written), or null. */
  ownDelay?: (alertId: string) => string | null;
  /**
   * Several nodes on one journal: whether this node holds the executor lease of an account (of
   * any, without one) now. Without it the worker sends nothing for that account, recovers none of
   * its orders and leaves its alerts to the node that holds it. `sendWindow`: the send fence.
   */
  executor?: { holds(account?: string): boolean; sendWindow?(account: string): { at: number; remainingMs: number } | null };
}

/** Whether this node executes `account`: always on one node; with several, while it holds that account's lease. */
export function executes(d: Pick<ExecDeps, 'executor'>, account: string): boolean {
  return !d.executor || d.executor.holds(account);
}

/** Every account the settings name: the default, the configured aliases, and the strategies' own. */
export function configuredAccounts(settings: Settings): string[] {
  const strategies = (settings as { strategies?: { account: string }[] }).strategies ?? [];
  const accounts = (settings as { accounts?: { name: string }[] }).accounts ?? [];
  return [...new Set([settings.execution.account, ...accounts.map((a) => a.name), ...strategies.map((s) => s.account)])].sort();
}

/** The account an alert trades on: its own, else its strategy's, else the default. */
export function accountFor(signal: Signal, settings: Settings): string {
  if (signal.account) return signal.account;
  const strategies = (settings as { strategies?: { name: string; account: string }[] }).strategies ?? [];
  return strategies.find((s) => s.name === signal.strategy)?.account ?? settings.execution.account;
}
