/**
 * Settings: persisted in `<data-dir>/settings.json` (validated with zod, never holding a secret),
 * overridden for one run by flags and environment variables.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { MODES } from '../../shared/dto.js';

const port = z.number().int().min(0).max(65535);

const limit = z.number().positive().nullable().default(null);
/** Risk limits (null: no limit). The risk issue enforces them; the UI edits them. */
export const limitsSchema = z
  .object({
    maxOrderNotional: limit,
    maxPositionPerSymbol: limit,
    maxTotalExposure: limit,
    maxOrdersPerMinute: z.number().int().positive().nullable().default(null),
    dailyLossLimit: limit,
    maxAlertAgeSec: z.number().int().positive().nullable().default(null),
    allowedSymbols: z.array(z.string().min(1).max(64)).max(200).default([]),
  })
  .prefault({});

export const strategySettingsSchema = z.object({
  name: z.string().min(1).max(64),
  account: z.string().min(1).max(64).default('main'),
  symbol: z.string().min(1).max(64),
  quantity: z.string().min(1).max(32),
  orderType: z.enum(['market', 'limit']).default('market'),
  limits: limitsSchema,
});

export const settingsSchema = z.object({
  mode: z.enum(MODES).default('paper'),
  /** ccxt exchange id for testnet/live. */
  exchange: z.string().min(1).max(32).default('binance'),
  /** Send the exchange's REST calls here instead (regional endpoint, proxy, the simulator). */
  exchangeUrl: z.url().optional(),
  webhook: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: port.default(8787),
      dedupWindowSec: z.number().int().min(1).max(86_400).default(60),
      rateLimit: z
        .object({ burst: z.number().int().min(1).default(2000), perSecond: z.number().positive().default(1000) })
        .prefault({}),
    })
    .prefault({}),
  control: z.object({ port: port.default(8788) }).prefault({}),
  tunnel: z
    .object({
      provider: z.enum(['localtunnel', 'manual', 'none']).default('none'),
      /** localtunnel server (default https://localtunnel.me). */
      host: z.url().optional(),
      subdomain: z
        .string()
        .regex(/^[a-z0-9-]{4,63}$/, { error: 'subdomain: 4-63 lowercase letters, digits or -' })
        .optional(),
      /** The manual provider's public https URL. */
      publicUrl: z.url().optional(),
      probeIntervalSec: z.number().int().min(5).max(3600).default(30),
    })
    .prefault({}),
  limits: limitsSchema,
  strategies: z.array(strategySettingsSchema).max(100).default([]),
  /** Which events notify (desktop, and Telegram / Discord when enabled; their tokens are secrets). */
  notifications: z
    .object({
      fills: z.boolean().default(true),
      rejectedAlerts: z.boolean().default(true),
      errors: z.boolean().default(true),
      breaker: z.boolean().default(true),
      tunnelDown: z.boolean().default(true),
      urlChanged: z.boolean().default(true),
      telegram: z
        .object({
          enabled: z.boolean().default(false),
          chatId: z.string().max(64).nullable().default(null),
          /** Bot API server (a self-hosted one, a proxy, a test server). */
          apiBaseUrl: z.url().default('https://api.telegram.org'),
        })
        .prefault({}),
      discord: z
        .object({
          enabled: z.boolean().default(false),
          /** Replaces the origin of the stored webhook URL (a proxy, a test server). */
          apiBaseUrl: z.url().optional(),
        })
        .prefault({}),
      /** What happens within this window is one message per channel (a burst of 1000 rejections is one). */
      batchWindowSec: z.number().int().min(1).max(3600).default(10),
    })
    .prefault({}),
  startAtLogin: z.boolean().default(false),
  /** Set when the setup wizard was finished; the UI shows the wizard until then. */
  setupCompletedAt: z.number().int().nullable().default(null),
  /** The paper venue (the default mode): starting balances of each paper account, fee, slippage. */
  paper: z
    .object({
      balances: z.record(z.string().regex(/^[A-Za-z0-9]{1,16}$/), z.number().nonnegative()).default({ USDT: 10_000 }),
      feeRate: z.number().min(0).max(0.1).default(0.001),
      slippageBps: z.number().min(0).max(1000).default(5),
      /** Minimum order value in the quote currency for paper markets (like Binance's 5 USDT). */
      minNotional: z.number().min(0).default(5),
    })
    .prefault({}),
  /** The execution worker: alerts -> orders. */
  execution: z
    .object({
      /** Account alias used when neither the alert nor the strategy names one. */
      account: z.string().min(1).max(64).default('main'),
      /** ccxt request timeout (ccxt's default, 10 s, when unset). */
      exchangeTimeoutMs: z.number().int().min(100).max(120_000).optional(),
      /** Tries per order (sends and look-ups) on network errors before its outcome is left to recovery. */
      maxAttempts: z.number().int().min(1).max(20).default(6),
      backoffMs: z.number().int().min(1).max(60_000).default(250),
      maxBackoffMs: z.number().int().min(1).max(300_000).default(8000),
      /** An order never sent by this age of its alert is not sent any more (e.g. after a long outage). */
      maxSignalAgeSec: z.number().int().min(1).max(86_400).default(300),
      /** How often resting orders are checked for fills (live and testnet). */
      pollIntervalSec: z.number().min(0.05).max(3600).default(5),
      marketsRefreshSec: z.number().int().min(60).max(86_400).default(3600),
      /** Shutdown waits this long for orders in flight to settle. */
      stopGraceMs: z.number().int().min(0).max(120_000).default(10_000),
      /**
       * The exchange refuses a request older than this (Binance recvWindow). After a lost answer,
       * an order is only re-sent once a look-up this long after the send still does not find it.
       */
      recvWindowMs: z.number().int().min(500).max(60_000).default(5000),
      /** Part of the balance kept back when sizing from it (fees, slippage), percent. */
      balanceBufferPct: z.number().min(0).max(10).default(0.5),
    })
    .prefault({}),
  /** Alerts and events older than this are pruned (on start and daily); orders, fills and positions never are. */
  retention: z.object({ days: z.number().int().min(1).max(36_500).default(90) }).prefault({}),
  /** The log file in the data dir rotates by size and keeps `maxFiles` files (the current one included). */
  logs: z
    .object({ maxSizeMb: z.number().positive().max(1024).default(10), maxFiles: z.number().int().min(1).max(100).default(5) })
    .prefault({}),
  /** On SIGTERM: how long in-flight requests and orders may take to settle before the journal closes. */
  shutdown: z.object({ graceSec: z.number().min(0).max(300).default(10) }).prefault({}),
  /** How often the configured venue is asked for the account's balance, for `GET /readyz`. */
  readiness: z.object({ venueProbeSec: z.number().min(0.1).max(3600).default(30) }).prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export function loadSettings(path: string): Settings {
  if (!existsSync(path)) return settingsSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}). Fix or delete it.`);
  }
  const r = settingsSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`${path}: ${first?.path.join('.') ?? ''} ${first?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Atomic write: a crash mid-write never leaves a half settings file. */
export function saveSettings(path: string, settings: Settings): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** Deep-merge plain objects (for applying flag/env overrides onto settings). */
export function mergeSettings(base: Settings, over: DeepPartial<Settings>): Settings {
  return settingsSchema.parse(merge(base, over));
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
    return out;
  }
  return b;
}
