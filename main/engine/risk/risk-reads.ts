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

/** The position an amount belongs to: `net` in one-way mode (and spot), a side in hedge mode. */
export type SideKey = 'net' | 'long' | 'short';

export interface Holding {
  symbol: string;
  /** One row per side in hedge mode (a long and a short of one market never net). */
  positionSide: SideKey;
  /** Net of the scope's strategies within the side (negative: short). */
  qty: number;
  /** Cost basis of its strategies' positions (sum of |qty| * average entry): over `gross`, a price of last resort. */
  cost: number;
  /** Sum of its strategies' |qty| (what `cost` was paid for). */
  gross: number;
}

export interface OpenEntry {
  symbol: string;
  /** The side it opens in hedge mode (its `positionSide`), else `net`. */
  positionSide: SideKey;
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
  const rows = stmt(
    j,
    `SELECT symbol, position_side AS positionSide, SUM(qty) AS qty, SUM(abs(qty) * avg_entry) AS cost, SUM(abs(qty)) AS gross FROM positions WHERE ${w.sql} GROUP BY symbol, position_side`,
  ).all(...w.params) as Holding[];
  return rows.filter((r) => r.qty !== 0);
}

/** Entry orders that may still fill: not yet answered, or resting on the exchange. */
export function openEntries(j: Journal, s: Scope): OpenEntry[] {
  const w = where(s);
  const rows = stmt(
    j,
    // The partial index holds only unfinished entries; without INDEXED BY the planner takes the
    // (account, mode, created_at) index for an account-wide scope and reads all its history.
    `SELECT symbol, side, CASE WHEN amount > filled THEN amount - filled ELSE 0 END AS remaining, price, params FROM order_intents INDEXED BY intents_open_entries
     WHERE ${w.sql} AND purpose = 'entry' AND status IN ('pending', 'sending', 'unknown', 'open')`,
  ).all(...w.params) as (Omit<OpenEntry, 'positionSide'> & { params: string | null })[];
  return rows.map(({ params, ...o }) => ({ ...o, positionSide: sideOfParams(params) }));
}

function sideOfParams(params: string | null): SideKey {
  if (!params || !params.includes('positionSide')) return 'net';
  const side = (JSON.parse(params) as { positionSide?: unknown }).positionSide;
  return side === 'long' || side === 'short' ? side : 'net';
}
