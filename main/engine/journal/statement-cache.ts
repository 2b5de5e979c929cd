/**
 * Prepared statements kept per database connection: reads run for every alert (risk limits,
 * prices) would otherwise compile their SQL each time.
 */
import type { SqlDb, SqlStatement } from './sql-port.js';

const cache = new WeakMap<SqlDb, Map<string, SqlStatement>>();

export function prepared(db: SqlDb, sql: string): SqlStatement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}
