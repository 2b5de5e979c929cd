/**
 * Several `pinebridge serve` nodes on one PostgreSQL journal: every node takes webhooks, one
 * executes. Each node asks for the executor lease every `leaseMs / 4` (journal/leases.ts): the
 * holder renews it, the others wait for it to lapse. Holding it, the node's worker runs; the
 * moment it has not been renewed in time (by this node's own clock, before the database's lapses)
 * or another node has it, the worker stops sending, and every intent write is refused by the
 * fence anyway (the epoch, checked in the write's own transaction). A node that takes over runs
 * the same recovery as after a crash: every in-flight intent looked up by its clientOrderId.
 *
 * Failover time is at most the lease time plus one tick: a killed executor stops renewing, its
 * lease lapses `leaseMs` after its last renewal, and the next standby tick takes it.
 */
import { hostname } from 'node:os';
import type { Logger } from '../core/logging/logger.js';
import type { Journal } from '../journal/journal.js';
import { LeaseLostError, LeaseStore, NodeStore, type Lease, type NodeRow } from '../journal/leases.js';

export const EXECUTOR_SCOPE = 'executor';

export interface ClusterStatus {
  node: string;
  role: 'executor' | 'standby';
  epoch: number | null;
  /** The node holding the lease as the database last said, or null when none does. */
  executor: string | null;
  leaseMs: number;
  /** How long the last take-over by this node waited since the lease's previous renewal (ms), or null. */
  lastFailoverMs: number | null;
  nodes: NodeRow[];
}

export interface ExecutorLeaseDeps {
  journal: Journal;
  node: string;
  version: string;
  leaseMs: number;
  logger: Logger;
  /** This node became the executor (a new epoch). */
  onGain: () => void;
  /** This node is no longer the executor. */
  onLose?: (why: string) => void;
  onFailover?: (ms: number) => void;
}

export class ExecutorLease {
  private readonly leases: LeaseStore;
  private readonly nodes: NodeStore;
  private held: Lease | null = null;
  /** performance.now() by which the lease must be renewed: a margin before the database's expiry. */
  private deadline = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastSeen: Lease | null = null;
  private lastFailoverMs: number | null = null;
  private readonly startedAt = Date.now();

  constructor(private readonly d: ExecutorLeaseDeps) {
    this.leases = new LeaseStore(d.journal.db, d.journal.kind);
    this.nodes = new NodeStore(d.journal.db, d.journal.kind);
    // Until this node holds the lease, no intent may be written from it.
    d.journal.intents.fence = () => {
      throw new LeaseLostError(`this node (${d.node}) does not hold the executor lease; nothing was written`);
    };
  }

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), Math.max(100, Math.floor(this.d.leaseMs / 4)));
    this.timer.unref();
  }

  holds(): boolean {
    if (this.held && performance.now() > this.deadline) this.lose('the lease was not renewed in time (the database did not answer)');
    return this.held !== null;
  }

  /** Graceful stop: the lease is given up at once, so a standby takes over on its next tick. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const held = this.held;
    this.lose('stopping');
    if (!held) return;
    try {
      this.leases.release(EXECUTOR_SCOPE, this.d.node, held.epoch);
    } catch {
      // The database is away: the lease lapses by itself.
    }
  }

  /** This node, its role, and the executor as last read (no query: for /readyz). */
  brief(): { node: string; role: 'executor' | 'standby'; executor: string | null } {
    const holds = this.holds();
    return { node: this.d.node, role: holds ? 'executor' : 'standby', executor: holds ? this.d.node : (this.lastSeen?.node || null) };
  }

  status(): ClusterStatus {
    let nodes: NodeRow[] = [];
    let current = this.lastSeen;
    try {
      nodes = this.nodes.list();
      current = this.leases.get(EXECUTOR_SCOPE);
    } catch {
      // Shown from the last tick while the database is away.
    }
    return {
      node: this.d.node,
      role: this.holds() ? 'executor' : 'standby',
      epoch: this.held?.epoch ?? null,
      executor: current && current.node !== '' && current.expiresAt > Date.now() - this.d.leaseMs ? current.node : null,
      leaseMs: this.d.leaseMs,
      lastFailoverMs: this.lastFailoverMs,
      nodes,
    };
  }

  private tick(): void {
    const asked = performance.now();
    let lease: Lease | null = null;
    let reached = true;
    try {
      const before = this.held ? null : this.leases.get(EXECUTOR_SCOPE);
      lease = this.leases.acquire(EXECUTOR_SCOPE, this.d.node, this.d.leaseMs);
      if (!lease) this.lastSeen = this.leases.get(EXECUTOR_SCOPE);
      else if (!this.held && before && before.node !== '' && before.node !== this.d.node) {
        // Taken from a node that stopped renewing: how long since its last renewal.
        this.lastFailoverMs = Math.max(0, lease.acquiredAt - (before.expiresAt - this.d.leaseMs));
        this.d.onFailover?.(this.lastFailoverMs);
      }
    } catch (e) {
      reached = false;
      this.d.logger.warn({ err: String(e) }, 'executor lease: the database did not answer');
    }
    if (lease) {
      const fresh = !this.held || this.held.epoch !== lease.epoch;
      if (fresh && this.held) this.lose(`the lease was taken again with a new epoch (${lease.epoch})`);
      this.held = lease;
      // Renewed by a margin (a quarter of the lease) before the database would let another node in.
      this.deadline = asked + (this.d.leaseMs * 3) / 4;
      if (fresh) this.gain(lease);
    } else if (reached && this.held) this.lose(`node ${this.lastSeen?.node ?? '?'} holds the executor lease`);
    try {
      this.nodes.heartbeat({ node: this.d.node, host: hostname(), version: this.d.version, role: this.held ? 'executor' : 'standby', startedAt: this.startedAt });
    } catch {
      // Said on the next tick.
    }
  }

  private gain(lease: Lease): void {
    const { node } = this.d;
    this.d.journal.intents.fence = () => this.leases.check(EXECUTOR_SCOPE, node, lease.epoch);
    this.d.logger.info({ node, epoch: lease.epoch }, `this node (${node}) executes now (executor lease, epoch ${lease.epoch})`);
    this.d.onGain();
  }

  private lose(why: string): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    const node = this.d.node;
    this.d.journal.intents.fence = () => {
      throw new LeaseLostError(`this node (${node}) lost the executor lease (epoch ${held.epoch}): ${why}; nothing was written`);
    };
    this.d.logger.warn({ node, epoch: held.epoch }, `this node no longer executes: ${why}`);
    this.d.onLose?.(why);
  }
}
