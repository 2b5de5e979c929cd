/**
 * The kill switch and circuit breakers of several nodes on one PostgreSQL journal, kept in its
 * `shared_state` table ('trading', 'breaker:<account>'), the local risk-state.json kept beside it
 * as a cache. A write that fails (the database away) holds in memory and is written again by
 * `retryUnsaved`; until then the poll never takes the database's older state over it, so a pause
 * that could not be written never turns into trading.
 */
import type { SharedStateTable } from '../journal/shared-state.js';
import { persistedBreakerSchema, persistedTradingSchema, type PersistedBreaker, type PersistedTrading, type RiskStore } from '../risk/risk-store.js';
import type { RiskStateFile } from '../risk/state-file.js';

export const TRADING_KEY = 'trading';
const BREAKER_PREFIX = 'breaker:';

/** What another node changed since the last poll. */
export interface RiskChanges {
  trading: PersistedTrading | null;
  breakers: [account: string, breaker: PersistedBreaker | null][];
}

type Pending = { name: string; value: PersistedTrading | PersistedBreaker | null };

export class PgRiskStore implements RiskStore {
  onWriteError: RiskStore['onWriteError'] = null;
  readonly unreadable: string | null = null;
  private tradingState: PersistedTrading | null = null;
  private readonly breakerState = new Map<string, PersistedBreaker>();
  /** The version of each row as this node last wrote or read it. */
  private readonly versions = new Map<string, number>();
  /** Writes that failed, by row name: written again by `retryUnsaved`, never overwritten by a poll. */
  private readonly pending = new Map<string, Pending>();
  private failure: string | null = null;

  constructor(
    private readonly table: SharedStateTable,
    private readonly file: RiskStateFile,
    private readonly node: string,
    private readonly now: () => number,
  ) {
    // Throws when the database is away: the journal just opened on it, so it is not.
    const t = table.get(TRADING_KEY);
    if (t) {
      this.versions.set(t.name, t.version);
      this.tradingState = parseTrading(t.value);
    }
    for (const r of table.list(BREAKER_PREFIX)) {
      this.versions.set(r.name, r.version);
      const b = parseBreaker(r.value);
      if (b.state !== 'closed') this.breakerState.set(r.name.slice(BREAKER_PREFIX.length), b);
    }
  }

  get unsaved(): string | null {
    return this.pending.size ? this.failure : this.file.unsaved;
  }

  trading(): PersistedTrading | null {
    return this.tradingState;
  }

  breakers(): Record<string, PersistedBreaker> {
    return Object.fromEntries(this.breakerState);
  }

  saveTrading(t: PersistedTrading): boolean {
    this.tradingState = t;
    this.file.saveTrading(t);
    return this.write(TRADING_KEY, t);
  }

  saveBreaker(account: string, b: PersistedBreaker | null): void {
    if (b && b.state !== 'closed') this.breakerState.set(account, b);
    else this.breakerState.delete(account);
    this.file.saveBreaker(account, b);
    // A closed breaker is written too (not deleted), so the other nodes see it close.
    this.write(BREAKER_PREFIX + account, b ?? { state: 'closed', reason: null, openedAt: null, reopensAt: null, lastFailure: null });
  }

  /** Whether the database has a row for the account's breaker (a closed one included). */
  knowsBreaker(account: string): boolean {
    return this.versions.has(BREAKER_PREFIX + account);
  }

  retryUnsaved(): void {
    for (const p of [...this.pending.values()]) this.write(p.name, p.value);
    this.file.retryUnsaved();
  }

  /**
   * A fresh read of the kill switch's row: the state another node saved since, or null (the same,
   * a write of ours pending, or the database away: the state in memory stands).
   */
  freshTrading(): PersistedTrading | null {
    try {
      return this.freshTradingOrThrow();
    } catch {
      return null;
    }
  }

  /** What other nodes saved since the last poll (throws when the database is away). */
  poll(): RiskChanges {
    const out: RiskChanges = { trading: this.freshTradingOrThrow(), breakers: [] };
    for (const r of this.table.list(BREAKER_PREFIX)) {
      if (this.pending.has(r.name)) continue;
      const b = this.take(r.name, r.version, r.value, parseBreaker);
      if (!b) continue;
      const account = r.name.slice(BREAKER_PREFIX.length);
      if (b.state !== 'closed') this.breakerState.set(account, b);
      else this.breakerState.delete(account);
      this.file.saveBreaker(account, b);
      out.breakers.push([account, b.state === 'closed' ? null : b]);
    }
    return out;
  }

  private freshTradingOrThrow(): PersistedTrading | null {
    if (this.pending.has(TRADING_KEY)) return null;
    const r = this.table.get(TRADING_KEY);
    return r ? this.take(r.name, r.version, r.value, parseTrading) : null;
  }

  /** A row at a version this node has not seen: parsed, remembered (cache and file), returned. */
  private take<T>(name: string, version: number, value: string, parse: (v: string) => T): T | null {
    if (this.versions.get(name) === version) return null;
    this.versions.set(name, version);
    const v = parse(value);
    if (name === TRADING_KEY) {
      this.tradingState = v as PersistedTrading;
      this.file.saveTrading(this.tradingState);
    }
    return v;
  }

  /** Never throws: a lost database must not break the execution that tripped a breaker. */
  private write(name: string, value: PersistedTrading | PersistedBreaker | null): boolean {
    if (this.table.inTransaction) {
      // Not inside a journal transaction (its rollback would undo it unseen): the next poll writes it.
      this.pending.set(name, { name, value });
      this.failure ??= 'written within a second (a journal write was in progress)';
      return false;
    }
    try {
      this.versions.set(name, this.table.put(name, JSON.stringify(value), this.node, this.now()));
      this.pending.delete(name);
      if (!this.pending.size) this.failure = null;
      return true;
    } catch (e) {
      this.pending.set(name, { name, value });
      this.failure = `the cluster database could not be written (${String((e as Error).message ?? e).split('\n')[0]})`;
      this.onWriteError?.(`${name}: ${this.failure}: the state holds in memory on this node and is written again when the database answers`, e);
      return false;
    }
  }
}

/** A row that cannot be read pauses (unknown is not "on"); a breaker's opens. */
function parseTrading(value: string): PersistedTrading {
  const r = persistedTradingSchema.safeParse(safeJson(value));
  if (r.success) return r.data;
  return { paused: true, reason: 'the shared trading state is unreadable, paused to be safe', changedAt: null, lastPausedAt: null };
}

function parseBreaker(value: string): PersistedBreaker {
  const r = persistedBreakerSchema.safeParse(safeJson(value));
  if (r.success) return r.data;
  return { state: 'open', reason: 'the shared breaker state is unreadable, open to be safe', openedAt: null, reopensAt: null, lastFailure: null };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}
