import type { AlertDetailDto } from '../../../shared/dto/alerts.js';
import type { Settings } from '../config.js';
import type { Logger } from '../logging/logger.js';
import type { DiskGuard } from '../ops/disk-guard.js';
import type { Venue, VenueMarket } from '../ports.js';
import type { Signal } from '../signals/signal.js';
import type { VenueProvider } from '../venues/venue-provider.js';
import type { SenderDeps } from './order-sender.js';
import type { PlannedOrder } from './planner.js';

/** Why an alert is not executed, before any order: skipped (paused, a risk limit) or failed. */
export interface Refused {
  code: string;
  message: string;
  /** Default `skipped`. */
  status?: 'skipped' | 'failed';
}

/** Risk checks on an alert's planned orders (limits). */
export interface PreTradeCheck {
  /**
   * Gathers what the check needs (prices: async), then returns the decision itself, which the
   * caller runs synchronously right before it writes the intents, so that alerts executing in
   * parallel on one account are each measured against the others' orders.
   */
  prepare(input: {
    signal: Signal;
    alert: AlertDetailDto;
    account: string;
    venue: Venue;
    market: VenueMarket;
    orders: PlannedOrder[];
    price: () => Promise<number>;
  }): Promise<() => Refused | null>;
  /** After the alert was marked not executed (events with the numbers). */
  refused?(alertId: string, account: string, refusal: Refused): void;
}

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
  onVenue?: (ok: boolean, detail?: string) => void;
  /** The data dir's disk: told of failed journal writes; says when writing works again. */
  disk?: DiskGuard;
  /** Why an alert was held up by Pinebridge itself (its journal could not be written), or null. */
  ownDelay?: (alertId: string) => string | null;
}

/** The account an alert trades on: its own, else its strategy's, else the default. */
export function accountFor(signal: Signal, settings: Settings): string {
  if (signal.account) return signal.account;
  const strategies = (settings as { strategies?: { name: string; account: string }[] }).strategies ?? [];
  return strategies.find((s) => s.name === signal.strategy)?.account ?? settings.execution.account;
}
