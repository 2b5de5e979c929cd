import type { TradingStateDto } from '../../../shared/dto/risk.js';
import type { PersistedTrading, RiskStore } from './risk-store.js';

/**
 * The kill switch: pause and resume trading. While paused, alerts are still received, journaled
 * and answered, then marked not executed with the reason; they are never executed late on resume,
 * and neither is an alert that was received before a pause and still waiting when it came.
 * Kept in `<data-dir>/risk-state.json`: a restart stays paused. Several nodes on one PostgreSQL
 * journal share it (cluster/shared-state.ts): a pause on any node pauses them all.
 */
export class KillSwitch {
  private current: TradingStateDto = { paused: false, reason: null, changedAt: null };
  private lastPausedAt: number | null = null;
  private readonly listeners = new Set<(state: TradingStateDto) => void>();

  constructor(
    private readonly store: RiskStore | null = null,
    now: () => number = Date.now,
  ) {
    const saved = store?.trading();
    if (saved) {
      this.current = { paused: saved.paused, reason: saved.reason, changedAt: saved.changedAt };
      this.lastPausedAt = saved.lastPausedAt;
    }
    if (store?.unreadable) {
      // Unknown is not "on": start paused and say why.
      this.current = { paused: true, reason: `the saved trading state is unreadable, paused to be safe: ${store.unreadable}`, changedAt: now() };
      this.lastPausedAt = now();
    }
  }

  state(): TradingStateDto {
    const unsaved = this.store?.unsaved ?? null;
    return unsaved ? { ...this.current, notSaved: `${this.current.paused ? 'paused' : 'resumed'}, not saved: ${unsaved}` } : { ...this.current };
  }

  get paused(): boolean {
    return this.current.paused;
  }

  pause(reason: string | undefined, now: number): TradingStateDto {
    this.current = { paused: true, reason: reason?.trim() || 'paused by hand', changedAt: now };
    this.lastPausedAt = now;
    this.save();
    this.notify();
    return this.state();
  }

  resume(now: number): TradingStateDto {
    this.current = { paused: false, reason: null, changedAt: now };
    this.save();
    this.notify();
    return this.state();
  }

  /**
   * Why an alert received at `receivedAt` must not execute now, or null: trading is paused, or it
   * was paused after the alert arrived (the alert waited through the pause: it is stale).
   * `fresh`: read a shared store first (the executor's check right before it executes).
   */
  blocks(receivedAt: number, o: { fresh?: boolean } = {}): string | null {
    if (o.fresh) {
      // Several nodes: a pause made on another node a moment ago (not polled yet) counts too.
      const shared = this.store?.freshTrading?.();
      if (shared) this.adopt(shared);
    }
    if (this.current.paused) return `trading is paused (${this.current.reason ?? 'paused'}): not executed`;
    if (this.lastPausedAt !== null && receivedAt <= this.lastPausedAt) {
      return `received before trading was paused at ${new Date(this.lastPausedAt).toISOString()}: not executed late after the resume`;
    }
    return null;
  }

  /**
   * Takes a state another node saved (the shared store): applied and announced as a local change
   * is, but not saved again. Nothing happens when it is the state already held.
   */
  adopt(saved: PersistedTrading): void {
    const same = saved.paused === this.current.paused && saved.reason === this.current.reason && saved.changedAt === this.current.changedAt;
    this.lastPausedAt = Math.max(this.lastPausedAt ?? 0, saved.lastPausedAt ?? 0) || null;
    if (same) return;
    this.current = { paused: saved.paused, reason: saved.reason, changedAt: saved.changedAt };
    this.notify();
  }

  /** What the store is told to keep (the shared store's first write of a node's state). */
  persisted(): PersistedTrading {
    return { ...this.current, lastPausedAt: this.lastPausedAt };
  }

  /** Returns an unsubscribe function. */
  onChange(listener: (state: TradingStateDto) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(): void {
    this.store?.saveTrading(this.persisted());
  }

  private notify(): void {
    for (const l of this.listeners) l(this.state());
  }
}
