/** The port execution calls before it writes an alert's intents: the risk limits' decision. */
import type { AlertDetailDto } from '../../../shared/dto/alerts.js';
import type { Venue, VenueMarket } from '../core/ports.js';
import type { PlannedOrder } from '../journal/planned-order.js';
import type { Signal } from '../signals/signal.js';

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
