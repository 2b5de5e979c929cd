/**
 * Settings: persisted in `<data-dir>/settings.json` (validated with zod, never holding a secret),
 * overridden for one run by flags and environment variables.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { MODES } from '../../../shared/dto/mode.js';
import { TRUST_TUNNEL, trustEntryProblem } from './trust-entry.js';
import { PARITY_MODES } from './parity.js';
import { isNumericLimit, LIMIT_NAMES, LIMITS, limitsShape, limitSettingSchema, type LimitName, type LimitValue, type NumericLimitName } from '../../../shared/dto/limits.js';

const port = z.number().int().min(0).max(65535);

/**
 * The global risk limits' defaults (shared/limits.ts, where each one says why), sized against the
 * default paper account (10,000 USDT) so a fresh install cannot lose much to one bad alert.
 * Values in USD (USD stablecoins count 1:1).
 */
export const DEFAULT_LIMITS = Object.fromEntries(
  LIMIT_NAMES.filter(isNumericLimit).map((k) => [k, LIMITS[k].default]),
) as { readonly [K in NumericLimitName]: (typeof LIMITS)[K]['default'] };

type LimitSchemas = { [K in LimitName]: z.ZodDefault<z.ZodType<LimitValue<K>>> };

/** Global risk limits (null: no limit), checked per account. The UI edits them. Symbols empty: every symbol. */
export const limitsSchema = z
  .object(limitsShape<LimitSchemas>((k) => limitSettingSchema(k, true)))
  .prefault({});

/**
 * A strategy's own limits: each one set replaces the global one for the strategy's alerts and is
 * measured on the strategy's own orders, positions and P&L; null (unset) leaves the global one.
 */
export const strategyLimitsSchema = z.object(limitsShape<LimitSchemas>((k) => limitSettingSchema(k, false))).prefault({});

const accountAlias = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, { error: 'account: letters, digits, _ . - only' });

/**
 * An account alias = exchange + mode + keys: an exchange (and optionally its base URL), the mode
 * it trades in (the global one unless it names its own), and its keys for that mode, kept in the
 * secret store as `account:<name>:<mode>:*`.
 */
export const accountSettingsSchema = z.object({
  name: accountAlias,
  /** The global `mode` when unset: e.g. one account on testnet while the rest stay on paper. */
  mode: z.enum(MODES).optional(),
  /** ccxt exchange id; the global `exchange` when unset. */
  exchange: z.string().min(1).max(32).optional(),
  /** The global `exchangeUrl` when unset. */
  exchangeUrl: z.url().optional(),
  /** Paper perpetuals: leverage of positions this account opens (`paper.leverage` when unset). */
  leverage: z.number().min(1).max(125).optional(),
  /**
   * Paper perpetuals: the account is in hedge mode (a long and a short position per market, each
   * order naming its side), as a Binance USDⓈ-M account with Position Mode "Hedge". Default one-way.
   */
  hedgeMode: z.boolean().optional(),
});

export const strategySettingsSchema = z.object({
  name: z.string().min(1).max(64),
  account: z.string().min(1).max(64).default('main'),
  symbol: z.string().min(1).max(64),
  quantity: z.string().min(1).max(32),
  orderType: z.enum(['market', 'limit']).default('market'),
  /** Derivatives: leverage and margin mode for alerts that name none (the account's own when unset). */
  leverage: z.number().min(1).max(125).optional(),
  marginMode: z.enum(['cross', 'isolated']).optional(),
  limits: strategyLimitsSchema,
});

