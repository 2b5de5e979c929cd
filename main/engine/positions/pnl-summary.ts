/**
 * Realized P&L per strategy and per UTC day, from the ledger itself: each strategy's position row
 * (realized P&L and fees since its first fill) and the daily sums of each fill's own result (what
 * it realized and paid, recorded as it was applied; `pnl_daily`, kept by the journal on each
 * fill). Amounts are in each market's quote currency, one row per quote currency: nothing is
 * converted. Each account counts in the mode it trades in now.
 */
import { utcDate, utcDay } from '../market/utc-day.js';
import type { Mode } from '../../../shared/dto/mode.js';
import type { PnlDayDto, PnlStrategyDto, PnlSummaryDto } from '../../../shared/dto/positions.js';
import type { Journal } from '../journal/journal.js';
import { quoteOf } from '../market/money.js';

export interface PnlSummaryQuery {
  /** The mode each account trades in (its own, else the global one). */
  modeOf: (account: string) => Mode;
  account?: string;
  strategy?: string;
  /** Days back from today (UTC), default 30. */
  days?: number;
  now: number;
}

export function pnlSummary(j: Journal, q: PnlSummaryQuery): PnlSummaryDto {
  const where = ['1 = 1'];
  const params: unknown[] = [];
  const current = (r: { account: string; mode: string }) => q.modeOf(r.account) === r.mode;
  if (q.account) {
    where.push('account = ?');
    params.push(q.account);
  }
  if (q.strategy) {
    where.push('strategy = ?');
    params.push(q.strategy);
  }
  const w = where.join(' AND ');

  const positions = j.db
    .prepare(`SELECT account, mode, strategy, symbol, qty, realized_pnl, fees FROM positions WHERE ${w}`)
    .all(...params)
    .filter((r) => current(r as { account: string; mode: string })) as { account: string; mode: Mode; strategy: string; symbol: string; qty: number; realized_pnl: number; fees: number }[];
  // pnl_daily: per day, strategy and market, kept by the journal on each fill; a few rows per day.
  const fillCounts = (
    j.db.prepare(`SELECT account, mode, strategy, symbol, SUM(fills) AS n FROM pnl_daily WHERE ${w} GROUP BY account, mode, strategy, symbol`).all(...params) as {
      account: string;
      mode: string;
      strategy: string;
      symbol: string;
      n: number;
    }[]
  ).filter(current);
  const count = new Map(fillCounts.map((f) => [`${f.account}\u0000${f.strategy}\u0000${f.symbol}`, f.n]));
  const byStrategy = new Map<string, PnlStrategyDto>();
  for (const p of positions) {
    const quote = quoteOf(p.symbol);
    const key = `${p.account}\u0000${p.strategy}\u0000${quote}`;
    const row = byStrategy.get(key) ?? { account: p.account, mode: p.mode, strategy: p.strategy, quote, realizedPnl: 0, fees: 0, net: 0, fills: 0, openPositions: 0 };
    row.realizedPnl += p.realized_pnl;
    row.fees += p.fees;
    row.fills += count.get(`${p.account}\u0000${p.strategy}\u0000${p.symbol}`) ?? 0;
    if (p.qty !== 0) row.openPositions += 1;
    byStrategy.set(key, row);
  }

  const since = utcDay(q.now) - ((q.days ?? 30) - 1);
  const days = j.db
    .prepare(
      `SELECT account, mode, symbol, day, SUM(realized) AS realized, SUM(fees) AS fee, SUM(fills) AS n FROM pnl_daily
       WHERE ${w} AND day >= ? GROUP BY account, mode, symbol, day`,
    )
    .all(...params, since)
    .filter((r) => current(r as { account: string; mode: string })) as { symbol: string; day: number; realized: number; fee: number; n: number }[];
  const byDay = new Map<string, PnlDayDto>();
  for (const f of days) {
    const day = utcDate(f.day);
    const quote = quoteOf(f.symbol);
    const key = `${day}\u0000${quote}`;
    const row = byDay.get(key) ?? { day, quote, realizedPnl: 0, fees: 0, net: 0, fills: 0 };
    row.realizedPnl += f.realized;
    row.fees += f.fee;
    row.fills += f.n;
    byDay.set(key, row);
  }
  const tidy = <T extends { realizedPnl: number; fees: number; net: number }>(r: T): T => ({
    ...r,
    realizedPnl: round(r.realizedPnl),
    fees: round(r.fees),
    net: round(r.realizedPnl - r.fees),
  });
  return {
    byStrategy: [...byStrategy.values()].map(tidy).sort((a, b) => a.account.localeCompare(b.account) || a.strategy.localeCompare(b.strategy) || a.quote.localeCompare(b.quote)),
    byDay: [...byDay.values()].map(tidy).sort((a, b) => a.day.localeCompare(b.day) || a.quote.localeCompare(b.quote)),
  };
}

function round(n: number): number {
  return Number(n.toFixed(8));
}
