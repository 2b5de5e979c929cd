/**
 * Where the kill switch and the circuit breakers keep their state: `<data-dir>/risk-state.json`
 * (RiskStateFile) on one node; the shared PostgreSQL table for several nodes (cluster/pg-risk-store.ts).
 */
import { z } from 'zod';

/** The kill switch's saved state. */
export const persistedTradingSchema = z.object({
  paused: z.boolean(),
  reason: z.string().nullable(),
  changedAt: z.number().nullable(),
  /** The last time trading was paused: alerts received before it are never executed after it. */
  lastPausedAt: z.number().nullable().default(null),
});

/** One account's circuit breaker, as saved. */
export const persistedBreakerSchema = z.object({
  state: z.enum(['closed', 'open', 'half-open']),
  reason: z.string().nullable(),
  openedAt: z.number().nullable(),
  reopensAt: z.number().nullable(),
  lastFailure: z.string().nullable(),
});

export type PersistedTrading = z.output<typeof persistedTradingSchema>;
export type PersistedBreaker = z.output<typeof persistedBreakerSchema>;

export interface RiskStore {
  trading(): PersistedTrading | null;
  breakers(): Record<string, PersistedBreaker>;
  /** False when it could not be written (it holds in memory; `retryUnsaved` writes it later). */
  saveTrading(t: PersistedTrading): boolean;
  /** Only breakers that are not closed are kept; null forgets the account's. Never throws. */
  saveBreaker(account: string, b: PersistedBreaker | null): void;
  /** Writes the state again if the last write failed. */
  retryUnsaved(): void;
  /** Why the state in memory is not saved (the last write failed), or null when it is. */
  readonly unsaved: string | null;
  /** Set when the saved state could not be read: callers start halted rather than guess. */
  readonly unreadable: string | null;
  onWriteError: ((message: string, error: unknown) => void) | null;
  /** A shared store: the kill switch's state another node saved since it was last read, or null. */
  freshTrading?(): PersistedTrading | null;
}

/**
 * The store the kill switch and breakers hold from construction on: it starts on the local file,
 * and when a PostgreSQL journal opens the engine swaps the shared store in under them (`use`).
 */
export class SwappableRiskStore implements RiskStore {
  private onError: RiskStore['onWriteError'] = null;

  constructor(private inner: RiskStore) {}

  /** From now on reads and writes go to `store` (which is told the same write-error listener). */
  use(store: RiskStore): void {
    this.inner = store;
    store.onWriteError = this.onError;
  }

  get current(): RiskStore {
    return this.inner;
  }

  trading(): PersistedTrading | null {
    return this.inner.trading();
  }
  breakers(): Record<string, PersistedBreaker> {
    return this.inner.breakers();
  }
  saveTrading(t: PersistedTrading): boolean {
    return this.inner.saveTrading(t);
  }
  saveBreaker(account: string, b: PersistedBreaker | null): void {
    this.inner.saveBreaker(account, b);
  }
  retryUnsaved(): void {
    this.inner.retryUnsaved();
  }
  freshTrading(): PersistedTrading | null {
    return this.inner.freshTrading?.() ?? null;
  }
  get unsaved(): string | null {
    return this.inner.unsaved;
  }
  get unreadable(): string | null {
    return this.inner.unreadable;
  }
  get onWriteError(): RiskStore['onWriteError'] {
    return this.onError;
  }
  set onWriteError(f: RiskStore['onWriteError']) {
    this.onError = f;
    this.inner.onWriteError = f;
  }
}
