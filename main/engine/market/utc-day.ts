/**
 * UTC days, as the journal counts them (`ts / 86400000` in pnl_daily): the daily-loss limit and
 * the P&L history reset at 00:00 UTC whatever the machine's time zone.
 */
export const DAY_MS = 86_400_000;

/** The day number of a time (days since 1970-01-01 UTC). */
export function utcDay(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

/** `2026-12-03` for a day number. */
export function utcDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
