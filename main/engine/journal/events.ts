import type { Db } from './database.js';

export interface StoredEvent {
  seq: number;
  ts: number;
  type: string;
  level: string;
  data: unknown;
}

/** Engine events worth keeping (order outcomes, breaker, tunnel, reconciliation…), newest last. */
export class EventStore {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT INTO events (ts, type, level, data) VALUES (?, ?, ?, ?)`);
  }

  append(ts: number, type: string, level: string, data: unknown): void {
    this.insert.run(ts, type, level, JSON.stringify(data ?? null));
  }

  recent(limit = 100, type?: string): StoredEvent[] {
    const rows = (
      type
        ? this.db.prepare(`SELECT * FROM events WHERE type = ? ORDER BY seq DESC LIMIT ?`).all(type, limit)
        : this.db.prepare(`SELECT * FROM events ORDER BY seq DESC LIMIT ?`).all(limit)
    ) as { seq: number; ts: number; type: string; level: string; data: string }[];
    return rows.map((r) => ({ ...r, data: JSON.parse(r.data) }));
  }
}
