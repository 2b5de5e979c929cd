import type { AlertDetailDto, AlertStatus, AlertSummaryDto } from '../../../shared/dto/alerts.js';
import { duplicateReason, IDEM_LOCK_SEED } from './alert-dedup.js';
import type { Db } from './database.js';
import { storeKind, type SqlStatement } from './sql-port.js';

export interface NewAlert {
  id: string;
  receivedAt: number;
  source: string;
  dialect: string | null;
  strategy: string | null;
  action: string | null;
  symbol: string | null;
  /** null when the alert was rejected before it could be keyed. */
  idemKey: string | null;
  /** Duplicates are looked for among alerts received at or after this time (0: forever). */
  idemSince: number;
  body: string;
  /** The body's size when `body` keeps only its start (unauthenticated rejections); else absent. */
  bodyBytes?: number | null;
  signal: unknown;
  status: 'accepted' | 'rejected';
  httpStatus: number;
  reasonCode: string | null;
  reason: string | null;
}

export type RecordResult =
  | { outcome: 'accepted'; alert: AlertSummaryDto }
  | { outcome: 'duplicate'; alert: AlertSummaryDto; firstId: string }
  | { outcome: 'rejected'; alert: AlertSummaryDto };

interface AlertRow {
  seq: number;
  id: string;
  received_at: number;
  source: string;
  dialect: string | null;
  strategy: string | null;
  action: string | null;
  symbol: string | null;
  body: string;
  body_bytes: number | null;
  signal: string | null;
  status: AlertStatus;
  http_status: number;
  reason_code: string | null;
  reason: string | null;
  duplicate_of: string | null;
}

const SUMMARY_COLS =
  'seq, id, received_at, source, dialect, strategy, action, symbol, status, http_status, reason_code, reason, duplicate_of';

/** The alerts table: every webhook request that reached the intake, accepted or not. */
export class AlertStore {
  private readonly insert;
  private readonly findDup;
  private readonly byId;
  private readonly setStatusStmt;
  private readonly countStmt;
  private readonly pendingStmt;
  private readonly keyLock: SqlStatement | null;

  constructor(private readonly db: Db) {
    this.keyLock =
      storeKind(db) === 'postgres' ? db.prepare(`SELECT pg_advisory_xact_lock(hashtextextended(?, ${IDEM_LOCK_SEED})) AS locked`) : null;
    this.insert = db.prepare(
      `INSERT INTO alerts (id, received_at, source, dialect, strategy, action, symbol, idem_key, body, body_bytes, signal,
         status, http_status, reason_code, reason, duplicate_of, updated_at)
       VALUES (@id, @received_at, @source, @dialect, @strategy, @action, @symbol, @idem_key, @body, @body_bytes, @signal,
         @status, @http_status, @reason_code, @reason, @duplicate_of, @received_at)
       RETURNING seq`,
    );
    this.findDup = db.prepare(
      `SELECT id FROM alerts WHERE idem_key = ? AND received_at >= ? AND status NOT IN ('rejected', 'duplicate')
       ORDER BY seq LIMIT 1`,
    );
    this.byId = db.prepare(`SELECT * FROM alerts WHERE id = ?`);
    this.setStatusStmt = db.prepare(
      `UPDATE alerts SET status = @status, reason_code = @reason_code, reason = @reason, updated_at = @now WHERE id = @id`,
    );
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM alerts`);
    this.pendingStmt = db.prepare(
      `SELECT id, seq, received_at AS receivedAt FROM alerts WHERE status IN ('accepted', 'executing') AND seq > ? ORDER BY seq LIMIT ?`,
    );
  }

  /** Records one alert; call inside a transaction when batching. Duplicates are stored as such. */
  record(a: NewAlert): RecordResult {
    if (this.keyLock && a.status === 'accepted' && a.idemKey && !this.db.inTransaction) return this.db.transaction(() => this.record(a))();
    let duplicateOf: string | null = null;
    if (a.status === 'accepted' && a.idemKey) {
      // Several nodes on one PostgreSQL: the same key is recorded by one transaction at a time, so
      // the second sees the first once it committed (until then it waits) and is its duplicate.
      this.keyLock?.get(a.idemKey);
      const dup = this.findDup.get(a.idemKey, a.idemSince) as { id: string } | undefined;
      if (dup) duplicateOf = dup.id;
    }
    const row = alertRow(a, duplicateOf);
    const { seq } = this.insert.get(row) as { seq: number };
    return recordResult(row, seq);
  }

  get(id: string): AlertDetailDto | null {
    const row = this.byId.get(id) as AlertRow | undefined;
    if (!row) return null;
    return toDetail(row);
  }

  setStatus(id: string, status: AlertStatus, reasonCode: string | null, reason: string | null, now: number): void {
    this.setStatusStmt.run({ id, status, reason_code: reasonCode, reason, now });
  }

  list(opts: { limit?: number; beforeSeq?: number; status?: string; strategy?: string }): AlertSummaryDto[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: opts.limit ?? 50 };
    if (opts.beforeSeq) {
      where.push('seq < @before');
      params.before = opts.beforeSeq;
    }
    if (opts.status) {
      where.push('status = @status');
      params.status = opts.status;
    }
    if (opts.strategy) {
      where.push('strategy = @strategy');
      params.strategy = opts.strategy;
    }
    const sql = `SELECT ${SUMMARY_COLS} FROM alerts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as AlertRow[]).map(toSummary);
  }

  /**
   * One page of the alerts still to execute (accepted, or executing with an order outcome
   * unknown), oldest first, after `afterSeq`: a caller pages with the last seq until empty.
   */
  pendingPage(afterSeq: number, limit: number): { id: string; seq: number; receivedAt: number }[] {
    return this.pendingStmt.all(afterSeq, limit) as { id: string; seq: number; receivedAt: number }[];
  }

  count(): number {
    return (this.countStmt.get() as { n: number }).n;
  }
}

