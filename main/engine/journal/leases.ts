/**
 * The executor lease: which node may send orders, as the shared journal says. One row per scope;
 * a node takes it when it is free or expired and renews it while it holds it, all in one UPDATE
 * (PostgreSQL locks the row, so two nodes asking at once get one answer each: one wins). Time is
 * the database's clock, so the nodes' own clocks do not have to agree.
 *
 * The epoch is the fence: it rises with every take-over (and with a renewal after a lapse), and
 * every intent write checks the writer's epoch in its own transaction (`check`), so a node that
 * was paused or cut off past its lease cannot record, and so cannot send, an order any more.
 */
import type { SqlDb, StoreKind } from './sql-port.js';

export interface Lease {
  scope: string;
  node: string;
  epoch: number;
  /** The database's clock, epoch ms. */
  expiresAt: number;
  acquiredAt: number;
}

interface LeaseRow {
  scope: string;
  node: string;
  epoch: number | string;
  expires_at: number | string;
  acquired_at: number | string;
}

const toLease = (r: LeaseRow): Lease => ({ scope: r.scope, node: r.node, epoch: Number(r.epoch), expiresAt: Number(r.expires_at), acquiredAt: Number(r.acquired_at) });

/** The writer's lease is no longer the current one: nothing was written. */
export class LeaseLostError extends Error {
  readonly code = 'lease_lost';
}

export const isLeaseLost = (e: unknown): e is LeaseLostError => e instanceof LeaseLostError;

