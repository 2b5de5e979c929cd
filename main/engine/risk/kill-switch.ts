import type { TradingStateDto } from '../../../shared/dto.js';

/**
 * The kill switch: pause and resume trading. While paused, alerts are still received, journaled
 * and answered, then marked not executed with the reason; they are never executed late on resume.
 * In memory: a restart starts with trading on, as configured.
 */
export class KillSwitch {
  private current: TradingStateDto = { paused: false, reason: null, changedAt: null };
  private readonly listeners = new Set<(state: TradingStateDto) => void>();

  state(): TradingStateDto {
    return { ...this.current };
  }

  get paused(): boolean {
    return this.current.paused;
  }

  pause(reason: string | undefined, now: number): TradingStateDto {
    this.current = { paused: true, reason: reason?.trim() || 'paused by hand', changedAt: now };
    this.notify();
    return this.state();
  }

  resume(now: number): TradingStateDto {
    this.current = { paused: false, reason: null, changedAt: now };
    this.notify();
    return this.state();
  }

  /** Returns an unsubscribe function. */
  onChange(listener: (state: TradingStateDto) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l(this.state());
  }
}
