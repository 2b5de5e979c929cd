/**
 * The intake's group commit on PostgreSQL: a whole batch of alerts recorded in one statement
 * (migration 12's pinebridge_record_alerts: AlertStore.record's rules, in one round trip and one
 * commit) on asynchronous connections (pg-async.ts), so the event loop takes new requests while
 * PostgreSQL commits. Several batches may be in flight, one per connection: while one waits for
 * its WAL flush the next is sent (PostgreSQL flushes theirs together), as the SQLite journal's
 * group commit overlaps its fsyncs. The SQLite journal records batches through AlertStore.record.
 */
import { alertRow, recordResult, type NewAlert, type RecordResult } from './alerts.js';
import type { PgAsyncConnection } from './pg-async.js';
import { JournalOutcomeUnknownError } from './sql-port.js';

/** Connections, so batches in flight at once (each opened on its first batch). */
const LANES = 4;

export class PgAlertBatches {
  readonly lanes = LANES;
  private readonly conns: { conn: PgAsyncConnection; busy: number }[];

  constructor(open: () => PgAsyncConnection) {
    this.conns = Array.from({ length: LANES }, () => ({ conn: open(), busy: 0 }));
  }

  /**
   * On the connection with the fewest statements in flight (the first of them: connections open
   * only as needed), among those not pausing after a lost connection while another can go.
   */
  private async query(text: string, values: (string | null)[]) {
    // An idle connected lane first; else, while lanes reconnect after an outage (they refuse at
    // once meanwhile), queue behind a connected one; else any lane that may go (one may open).
    const connected = this.conns.filter((c) => c.conn.connected);
    const idle = connected.filter((c) => c.busy === 0);
    const usable = this.conns.filter((c) => c.conn.available);
    const pool = idle.length ? idle : connected.length && this.conns.some((c) => c.conn.isRecovering) ? connected : usable.length ? usable : this.conns;
    const lane = pool.reduce((a, b) => (b.busy < a.busy ? b : a));
    lane.busy++;
    try {
      return await lane.conn.query(text, values);
    } finally {
      lane.busy--;
    }
  }

  /**
   * Resolves once the batch is committed (synchronous_commit on), one result per alert in order.
   * Rejects as PgAsyncConnection.query does: JournalOutcomeUnknownError when it may have committed.
   */
  async record(alerts: readonly NewAlert[]): Promise<RecordResult[]> {
    const batch = alerts.map((a) => ({ ...alertRow(a, null), idem_since: a.idemSince }));
    const rows = await this.query(`SELECT alert_id, alert_seq, first_id FROM pinebridge_record_alerts($1::jsonb)`, [JSON.stringify(batch)]);
    const stored = new Map(rows.map((r) => [r.alert_id as string, r as { alert_seq: number; first_id: string | null }]));
    return alerts.map((a) => {
      const s = stored.get(a.id);
      if (!s) throw new JournalOutcomeUnknownError(`PostgreSQL did not return alert ${a.id} of its batch.`);
      return recordResult(alertRow(a, s.first_id), s.alert_seq);
    });
  }

  /**
   * Resolves once every commit made before the call, on any connection of this database, is
   * durable: a commit with a transaction id (so it has a commit record) and synchronous_commit
   * on returns once the WAL is flushed past it, and the WAL is flushed in order.
   */
  async flushWal(): Promise<void> {
    await this.query(`SELECT pg_current_xact_id()`, []);
  }

  /** Each alert's answer time (kept if already set), committed without waiting for the WAL's flush. */
  async markAnswered(answers: readonly { alertId: string; at: number }[]): Promise<void> {
    const list = answers.map((a) => ({ alert_id: a.alertId, answered: a.at }));
    await this.query(`SELECT pinebridge_mark_answered($1::jsonb)`, [JSON.stringify(list)]);
  }
}
