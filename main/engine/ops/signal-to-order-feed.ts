import type { Db } from '../journal/database.js';
import { storeKind } from '../journal/sql-port.js';

interface Row {
  r: number | string;
  sent: number | null;
  received: number;
  created: number;
}

/**
 * How new intents are found after the last one seen: SQLite by rowid (in insertion order);
 * PostgreSQL has no rowid, so by (created_at, client_order_id), its intents_created index.
 */
const QUERIES = {
  sqlite: {
    cols: `i.rowid AS r, i.sent_at AS sent, a.received_at AS received, i.created_at AS created FROM order_intents i JOIN alerts a ON a.id = i.alert_id`,
    start: `SELECT coalesce(max(rowid), 0) AS m, 0 AS c FROM order_intents`,
    waiting: `i.rowid IN (SELECT value FROM json_each(?))`,
    after: `i.rowid > ? ORDER BY i.rowid`,
  },
  postgres: {
    cols: `i.client_order_id AS r, i.sent_at AS sent, a.received_at AS received, i.created_at AS created FROM order_intents i JOIN alerts a ON a.id = i.alert_id`,
    start: `SELECT coalesce(max(client_order_id), '') AS m, coalesce(max(created_at), 0) AS c FROM order_intents WHERE created_at = (SELECT max(created_at) FROM order_intents)`,
    waiting: `i.client_order_id IN (SELECT jsonb_array_elements_text(?::jsonb))`,
    after: `(i.created_at, i.client_order_id) > (?::bigint, ?::text) ORDER BY i.created_at, i.client_order_id`,
  },
};

/** An intent not sent after this long is given up on (rejected before sending, or never sent). */
const GIVE_UP_MS = 60 * 60 * 1000;

/**
 * Reads signal-to-order times (alert received -> order sent) from the journal, each intent once:
 * new intents after the last one seen, plus those seen before they were sent. Works with no
 * cooperation from the execution worker, at the journal's millisecond resolution.
 */
export class SignalToOrderFeed {
  private last: { key: number | string; created: number } = { key: 0, created: 0 };
  private readonly waiting = new Map<number | string, number>();

  constructor(private readonly now: () => number) {}

  /** Start after what is already journaled (history is not re-observed on every restart). */
  start(db: Db): void {
    const row = db.prepare(QUERIES[storeKind(db)].start).get() as { m: number | string; c: number };
    this.last = { key: row.m, created: row.c };
    this.waiting.clear();
  }

  /** Seconds for each intent sent since the last poll. */
  poll(db: Db): number[] {
    const q = QUERIES[storeKind(db)];
    const out: number[] = [];
    const take = (row: Row) => {
      if (row.sent !== null) {
        this.waiting.delete(row.r);
        if (row.sent >= row.received) out.push((row.sent - row.received) / 1000);
      } else if (this.now() - row.created > GIVE_UP_MS) this.waiting.delete(row.r);
      else this.waiting.set(row.r, row.created);
    };
    if (this.waiting.size) {
      const ids = JSON.stringify([...this.waiting.keys()]);
      for (const row of db.prepare(`SELECT ${q.cols} WHERE ${q.waiting}`).all(ids) as Row[]) take(row);
    }
    const after = storeKind(db) === 'postgres' ? [this.last.created, this.last.key] : [this.last.key];
    const rows = db.prepare(`SELECT ${q.cols} WHERE ${q.after} LIMIT 10000`).all(...after) as Row[];
    for (const row of rows) {
      take(row);
      this.last = { key: row.r, created: row.created };
    }
    return out;
  }
}
