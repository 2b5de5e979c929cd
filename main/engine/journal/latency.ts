/**
 * Reads and the one write of the alert_latency table (migration 8). Its other steps are kept by
 * triggers in the transactions that already record them, so they cost no extra commit.
 */
import type { AlertLatencyDto } from '../../../shared/dto/latency.js';
import type { Db } from './database.js';
import { prepared } from './statement-cache.js';

interface LatencyRow {
  alert_id: string;
  received_at: number;
  fired_at: number | null;
  answered_at: number | null;
  sent_at: number | null;
  acked_at: number | null;
  filled_at: number | null;
}

const COLS = 'alert_id, received_at, fired_at, answered_at, sent_at, acked_at, filled_at';

/** When the intake answered these alerts. Not made durable on its own: the next durable commit carries it. */
export function markAnswered(db: Db, answers: readonly { alertId: string; at: number }[]): void {
  const st = prepared(db, `UPDATE alert_latency SET answered_at = coalesce(answered_at, ?) WHERE alert_id = ?`);
  db.transaction(() => {
    for (const a of answers) st.run(a.at, a.alertId);
  })();
}

export function alertLatency(db: Db, alertId: string): AlertLatencyDto | null {
  const row = prepared(db, `SELECT ${COLS} FROM alert_latency WHERE alert_id = ?`).get(alertId) as LatencyRow | undefined;
  return row ? toDto(row) : null;
}

/** The newest `limit` alerts received in [from, to), from the covering index alone. */
export function latencyWindow(db: Db, from: number, to: number, limit: number): AlertLatencyDto[] {
  const rows = prepared(db, `SELECT ${COLS} FROM alert_latency WHERE received_at >= ? AND received_at < ? ORDER BY received_at DESC LIMIT ?`).all(
    from,
    to,
    limit,
  ) as LatencyRow[];
  return rows.map(toDto);
}

function toDto(r: LatencyRow): AlertLatencyDto {
  return {
    alertId: r.alert_id,
    firedAt: r.fired_at,
    receivedAt: r.received_at,
    answeredAt: r.answered_at,
    sentAt: r.sent_at,
    ackedAt: r.acked_at,
    filledAt: r.filled_at,
  };
}
