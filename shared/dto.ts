/** Data shapes that cross the engine boundary. Plain JSON: no classes, no Dates. */

export const MODES = ['paper', 'testnet', 'live'] as const;
export type Mode = (typeof MODES)[number];

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
  /** The body as received, with the secret removed. */
  body: string;
  /** How the engine read it (the normalized signal), when it could. */
  signal: unknown;
}

export interface WebhookInfoDto {
  /** Local listener, e.g. http://127.0.0.1:8787/webhook */
  localUrl: string;
  /** The public HTTPS URL TradingView posts to, when a tunnel or manual URL is configured. */
  publicUrl: string | null;
  /** The secret to put in the alert message (or in the path). Shown to the local user only. */
  secret: string;
}

export interface StatusDto {
  version: string;
  mode: Mode;
  startedAt: number;
  webhook: { listening: boolean; port: number | null; host: string };
  journal: { path: string; alerts: number };
  trading: { paused: boolean; reason: string | null };
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogEntryDto {
  time: number;
  level: LogLevel;
  msg: string;
  strategy?: string;
  alertId?: string;
  data?: Record<string, unknown>;
}
