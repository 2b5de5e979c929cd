/**
 * Risk controls: the kill switch, limits (configured and in force), circuit breakers.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */

/** The kill switch: while paused, alerts are still received and journaled, never executed. */
export interface TradingStateDto {
  paused: boolean;
  reason: string | null;
  /** When it was last switched (epoch ms), null if never since start. */
  changedAt: number | null;
  /**
   * Set when the state holds in memory but could not be saved ("paused, not saved: disk full"):
   * a restart now would not keep it. Saved by itself once the disk takes writes again.
   */
  notSaved?: string;
}

import type { LimitName, LimitsDto } from './limits.js';

/** The limits' table, their DTO and names: shared/limits.ts. */
export { LIMITS, LIMIT_NAMES, NO_LIMITS, type LimitName, type LimitsDto } from './limits.js';

/** The limits in force for an account (and a strategy's alerts on it), and what they measure now. */
export interface LimitsStateDto {
  account: string;
  strategy: string | null;
  /** Each limit with where it comes from: the strategy's own (measured on its own trades) or the global one (on the account's). */
  limits: { [K in LimitName]: { value: LimitsDto[K]; source: 'strategy' | 'global' } };
  /** Limits are in USD: USD stablecoins count 1:1, other quote currencies are converted at the last price. */
  currency: 'USD';
  usage: {
    /** Orders (entries and exits, not protective ones) created in the last 60 s. */
    ordersLastMinute: number;
    /** Realized P&L net of fees since 00:00 UTC (negative: a loss). */
    realizedToday: number;
    /** Open positions and open entry orders, valued; null when a price is missing. */
    exposure: number | null;
    /** A market's long and short side (hedge mode) are two entries, with `positionSide`. */
    positions: { symbol: string; positionSide?: 'long' | 'short'; qty: number; value: number | null }[];
  };
}

export interface BreakerDto {
  state: 'closed' | 'open' | 'half-open';
  /** Failures counted in the current window. */
  failures: number;
  reason: string | null;
  /** When an open breaker re-arms by itself (epoch ms), null when only by hand. */
  reopensAt: number | null;
}

/**
 * One account's circuit breaker. `open`: trading on the account is halted; `half-open`: re-armed
 * after the cool-down, the next failure opens it again at once, the next order the exchange
 * accepts closes it.
 */
export interface AccountBreakerDto extends BreakerDto {
  account: string;
  /** When it last opened (epoch ms); null if it has not since start. */
  openedAt: number | null;
  /** The last failure counted, in the exchange's words. */
  lastFailure: string | null;
}
