/**
 * `pinebridge serve --mode live` against the exchange simulator, for the reliability suite: keys
 * from PINEBRIDGE_API_KEY / PINEBRIDGE_API_SECRET, the webhook secret from the environment, and
 * fast execution settings in `<data-dir>/settings.json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from './exchange-simulator/index.js';
import { NO_LIMITS } from '../../shared/api.js';
import { spawnServe, type ServeProcess } from './serve-process.js';

/** Quick retries and short exchange timeouts: tests never wait seconds between tries. */
export const FAST_EXECUTION = { exchangeTimeoutMs: 1000, recvWindowMs: 1000, backoffMs: 20, maxBackoffMs: 100, pollIntervalSec: 0.2 };

/**
 * No risk limits and a breaker that never opens: the reliability suite measures exactly-once
 * delivery under crashes and faults, not the risk policy (whose defaults would refuse a burst).
 * Keys the schema does not know yet are dropped by it, so this is safe before risk lands.
 */
export const NO_RISK_LIMITS = {
  limits: NO_LIMITS,
  breaker: { maxFailures: 1000, windowSec: 10, coolDownSec: 1 },
};

export function writeSettings(dataDir: string, settings: Record<string, unknown>): void {
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Settings of one Binance USDⓈ-M account `perp` on the simulator: no risk limits, fast execution, no periodic reconciliation. */
export function writePerpSettings(dataDir: string, sim: Pick<Simulator, 'url'>): void {
  writeSettings(dataDir, { ...NO_RISK_LIMITS, accounts: [{ name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url }], reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION });
}

export interface LiveServeOptions {
  dataDir: string;
  sim: Simulator;
  webhookSecret: string;
  /** Defaults to the simulator's keys. */
  apiKey?: string;
  apiSecret?: string;
  args?: string[];
  env?: Record<string, string>;
}

export function spawnLive(o: LiveServeOptions): Promise<ServeProcess> {
  return spawnServe({
    dataDir: o.dataDir,
    args: ['--mode', 'live', '--exchange-url', o.sim.url, ...(o.args ?? [])],
    env: {
      PINEBRIDGE_API_KEY: o.apiKey ?? o.sim.apiKey,
      PINEBRIDGE_API_SECRET: o.apiSecret ?? o.sim.secret,
      PINEBRIDGE_WEBHOOK_SECRET: o.webhookSecret,
      ...o.env,
    },
  });
}

export interface WebhookAnswer {
  status: number;
  json: { status?: string; alertId?: string; error?: { code?: unknown; message?: unknown } } | null;
  text: string;
}

/** POSTs a JSON alert to a server's webhook and returns whatever it answered. */
export async function postWebhook(
  url: string,
  body: unknown,
  o: { path?: string; xff?: string; contentType?: string; signal?: AbortSignal } = {},
): Promise<WebhookAnswer> {
  const res = await fetch(url + (o.path ?? ''), {
    method: 'POST',
    headers: { 'content-type': o.contentType ?? 'application/json', ...(o.xff ? { 'x-forwarded-for': o.xff } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const text = await res.text();
  let json: WebhookAnswer['json'] = null;
  try {
    json = JSON.parse(text) as WebhookAnswer['json'];
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}
