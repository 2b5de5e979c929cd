/**
 * Several `pinebridge serve` nodes on one PostgreSQL journal: every node takes webhooks; each
 * account is executed by one node at a time, the holder of that account's lease (scope
 * `executor:<account>`, journal/leases.ts). Every `leaseMs / 4` a node renews the leases it holds
 * and asks for the free ones, in one statement for all accounts. Holding an account's lease, the
 * node's worker runs that account's alerts; the moment the leases have not been renewed in time
 * (by this node's own clock, before the database's lapse) or another node has one, the worker
 * stops sending for that account, and every intent write is refused by the fence anyway (the
 * account's epoch, checked in the write's own transaction). A node that takes an account over runs
 * the same recovery as after a crash for that account: each in-flight intent looked up by its
 * clientOrderId.
 *
 * Sharing: a node that already holds some lease takes a free one only once it has seen it free on
 * its previous tick as well, so a node holding none (just started, or the other node's accounts
 * lapsed) gets there first, and two nodes spread the accounts.
 *
 * Failover time is at most the lease time plus two ticks: a killed executor stops renewing, its
 * leases lapse `leaseMs` after its last renewal, and the next standby tick takes them.
 */
import { hostname } from 'node:os';
import type { Logger } from '../core/logging/logger.js';
import type { FenceTarget } from '../journal/intents.js';
import type { Journal } from '../journal/journal.js';
import { LeaseLostError, LeaseStore, NodeStore, type Lease, type NodeRow } from '../journal/leases.js';

export const EXECUTOR_SCOPE = 'executor';
export const executorScope = (account: string): string => `${EXECUTOR_SCOPE}:${account}`;
const accountOfScope = (scope: string): string => scope.slice(EXECUTOR_SCOPE.length + 1);

export interface AccountLease {
  account: string;
  /** The node holding the account's lease as last read, or null when none does. */
  executor: string | null;
  /** This node's epoch when it holds it. */
  epoch: number | null;
}

export interface ClusterStatus {
  node: string;
  /** Executor when this node holds any account's lease. */
  role: 'executor' | 'standby';
  /** The accounts this node executes now. */
  held: string[];
  /** Every account with its executor, as last read. */
  accounts: AccountLease[];
  leaseMs: number;
  /** How long the last take-over by this node waited since the lease's previous renewal (ms), or null. */
  lastFailoverMs: number | null;
  nodes: NodeRow[];
}

export interface ClusterBrief {
  node: string;
  role: 'executor' | 'standby';
  /** This node when it executes any account; else the executor of the first account, as last read. */
  executor: string | null;
  /** The accounts this node executes. */
  accounts: string[];
  /** Each account's executor, as last read. */
  executors: Record<string, string | null>;
}

export interface ExecutorLeaseDeps {
  journal: Journal;
  node: string;
  version: string;
  leaseMs: number;
  logger: Logger;
  /** The accounts this node can trade (settings); read on every tick. Default: `main` only. */
  accounts?: () => string[];
  /** The account an alert trades on (for the fence of an alert's outcome). Default: `main`. */
  accountOfAlert?: (alertId: string) => string | null;
  /** This node became the executor of these accounts (a new epoch each). */
  onGain: (accounts: string[]) => void;
  /** This node no longer executes these accounts. */
  onLose?: (why: string, accounts: string[]) => void;
  onFailover?: (ms: number) => void;
}

/** What the fence saw at an account's last lease check: this node's clock then, and the lease time left. */
export interface SendWindow {
  at: number;
  remainingMs: number;
}

export class ExecutorLease {
  private readonly leases: LeaseStore;
  private readonly nodes: NodeStore;
  private readonly held = new Map<string, Lease>();
  /** performance.now() by which the leases must be renewed: a margin before the database's expiry. */
  private deadline = 0;
  private timer: NodeJS.Timeout | null = null;
  private seen = new Map<string, Lease>();
  /** Scopes seen free (or lapsed) on the previous tick. */
  private freeBefore = new Set<string>();
  private ensured = new Set<string>();
  private readonly windows = new Map<string, SendWindow>();
  private lastFailoverMs: number | null = null;
  private readonly startedAt = Date.now();

