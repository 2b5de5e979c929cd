/**
 * Where the time of an alert goes, from TradingView's fire time to the fill.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { LatencyDto } from './status.js';

/** The steps of one alert, epoch ms; null when the step did not happen (or is not known). */
export interface AlertLatencyDto {
  alertId: string;
  /** TradingView's fire time, from the message's `time` / `timenow` (`{{timenow}}`); null when it carries none. */
  firedAt: number | null;
  receivedAt: number;
  /** The webhook's answer (after the alert was on disk). */
  answeredAt: number | null;
  /** The alert's first order handed to the exchange. */
  sentAt: number | null;
  /** The exchange's first answer to it (an order id, or a refusal). */
  ackedAt: number | null;
  /** The last of the alert's orders known filled. */
  filledAt: number | null;
}

/** The segments percentiles are taken of, in the order of the timeline. */
export const LATENCY_SEGMENTS = [
  { key: 'tradingview', label: 'TradingView → received', from: 'firedAt', to: 'receivedAt' },
  { key: 'answer', label: 'received → answered', from: 'receivedAt', to: 'answeredAt' },
  { key: 'toOrder', label: 'received → order sent', from: 'receivedAt', to: 'sentAt' },
  { key: 'exchange', label: 'order sent → exchange ack', from: 'sentAt', to: 'ackedAt' },
  { key: 'fill', label: 'exchange ack → filled', from: 'ackedAt', to: 'filledAt' },
  { key: 'total', label: 'fired (or received) → filled', from: 'firedAt', to: 'filledAt' },
] as const satisfies readonly { key: string; label: string; from: keyof AlertLatencyDto; to: keyof AlertLatencyDto }[];
export type LatencySegment = (typeof LATENCY_SEGMENTS)[number]['key'];

export interface LatencyWindowDto {
  windowMs: number;
  /** Alerts of the window measured (its newest, at most `sampleLimit`). */
  alerts: number;
  sampleLimit: number;
  /** null for a segment with no measured alert in the window. */
  segments: Record<LatencySegment, LatencyDto | null>;
}

export interface LatencyStatsDto {
  now: number;
  hour: LatencyWindowDto;
  day: LatencyWindowDto;
}
