/**
 * A circuit breaker per account: `maxFailures` execution failures within `windowSec` open it and
 * halt the account's trading. After `coolDownSec` it re-arms as half-open: the next failure opens
 * it again at once, the next order the exchange accepts closes it. `reset` re-arms it by hand.
 *
 * Time comes from the engine's clock and is read when asked (`state`, `blocks`) and on `tick`, so
 * a controlled clock drives the cool-down in tests.
 */
import type { AccountBreakerDto } from '../../../shared/dto/risk.js';
import type { PersistedBreaker, RiskStore } from './risk-store.js';

export interface BreakerSettings {
  maxFailures: number;
  windowSec: number;
  coolDownSec: number;
}

interface Entry {
  state: AccountBreakerDto['state'];
  failures: number[];
  reason: string | null;
  openedAt: number | null;
  reopensAt: number | null;
  lastFailure: string | null;
}

export type BreakerCause = 'failures' | 'failed-again' | 'cool-down' | 'success' | 'by-hand';

export interface BreakerDeps {
  settings: () => BreakerSettings;
  now: () => number;
  store?: RiskStore | null;
  /** Called on every state change (after it is saved). */
  onChange?: (breaker: AccountBreakerDto, cause: BreakerCause) => void;
  /** Called on a failure that did not change the state (the count went up: the dashboard shows it live). */
  onFailure?: (breaker: AccountBreakerDto) => void;
  /** Called when a state another node saved was taken (it was logged and journaled there). */
  onAdopted?: (breaker: AccountBreakerDto) => void;
}

export class CircuitBreakers {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly d: BreakerDeps) {
    for (const [account, b] of Object.entries(d.store?.breakers() ?? {})) {
      this.entries.set(account, { ...b, failures: [] });
    }
  }

  /** Accounts with a breaker state (any that failed or were restored open). */
  accounts(): string[] {
    return [...this.entries.keys()];
  }

  state(account: string): AccountBreakerDto {
    this.tick(account);
    const e = this.entries.get(account);
    if (!e) return { account, state: 'closed', failures: 0, reason: null, reopensAt: null, openedAt: null, lastFailure: null };
    return {
      account,
      state: e.state,
      failures: this.recent(e).length,
      reason: e.reason,
      reopensAt: e.state === 'open' ? e.reopensAt : null,
      openedAt: e.openedAt,
      lastFailure: e.lastFailure,
    };
  }

  /** Why the account may not trade now, or null. */
  blocks(account: string): string | null {
    const b = this.state(account);
    if (b.state !== 'open') return null;
    const when = b.reopensAt !== null ? `it re-arms at ${new Date(b.reopensAt).toISOString().slice(11, 16)} UTC` : 'it re-arms only by hand';
    return `trading on account ${account} is halted: circuit breaker open (${b.reason ?? 'execution failures'}); ${when}, or reset it by hand`;
  }

  /** An execution failure on the account (an order refused or unanswered, the exchange unreachable). */
  failure(account: string, message: string): void {
    this.tick(account);
    const now = this.d.now();
    const e = this.entry(account);
    e.failures.push(now);
    e.lastFailure = message;
    const s = this.d.settings();
    const recent = this.recent(e);
    e.failures = recent;
    if (e.state === 'half-open') {
      this.open(e, account, `failed again after the cool-down: ${message}`, 'failed-again');
    } else if (e.state === 'closed' && recent.length >= s.maxFailures) {
      this.open(e, account, `${recent.length} execution failures within ${duration(s.windowSec)}; the last: ${message}`, 'failures');
    } else {
      this.d.onFailure?.(this.snapshot(account, e));
    }
  }

  /** The exchange accepted an order on the account: a half-open breaker closes. */
  success(account: string): void {
    const e = this.entries.get(account);
    if (!e) return;
    this.tick(account);
    if (e.state === 'half-open') this.close(e, account, 'success');
  }

  /** Re-arms by hand (closed, failures forgotten). */
  reset(account: string): AccountBreakerDto {
    const e = this.entry(account);
    e.failures = [];
    if (e.state !== 'closed') this.close(e, account, 'by-hand');
    return this.state(account);
  }

  /**
   * Takes the account's state another node saved (the shared store; null or closed: closed), not
   * saving it again; the failure count stays this node's. Nothing happens when it is the same.
   */
  adopt(account: string, saved: PersistedBreaker | null): void {
    const b: PersistedBreaker = saved ?? { state: 'closed', reason: null, openedAt: null, reopensAt: null, lastFailure: null };
    const e = this.entries.get(account);
    if (!e && b.state === 'closed') return;
    if (e && e.state === b.state && e.openedAt === b.openedAt && e.reopensAt === b.reopensAt && e.reason === b.reason) return;
    const next = this.entry(account);
    Object.assign(next, b);
    if (b.state !== 'closed') next.failures = [];
    this.d.onAdopted?.(this.snapshot(account, next));
  }

  /** Re-arms open breakers whose cool-down is over (all accounts, or one). */
  tick(account?: string): void {
    const now = this.d.now();
    for (const [name, e] of this.entries) {
      if (account !== undefined && name !== account) continue;
      if (e.state === 'open' && e.reopensAt !== null && now >= e.reopensAt) {
        e.state = 'half-open';
        e.failures = [];
        e.reason = `re-armed after the ${duration(this.d.settings().coolDownSec)} cool-down (was: ${e.reason ?? 'open'})`;
        this.changed(name, e, 'cool-down');
      }
    }
  }

  private open(e: Entry, account: string, reason: string, cause: BreakerCause): void {
    const now = this.d.now();
    const coolDown = this.d.settings().coolDownSec;
    e.state = 'open';
    e.reason = reason;
    e.openedAt = now;
    e.reopensAt = coolDown > 0 ? now + coolDown * 1000 : null;
    this.changed(account, e, cause);
  }

  private close(e: Entry, account: string, cause: BreakerCause): void {
    e.state = 'closed';
    e.reason = cause === 'by-hand' ? 'reset by hand' : 'closed: the exchange accepted an order after the cool-down';
    e.reopensAt = null;
    e.failures = [];
    this.changed(account, e, cause);
  }

  private changed(account: string, e: Entry, cause: BreakerCause): void {
    const { failures: _f, ...kept } = e;
    this.d.store?.saveBreaker(account, kept);
    this.d.onChange?.(this.snapshot(account, e), cause);
  }

  private snapshot(account: string, e: Entry): AccountBreakerDto {
    return {
      account,
      state: e.state,
      failures: e.failures.length,
      reason: e.reason,
      reopensAt: e.state === 'open' ? e.reopensAt : null,
      openedAt: e.openedAt,
      lastFailure: e.lastFailure,
    };
  }

  private entry(account: string): Entry {
    let e = this.entries.get(account);
    if (!e) {
      e = { state: 'closed', failures: [], reason: null, openedAt: null, reopensAt: null, lastFailure: null };
      this.entries.set(account, e);
    }
    return e;
  }

  private recent(e: Entry): number[] {
    const since = this.d.now() - this.d.settings().windowSec * 1000;
    return e.failures.filter((t) => t > since);
  }
}

export function duration(sec: number): string {
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

/** Where execution outcomes feed the account's circuit breaker. */
export interface ExecutionHealth {
  failure(account: string, message: string): void;
  success(account: string): void;
}
