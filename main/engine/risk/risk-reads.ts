/**
 * What the limits measure, read from the journal: orders of the last minute, realized P&L of the
 * day, positions and open entry orders, per account (global limits) or per strategy (its own).
 */
import type { Mode } from '../../../shared/dto/mode.js';
import type { Journal } from '../journal/journal.js';
import { prepared } from '../journal/statement-cache.js';
import { utcDay } from '../market/utc-day.js';

export interface Scope {
  account: string;
  mode: Mode;
  /** null: the whole account. */
  strategy: string | null;
}

export interface Holding {
  symbol: string;
  /** Net of the scope's strategies (negative: short). */
  qty: number;
  /** Cost basis of the position (|qty| * average entry), a price of last resort. */
  cost: number;
}

export interface OpenEntry {
  symbol: string;
  side: 'buy' | 'sell';
  remaining: number;
  price: number | null;
}

const stmt = (j: Journal, sql: string) => prepared(j.db, sql);

function where(s: Scope): { sql: string; params: unknown[] } {
  return s.strategy === null
    ? { sql: 'account = ? AND mode = ?', params: [s.account, s.mode] }
    : { sql: 'account = ? AND mode = ? AND strategy = ?', params: [s.account, s.mode, s.strategy] };
}

/** Orders (entries and exits; protective orders follow an entry by themselves) created since `since`. */
export function ordersSince(j: Journal, s: Scope, since: number): number {
  const w = where(s);
  const row = stmt(j, `SELECT count(*) AS n FROM order_intents WHERE ${w.sql} AND purpose IN ('entry', 'exit') AND created_at >= ?`).get(...w.params, since) as {
    n: number;
  };
  return row.n;
}

/**
 * Realized P&L net of fees of the UTC day of `now`, per symbol (in its quote currency): the
 * journal's daily aggregates (kept by a trigger on each fill), a few rows however busy the day.
 */
export function realizedToday(j: Journal, s: Scope, now: number): { symbol: string; net: number }[] {
  const w = where(s);
  return stmt(j, `SELECT symbol, SUM(realized - fees) AS net FROM pnl_daily WHERE ${w.sql} AND day = ? GROUP BY symbol`).all(
    ...w.params,
    utcDay(now),
  ) as { symbol: string; net: number }[];
}

export function holdings(j: Journal, s: Scope): Holding[] {
  const w = where(s);
  const rows = stmt(j, `SELECT symbol, SUM(qty) AS qty, SUM(abs(qty) * avg_entry) AS cost FROM positions WHERE ${w.sql} GROUP BY symbol`).all(
    ...w.params,
  ) as Holding[];
  return rows.filter((r) => r.qty !== 0);
}

/** Entry orders that may still fill: not yet answered, or resting on the exchange. */
export function openEntries(j: Journal, s: Scope): OpenEntry[] {
  const w = where(s);
  return stmt(
    j,
    // The partial index holds only unfinished entries; without INDEXED BY the planner takes the
    // (account, mode, created_at) index for an account-wide scope and reads all its history.
    `SELECT symbol, side, max(amount - filled, 0) AS remaining, price FROM order_intents INDEXED BY intents_open_entries
     WHERE ${w.sql} AND purpose = 'entry' AND status IN ('pending', 'sending', 'unknown', 'open')`,
  ).all(...w.params) as OpenEntry[];
}