/** The database's clock in epoch ms, in each store's SQL. */
function dbNow(kind: StoreKind): string {
  return kind === 'postgres' ? `CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)` : `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
}

export class LeaseStore {
  private readonly now: string;

  constructor(
    private readonly db: SqlDb,
    private readonly kind: StoreKind,
  ) {
    this.now = dbNow(kind);
  }

  /** The database's clock now (epoch ms). */
  clock(): number {
    return Number((this.db.prepare(`SELECT ${this.now} AS now`).get() as { now: number | string }).now);
  }

  /** Takes or renews `scope` for `node` for `ttlMs`; the lease held after, or null when another node holds it. */
  acquire(scope: string, node: string, ttlMs: number): Lease | null {
    return this.db.transaction(() => {
      this.db.prepare(`INSERT INTO executor_leases (scope, node, epoch, expires_at, acquired_at) VALUES (?, '', 0, 0, 0) ON CONFLICT (scope) DO NOTHING`).run(scope);
      const won = this.db
        .prepare(
          `UPDATE executor_leases
             SET epoch = CASE WHEN node = ? AND expires_at > ${this.now} THEN epoch ELSE epoch + 1 END,
                 acquired_at = CASE WHEN node = ? AND expires_at > ${this.now} THEN acquired_at ELSE ${this.now} END,
                 node = ?, expires_at = ${this.now} + ?
           WHERE scope = ? AND (node = ? OR expires_at <= ${this.now})`,
        )
        .run(node, node, node, ttlMs, scope, node);
      return won.changes === 1 ? this.get(scope) : null;
    })();
  }

  /** Makes sure each scope has its row (a free lease), so `acquireAll` can take it. */
  ensure(scopes: string[]): void {
    if (scopes.length === 0) return;
    const insert = this.db.prepare(`INSERT INTO executor_leases (scope, node, epoch, expires_at, acquired_at) VALUES (?, '', 0, 0, 0) ON CONFLICT (scope) DO NOTHING`);
    this.db.transaction(() => {
      for (const s of scopes) insert.run(s);
    })();
  }

  /**
   * One statement for every scope this node asks for: renews the ones it holds and takes those
   * of `takeable` that are free or lapsed. The leases it holds after (rows from `ensure`).
   */
  acquireAll(scopes: string[], takeable: string[], node: string, ttlMs: number): Lease[] {
    if (scopes.length === 0) return [];
    const own = `node = ? AND expires_at > ${this.now}`;
    const take = takeable.length ? ` OR (expires_at <= ${this.now} AND scope IN (${takeable.map(() => '?').join(', ')}))` : '';
    const rows = this.db
      .prepare(
        `UPDATE executor_leases
           SET epoch = CASE WHEN ${own} THEN epoch ELSE epoch + 1 END,
               acquired_at = CASE WHEN ${own} THEN acquired_at ELSE ${this.now} END,
               node = ?, expires_at = ${this.now} + ?
         WHERE scope IN (${scopes.map(() => '?').join(', ')}) AND (node = ?${take})
         RETURNING scope, node, epoch, expires_at, acquired_at`,
      )
      .all(node, node, node, ttlMs, ...scopes, node, ...takeable) as LeaseRow[];
    return rows.map(toLease);
  }

  /** The scopes' leases as they are, with the database's clock at the read. */
  list(scopes: string[]): { now: number; leases: Lease[] } {
    if (scopes.length === 0) return { now: this.clock(), leases: [] };
    const rows = this.db
      .prepare(`SELECT scope, node, epoch, expires_at, acquired_at, ${this.now} AS now FROM executor_leases WHERE scope IN (${scopes.map(() => '?').join(', ')}) ORDER BY scope`)
      .all(...scopes) as (LeaseRow & { now: number | string })[];
    return { now: rows.length ? Number(rows[0]!.now) : this.clock(), leases: rows.map(toLease) };
  }

  /** Gives the lease up at once (a graceful stop), so another node takes over without waiting for it to expire. */
  release(scope: string, node: string, epoch: number): void {
    this.db.prepare(`UPDATE executor_leases SET expires_at = 0 WHERE scope = ? AND node = ? AND epoch = ?`).run(scope, node, epoch);
  }

  get(scope: string): Lease | null {
    const r = this.db.prepare(`SELECT scope, node, epoch, expires_at, acquired_at FROM executor_leases WHERE scope = ?`).get(scope) as LeaseRow | undefined;
    return r ? toLease(r) : null;
  }

  /** Throws LeaseLostError unless `node` still holds `scope` at `epoch`, unexpired, by the database's clock. */
  check(scope: string, node: string, epoch: number): void {
    // FOR SHARE: a take-over's UPDATE waits for this write's commit, so it is seen by the recovery that follows.
    const lock = this.kind === 'postgres' ? ' FOR SHARE' : '';
    const ok = this.db.prepare(`SELECT 1 AS ok FROM executor_leases WHERE scope = ? AND node = ? AND epoch = ? AND expires_at > ${this.now}${lock}`).get(scope, node, epoch);
    if (!ok) throw new LeaseLostError(`this node (${node}) no longer holds the ${scope} lease (epoch ${epoch}): another node executes now; nothing was written`);
  }
}

export interface NodeRow {
  node: string;
  host: string;
  version: string;
  role: 'executor' | 'standby';
  startedAt: number;
  heartbeatAt: number;
}

/** The nodes sharing the journal, each with its last heartbeat (the database's clock). */
export class NodeStore {
  private readonly now: string;

  constructor(
    private readonly db: SqlDb,
    kind: StoreKind,
  ) {
    this.now = dbNow(kind);
  }

  heartbeat(n: Omit<NodeRow, 'heartbeatAt'>): void {
    this.db
      .prepare(
        `INSERT INTO cluster_nodes (node, host, version, role, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ${this.now})
         ON CONFLICT (node) DO UPDATE SET host = excluded.host, version = excluded.version, role = excluded.role, started_at = excluded.started_at, heartbeat_at = ${this.now}`,
      )
      .run(n.node, n.host, n.version, n.role, n.startedAt);
  }

  list(): NodeRow[] {
    const rows = this.db.prepare(`SELECT node, host, version, role, started_at, heartbeat_at FROM cluster_nodes ORDER BY node`).all() as Record<string, string | number>[];
    return rows.map((r) => ({ node: String(r.node), host: String(r.host), version: String(r.version), role: r.role === 'executor' ? 'executor' : 'standby', startedAt: Number(r.started_at), heartbeatAt: Number(r.heartbeat_at) }));
  }
}