export const settingsSchema = z.object({
  mode: z.enum(MODES).default('paper'),
  /** ccxt exchange id for testnet/live. */
  exchange: z.string().min(1).max(32).default('binance'),
  /** Send the exchange's REST calls here instead (regional endpoint, proxy, the simulator). */
  exchangeUrl: z.url().optional(),
  /**
   * The dead man's switch (README "Dead man's switch"): while Pinebridge runs it keeps renewing the
   * exchange's countdown cancel every `renewSec` on each market with resting entries and no
   * protective order, so if the machine dies those entries are cancelled `countdownSec` later.
   */
  deadManSwitch: z
    .object({ enabled: z.boolean().default(false), countdownSec: z.number().min(1).max(3600).default(120), renewSec: z.number().min(0.2).max(600).default(30) })
    .refine((d) => d.renewSec < d.countdownSec, { message: 'deadManSwitch.renewSec must be shorter than countdownSec' })
    .prefault({}),
  /** Live mode on an exchange that is not verified (`pinebridge exchanges`): the user's explicit opt-in. */
  allowUntestedExchange: z.boolean().default(false),
  webhook: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: port.default(8787),
      dedupWindowSec: z.number().int().min(1).max(86_400).default(60),
      /** A request body still arriving after this long is refused with 408 (slow-loris). */
      bodyTimeoutSec: z.number().min(0.1).max(60).default(10),
      /** The same for requests through Pinebridge's own tunnel, where each one holds one of a few sockets. */
      tunnelBodyTimeoutSec: z.number().min(0.1).max(60).default(3),
      /**
       * Whose X-Forwarded-For is believed (README "Source addresses"): "tunnel" (Pinebridge's own
       * localtunnel connections), a reverse proxy's address, or a CIDR block. Everyone else is
       * known by the socket's address.
       */
      trustProxy: z
        .array(
          z.string().superRefine((entry, ctx) => {
            const problem = trustEntryProblem(entry);
            if (problem) ctx.addIssue({ code: 'custom', message: `webhook.trustProxy: ${problem}` });
          }),
        )
        .max(100)
        .default([TRUST_TUNNEL]),
      /** Refuse (403) alerts from anywhere but TradingView's published webhook addresses. */
      allowTradingViewIpsOnly: z.boolean().default(false),
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
      /** localtunnel: while the server gave another subdomain than ours, ask for ours again this often. */
      reclaimIntervalSec: z.number().min(0.1).max(3600).default(60),
    })
    .prefault({}),
  limits: limitsSchema,
  strategies: z.array(strategySettingsSchema).max(100).default([]),
  /** Account aliases beyond the default: each with its exchange (and URL) and its own keys. */
  accounts: z.array(accountSettingsSchema).max(50).default([]),
  /**
   * Circuit breaker per account: `maxFailures` execution failures (orders the exchange refused or
   * left unanswered, the exchange unreachable) within `windowSec` halt the account's trading;
   * it re-arms after `coolDownSec` (0: only by hand) or by hand.
   */
  breaker: z
    .object({
      maxFailures: z.number().int().min(1).max(1000).default(5),
      windowSec: z.number().int().min(10).max(86_400).default(600),
      coolDownSec: z.number().int().min(0).max(7 * 86_400).default(900),
    })
    .prefault({}),
  /**
   * The ledger against the exchange's balances: on start, every `intervalSec` (0: only on start and
   * on demand) and on demand. A difference worth more than `toleranceValue` (USD) is a drift; an
   * asset with no known price drifts when it is off by more than `tolerancePct` percent.
   */
  reconciliation: z
    .object({
      intervalSec: z.number().int().min(0).max(86_400).default(60),
      toleranceValue: z.number().min(0).default(1),
      tolerancePct: z.number().min(0).max(100).default(0.1),
    })
    .prefault({}),
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
      /** Replaces every paper market's minimum order value; unset: each market's own, as on the exchange. */
      minNotional: z.number().min(0).optional(),
      /**
       * Where paper's markets (symbols, precision, minimums) come from: `auto` asks the configured
       * exchange (public data, no keys) and falls back to the snapshot shipped with Pinebridge;
       * `snapshot` never asks (no network, ccxt not loaded).
       */
      markets: z.enum(['auto', 'snapshot']).default('auto'),
      /** Paper perpetuals: leverage of a position opened from flat (margin = notional / leverage). */
      leverage: z.number().min(1).max(125).default(1),
      /** Paper perpetuals: maintenance margin rate of the liquidation price (Binance's first tier on BTCUSDT: 0.4 %). */
      maintenanceMarginRate: z.number().min(0).max(0.5).default(0.004),
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
      /**
       * No longer read: the max alert age (`limits.maxAlertAgeSec`, per account or strategy) bounds
       * every age check now, an alert without `time` by how long it has waited since it arrived.
       * Kept so an old settings file still loads; the engine warns at start when it is set.
       */
      maxSignalAgeSec: z.number().int().min(1).max(86_400).optional(),
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
      /**
       * An alert's `position_size` ({{strategy.position_size}}) against the strategy's ledger:
       * `warn` trades by the alert's action and reports a difference after execution; `repair`
       * trades to TradingView's position (a missed alert or a manual trade is made good).
       */
      parity: z.enum(PARITY_MODES).default('warn'),
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
  /**
   * Below `minFreeMb` free in the data dir, new alerts are refused (503) so the executor can still
   * finish the ones already taken; also while a write to the journal fails (disk full, I/O error).
   */
  disk: z.object({ minFreeMb: z.number().min(0).max(1_000_000).default(50) }).prefault({}),
  /** How often the configured venue is asked for the account's balance, for `GET /readyz`. */
  readiness: z.object({ venueProbeSec: z.number().min(0.1).max(3600).default(30) }).prefault({}),
  /**
   * Several nodes on one PostgreSQL journal (`--database`): this node's name (default: host name
   * and process id) and the executor lease: a node that stops renewing is replaced after at most
   * `leaseSec` plus a quarter of it (the failover time).
   */
  cluster: z
    .object({
      node: z.string().min(1).max(64).optional(),
      leaseSec: z.number().min(1).max(300).default(10),
    })
    .prefault({}),
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