  constructor(private readonly d: ExecutorLeaseDeps) {
    this.leases = new LeaseStore(d.journal.db, d.journal.kind);
    this.nodes = new NodeStore(d.journal.db, d.journal.kind);
    d.journal.intents.fence = (of) => this.fence(of);
  }

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), Math.max(100, Math.floor(this.d.leaseMs / 4)));
    this.timer.unref();
  }

  /** Whether this node executes `account` now (without one: any account). */
  holds(account?: string): boolean {
    if (this.held.size && performance.now() > this.deadline) this.lose('the lease was not renewed in time (the database did not answer)', [...this.held.keys()]);
    return account === undefined ? this.held.size > 0 : this.held.has(account);
  }

  /**
   * The send fence: at the last lease check of `account` (the intent write just before a send),
   * this node's clock and how long the lease still had, by this node's own margin. An order sent
   * with that timestamp and at most that receive window is refused by the exchange if it arrives
   * after the lease lapsed (a process frozen between the check and the send).
   */
  sendWindow(account: string): SendWindow | null {
    return this.windows.get(account) ?? null;
  }

  /** Graceful stop: the leases are given up at once, so a standby takes over on its next tick. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const held = [...this.held.values()];
    this.lose('stopping', [...this.held.keys()]);
    for (const l of held) {
      try {
        this.leases.release(l.scope, this.d.node, l.epoch);
      } catch {
        // The database is away: the lease lapses by itself.
      }
    }
  }

  /** This node, its role, and the executors as last read (no query: for /readyz). */
  brief(): ClusterBrief {
    const holds = this.holds();
    const executors: Record<string, string | null> = {};
    for (const a of this.accounts()) executors[a] = this.held.has(a) ? this.d.node : this.seen.get(executorScope(a))?.node || null;
    const first = Object.values(executors).find((n) => n !== null) ?? null;
    return { node: this.d.node, role: holds ? 'executor' : 'standby', executor: holds ? this.d.node : first, accounts: [...this.held.keys()].sort(), executors };
  }

  status(): ClusterStatus {
    let nodes: NodeRow[] = [];
    const scopes = this.accounts().map(executorScope);
    let now = Date.now();
    let current = [...this.seen.values()];
    try {
      nodes = this.nodes.list();
      ({ now, leases: current } = this.leases.list(scopes));
    } catch {
      // Shown from the last tick while the database is away.
    }
    const holds = this.holds();
    const byScope = new Map(current.map((l) => [l.scope, l]));
    const accounts = this.accounts().map((account): AccountLease => {
      const mine = this.held.get(account);
      const l = byScope.get(executorScope(account));
      const executor = mine ? this.d.node : l && l.node !== '' && l.node !== this.d.node && l.expiresAt > now ? l.node : null;
      return { account, executor, epoch: mine?.epoch ?? null };
    });
    return { node: this.d.node, role: holds ? 'executor' : 'standby', held: [...this.held.keys()].sort(), accounts, leaseMs: this.d.leaseMs, lastFailoverMs: this.lastFailoverMs, nodes };
  }

  private accounts(): string[] {
    return [...new Set(this.d.accounts?.() ?? ['main'])].sort();
  }

  private fence(of: FenceTarget): void {
    const account = this.accountOf(of);
    const lease = account !== null && this.holds(account) ? this.held.get(account) : undefined;
    if (!account || !lease) throw new LeaseLostError(`this node (${this.d.node}) does not hold the executor lease of account ${account ?? '?'}; nothing was written`);
    const at = Date.now();
    const remainingMs = this.deadline - performance.now();
    this.leases.check(lease.scope, this.d.node, lease.epoch);
    this.windows.set(account, { at, remainingMs });
  }

  private accountOf(of: FenceTarget): string | null {
    if ('account' in of) return of.account;
    if ('clientOrderId' in of) return this.d.journal.intents.get(of.clientOrderId)?.account ?? null;
    return this.d.accountOfAlert ? this.d.accountOfAlert(of.alertId) : 'main';
  }

  private tick(): void {
    const asked = performance.now();
    const scopes = this.accounts().map(executorScope);
    let won: Lease[] | null = null;
    try {
      const missing = scopes.filter((s) => !this.ensured.has(s));
      if (missing.length) {
        this.leases.ensure(missing);
        for (const s of missing) this.ensured.add(s);
      }
      // Holding some already: only leases that were free on the previous tick too (sharing).
      const takeable = this.held.size === 0 ? scopes : scopes.filter((s) => this.freeBefore.has(s));
      won = this.leases.acquireAll(scopes, takeable, this.d.node, this.d.leaseMs);
      const { now, leases } = this.leases.list(scopes);
      this.freeBefore = new Set(leases.filter((l) => l.expiresAt <= now).map((l) => l.scope));
      const before = this.seen;
      this.seen = new Map(leases.map((l) => [l.scope, l]));
      for (const l of won) {
        const prev = before.get(l.scope);
        if (!this.held.has(accountOfScope(l.scope)) && prev && prev.node !== '' && prev.node !== this.d.node && prev.expiresAt > 0) {
          // Taken from a node that stopped renewing: how long since its last renewal.
          this.lastFailoverMs = Math.max(0, l.acquiredAt - (prev.expiresAt - this.d.leaseMs));
          this.d.onFailover?.(this.lastFailoverMs);
        }
      }
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, 'executor lease: the database did not answer');
    }
    if (won) this.apply(won, asked);
    try {
      this.nodes.heartbeat({ node: this.d.node, host: hostname(), version: this.d.version, role: this.held.size ? 'executor' : 'standby', startedAt: this.startedAt });
    } catch {
      // Said on the next tick.
    }
  }

  private apply(won: Lease[], asked: number): void {
    const now = new Map(won.map((l) => [accountOfScope(l.scope), l]));
    const renewed = [...this.held].filter(([a, l]) => now.get(a)?.epoch === l.epoch).map(([a]) => a);
    const lost = [...this.held.keys()].filter((a) => !renewed.includes(a));
    if (lost.length) {
      const by = lost.map((a) => `${a}: ${now.has(a) ? `taken again with a new epoch (${now.get(a)!.epoch})` : `node ${this.seen.get(executorScope(a))?.node || '?'} holds it`}`);
      this.lose(`the executor lease moved (${by.join('; ')})`, lost);
    }
    // Renewed by a margin (a quarter of the lease) before the database would let another node in.
    if (won.length) this.deadline = asked + (this.d.leaseMs * 3) / 4;
    const gained = [...now.keys()].filter((a) => !this.held.has(a));
    for (const [a, l] of now) this.held.set(a, l);
    if (gained.length) {
      gained.sort();
      const epochs = gained.map((a) => `${a} epoch ${now.get(a)!.epoch}`).join(', ');
      this.d.logger.info({ node: this.d.node, accounts: gained }, `this node (${this.d.node}) executes now: ${epochs} (executor lease)`);
      this.d.onGain(gained);
    }
  }

  private lose(why: string, accounts: string[]): void {
    const gone = accounts.filter((a) => this.held.delete(a));
    if (gone.length === 0) return;
    for (const a of gone) this.windows.delete(a);
    this.d.logger.warn({ node: this.d.node, accounts: gone }, `this node no longer executes ${gone.join(', ')}: ${why}`);
    this.d.onLose?.(why, gone);
  }
}
