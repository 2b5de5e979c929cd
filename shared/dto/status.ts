/**
 * The engine's status and its health figures (latencies, success and error rates).
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { Mode } from './mode.js';
import type { AccountBreakerDto, BreakerDto } from './risk.js';

/**
 * The one state the header, the tray and `/readyz` agree on, worst first: `not_ready` (a part
 * the engine needs is down: journal, worker, disk), `unreachable` (the exchange does not answer),
 * `halted` (an account's circuit breaker is open), `paused` (the kill switch), `no_public_url`
 * (alerts would trade, but TradingView cannot reach the webhook), `trading`.
 */
export type EngineStateKind = 'trading' | 'paused' | 'halted' | 'unreachable' | 'no_public_url' | 'not_ready';

export interface EngineStateDto {
  kind: EngineStateKind;
  /** What the header says: "Trading", "Halted (breaker on account main)"… */
  label: string;
  /** Why, and what to do, for a person. Null when trading. */
  detail: string | null;
  /** The halted account (kind `halted`). */
  account?: string;
}

export interface StatusDto {
  /** The one truthful state (same readiness as `GET /readyz`). */
  state: EngineStateDto;
  version: string;
  mode: Mode;
  startedAt: number;
  webhook: { listening: boolean; port: number | null; host: string };
  journal: { path: string; alerts: number };
  /** `notSaved`: the state holds in memory only (see TradingStateDto). */
  trading: { paused: boolean; reason: string | null; notSaved?: string };
  /** Accounts that trade in a mode of their own, other than `mode` (e.g. one on live while the rest are on paper). */
  accountModes?: { account: string; mode: Mode }[];
  /** Circuit breaker of the default account, or of an account whose breaker is open (halted first). */
  breaker?: BreakerDto | AccountBreakerDto;
  /** The data dir's disk: while `full`, new alerts get 503 and `problem` says why ("disk full: …"). */
  disk?: { full: boolean; problem: string | null; freeBytes: number | null };
}

export interface LatencyDto {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface HealthWindowDto {
  windowMs: number;
  alerts: number;
  rejected: number;
  webhookAckMs: LatencyDto | null;
  /** Of the window's newest 2000 alerts. */
  signalToOrderMs: LatencyDto | null;
  /** Orders that reached the exchange / orders tried (the window's newest 2000); null when none were tried. */
  executionSuccessRate: number | null;
  /** Rejected or failed alerts / all alerts; null when none arrived. */
  errorRate: number | null;
}

export interface HealthDto {
  now: number;
  startedAt: number;
  uptimeMs: number;
  hour: HealthWindowDto;
  day: HealthWindowDto;
  tunnelRoundTripMs: number | null;
  tunnelCheckedAt: number | null;
}
