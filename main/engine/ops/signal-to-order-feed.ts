import type { Db } from '../journal/database.js';

interface Row {
  r: number;
  sent: number | null;
  received: number;
  created: number;
}

const COLS = `i.rowid AS r, i.sent_at AS sent, a.received_at AS received, i.created_at AS created
  FROM order_intents i JOIN alerts a ON a.id = i.alert_id`;
/** An intent not sent after this long is given up on (rejected before sending, or never sent). */
const GIVE_UP_MS = 60 * 60 * 1000;

/**
 * Reads signal-to-order times (alert received -> order sent) from the journal, each intent once:
 * new intents by rowid, plus those seen before they were sent. Works with no cooperation from
 * the execution worker, at the journal's millisecond resolution.
 */
export class SignalToOrderFeed {
  private last = 0;
  private readonly waiting = new Map<number, number>();

  constructor(private readonly now: () => number) {}

  /** Start after what is already journaled (history is not re-observed on every restart). */
  start(db: Db): void {
    this.last = (db.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM order_intents`).get() as { m: number }).m;
    this.waiting.clear();
  }

  /** Seconds for each intent sent since the last poll. */
  poll(db: Db): number[] {
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
      for (const row of db.prepare(`SELECT ${COLS} WHERE i.rowid IN (SELECT value FROM json_each(?))`).all(ids) as Row[]) take(row);
    }
    const rows = db.prepare(`SELECT ${COLS} WHERE i.rowid > ? ORDER BY i.rowid LIMIT 10000`).all(this.last) as Row[];
    for (const row of rows) {
      take(row);
      this.last = row.r;
    }
    return out;
  }
}
