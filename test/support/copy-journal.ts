/**
 * Copies a SQLite journal's rows into a fresh PostgreSQL journal (same schema, built by the same
 * migrations), so a suite seeded with SQLite-only SQL (seed-journal.ts) runs on both stores. The
 * rows are taken as they are: triggers are off while copying (the kept figures are copied too),
 * and identity columns continue after the copied ids.
 */
import { Journal } from '../../main/engine/journal/journal.js';
import { sqliteHandle } from '../../main/engine/journal/sql-port.js';

export function copyJournal(from: Journal, url: string): Journal {
  const src = sqliteHandle(from.db);
  if (!src) throw new Error('copyJournal copies from a SQLite journal');
  const to = Journal.open(url);
  const tables = (src.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
  to.transaction(() => {
    to.db.exec(`SET LOCAL session_replication_role = replica`);
    for (const table of tables) {
      const rows = src.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const cols = Object.keys(rows[0] as object);
      const insert = to.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      for (const r of rows) insert.run(...cols.map((c) => r[c]));
    }
    const identities = to.db
      .prepare(`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES'`)
      .all() as { t: string; c: string }[];
    for (const { t, c } of identities) to.db.prepare(`SELECT setval(pg_get_serial_sequence('${t}', '${c}'), coalesce(max(${c}), 0) + 1, false) FROM ${t}`).get();
  });
  return to;
}
