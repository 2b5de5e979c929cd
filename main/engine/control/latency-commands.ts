/**
 * Latency attribution: each accepted alert's steps (journal/latency.ts) and their percentiles
 * over the last hour and day, for the alert's detail and the dashboard.
 */
import type { PinebridgeApi } from '../../../shared/api.js';
import { LATENCY_SEGMENTS, type AlertLatencyDto, type LatencySegment, type LatencyWindowDto } from '../../../shared/dto/latency.js';
import type { LatencyDto } from '../../../shared/dto/status.js';
import { alertLatency, latencyWindow } from '../journal/latency.js';
import type { Journal } from '../journal/journal.js';
import { latency } from './health.js';

const HOUR = 3_600_000;
/** The window's newest alerts, at most this many, as the other health figures (a busy day would cost seconds). */
const SAMPLE = 2000;

export type LatencyCommands = Pick<PinebridgeApi, 'getAlertLatency' | 'getLatencyStats'>;

export function createLatencyCommands(d: { journal: Journal; now: () => number }): LatencyCommands {
  return {
    getAlertLatency: async ({ id }) => alertLatency(d.journal.db, id),
    getLatencyStats: async () => {
      const now = d.now();
      const db = d.journal.db;
      return { now, hour: windowStats(latencyWindow(db, now - HOUR, now + 1, SAMPLE), HOUR), day: windowStats(latencyWindow(db, now - 24 * HOUR, now + 1, SAMPLE), 24 * HOUR) };
    },
  };
}

/** The percentiles of each segment over the alerts that have both of its ends (a negative one, from a skewed clock, counts as 0). */
export function windowStats(rows: AlertLatencyDto[], windowMs: number): LatencyWindowDto {
  const segments = {} as Record<LatencySegment, LatencyDto | null>;
  for (const s of LATENCY_SEGMENTS) {
    const values: number[] = [];
    for (const r of rows) {
      // The total runs from the fire time when the message said it, else from the receipt.
      const start = s.key === 'total' ? (r.firedAt ?? r.receivedAt) : r[s.from];
      const end = r[s.to];
      if (typeof start === 'number' && typeof end === 'number') values.push(Math.max(0, end - start));
    }
    segments[s.key] = latency(values);
  }
  return { windowMs, alerts: rows.length, sampleLimit: SAMPLE, segments };
}