export type NewAlertRow = Omit<AlertRow, 'seq'> & { idem_key: string | null };

/** The row `a` is stored as: a duplicate of `duplicateOf` when that is set. */
export function alertRow(a: NewAlert, duplicateOf: string | null): NewAlertRow {
  return {
    id: a.id,
    received_at: a.receivedAt,
    source: a.source,
    dialect: a.dialect,
    strategy: a.strategy,
    action: a.action,
    symbol: a.symbol,
    idem_key: a.idemKey,
    body: a.body,
    body_bytes: a.bodyBytes ?? null,
    signal: a.signal === undefined || a.signal === null ? null : JSON.stringify(a.signal),
    status: duplicateOf ? 'duplicate' : a.status,
    http_status: a.httpStatus,
    reason_code: duplicateOf ? 'duplicate' : a.reasonCode,
    reason: duplicateOf ? duplicateReason(duplicateOf) : a.reason,
    duplicate_of: duplicateOf,
  };
}

/** The intake's answer for a row stored with `seq`. */
export function recordResult(row: NewAlertRow, seq: number): RecordResult {
  const alert = toSummary({ ...row, seq });
  if (row.duplicate_of) return { outcome: 'duplicate', alert, firstId: row.duplicate_of };
  return { outcome: row.status === 'accepted' ? 'accepted' : 'rejected', alert };
}

function toDetail(r: AlertRow): AlertDetailDto {
  const signal = r.signal ? (JSON.parse(r.signal) as { warnings?: unknown }) : null;
  const warnings = Array.isArray(signal?.warnings) ? signal.warnings.filter((w): w is string => typeof w === 'string') : [];
  return { ...toSummary(r), body: r.body, bodyBytes: r.body_bytes, signal, warnings };
}

function toSummary(r: AlertRow): AlertSummaryDto {
  return {
    id: r.id,
    seq: r.seq,
    receivedAt: r.received_at,
    source: r.source,
    dialect: r.dialect,
    strategy: r.strategy,
    action: r.action,
    symbol: r.symbol,
    status: r.status,
    httpStatus: r.http_status,
    reasonCode: r.reason_code,
    reason: r.reason,
    duplicateOf: r.duplicate_of,
  };
}
