/**
 * Prepared statements kept per database connection: reads run for every alert (risk limits,
 * prices) would otherwise compile their SQL each time.
 */
import type { Database, Statement } from 'better-sqlite3';

const cache = new WeakMap<Database, Map<string, Statement<unknown[]>>>();

export function prepared(db: Database, sql: string): Statement<unknown[]> {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}
