/**
 * Alerts as the journal keeps them (summary and detail), and the answer to a test alert.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */

export const ALERT_STATUSES = [
  'accepted', // journaled, waiting for the execution worker
  'executing',
  'executed',
  'failed', // execution tried and failed (reason says why)
  'skipped', // not executed on purpose (paused, risk limit, nothing to do)
  'rejected', // refused at intake (bad input, auth, rate limit)
  'duplicate', // same idempotency key as an earlier alert: never executed
] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertSummaryDto {
  id: string;
  seq: number;
  receivedAt: number; // epoch ms
  source: string;
  dialect: string | null;
  strategy: string | null;
  action: string | null;
  symbol: string | null;
  status: AlertStatus;
  httpStatus: number;
  reasonCode: string | null;
  reason: string | null;
  duplicateOf: string | null;
}

export interface AlertDetailDto extends AlertSummaryDto {
  /** The body as received, with the secret removed (only its first 1 KiB for an unauthenticated request). */
  body: string;
  /** The received body's size in bytes when `body` keeps only its start; null when it is whole. */
  bodyBytes: number | null;
  /** How the engine read it (the normalized signal), when it could. */
  signal: unknown;
  /** Fields that were ignored or could not be honoured (also in the webhook's answer). */
  warnings: string[];
}

export interface TestAlertResultDto {
  url: string;
  via: 'public' | 'local';
  httpStatus: number;
  /** The webhook's answer as text (JSON for accepted/rejected alerts). */
  answer: string;
  ms: number;
  alertId: string | null;
}
