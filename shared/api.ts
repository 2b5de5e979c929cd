/**
 * The one contract between the engine and every client (Electron IPC, the HTTP control API, the
 * renderer). Every command is declared once here with its zod argument schema and its result
 * type; every event the engine emits is declared in `EngineEvent`.
 *
 * Pure TypeScript: no Node or DOM imports (ESLint enforces it).
 */
import { z } from 'zod';
import type { AccountDto, BalancesDto, CredentialCheckDto, CredentialsDto } from './dto/accounts.js';
import type { AlertDetailDto, AlertSummaryDto, TestAlertResultDto } from './dto/alerts.js';
import type { LogEntryDto } from './dto/logs.js';
import type { ProbeReportDto } from './dto/probe.js';
import type { FillDto, OrderDto, OrderFillDto } from './dto/orders.js';
import type { PnlHistoryDto, PnlSummaryDto, PositionDto, PositionParityDto, TradeExportDto } from './dto/positions.js';
import type { ReconciliationDto } from './dto/reconciliation.js';
import type { BacktestComparisonDto } from './dto/backtest.js';
import type { ClusterDto } from './dto/cluster.js';
import type { AlertLatencyDto, LatencyStatsDto } from './dto/latency.js';
import type { AccountBreakerDto, LimitName, LimitsStateDto, TradingStateDto } from './dto/risk.js';
import type { SettingsDto } from './dto/settings.js';
import type { HealthDto, StatusDto } from './dto/status.js';
import type { TunnelStatusDto, WebhookInfoDto } from './dto/tunnel.js';
import { MODES } from './dto/mode.js';
import { accountAlias, strategyName, strategyInput, settingsPatch } from './api-inputs.js';

export { limitsInput, strategyInput, settingsPatch } from './api-inputs.js';

// The DTOs travel with the contract: clients import them from here.
export * from './dto/accounts.js';
export * from './dto/alerts.js';
export * from './dto/backtest.js';
export * from './dto/cluster.js';
export * from './dto/exchange-support.js';
export { CCXT_EXCHANGES, CCXT_VERSION } from './dto/ccxt-exchanges.js';
export * from './dto/latency.js';
export * from './dto/logs.js';
export * from './dto/mode.js';
export * from './dto/orders.js';
export * from './dto/positions.js';
export * from './dto/probe.js';
export * from './dto/reconciliation.js';
export * from './dto/risk.js';
export * from './dto/settings.js';
export * from './dto/status.js';
export * from './dto/tunnel.js';

/** Errors are values at boundaries: a person reads `message`, a program reads `code`. */
export interface ApiError {
  code: string;
  message: string;
}
export type ApiResult<T> = { ok: true; result: T } | { ok: false; error: ApiError };

/**
 * Tags a command's argument schema with the type its handler resolves to, so the schema table
 * below is the whole contract (arguments and result) and `PinebridgeApi` is derived from it.
 * The tag exists only for the compiler: at run time the schema is returned untouched.
 */
declare const resultTag: unique symbol;
type Returning<S extends z.ZodType, R> = S & { readonly [resultTag]: R };
function returns<R>() {
  return <S extends z.ZodType>(schema: S): Returning<S, R> => schema as Returning<S, R>;
}

/** Argument schemas, validated at every edge (IPC handler, HTTP adapter) before the engine sees them. */
export const commandArgs = {
  getStatus: returns<StatusDto>()(z.object({}).strict()),
  getWebhookInfo: returns<WebhookInfoDto>()(z.object({}).strict()),
  listAlerts: returns<AlertSummaryDto[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(500).optional(),
        beforeSeq: z.number().int().positive().optional(),
        status: z.string().max(32).optional(),
        strategy: z.string().max(64).optional(),
      })
      .strict(),
  ),
  getAlert: returns<AlertDetailDto | null>()(z.object({ id: z.string().min(1).max(64) }).strict()),
  recentLogs: returns<LogEntryDto[]>()(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict()),

  // Kill switch
  pauseTrading: returns<TradingStateDto>()(z.object({ reason: z.string().trim().max(200).optional() }).strict()),
  resumeTrading: returns<TradingStateDto>()(z.object({}).strict()),

  // Settings, strategies, notifications
  getSettings: returns<SettingsDto>()(z.object({}).strict()),
  /** Refused with code `confirm_live` when it switches to live without `confirmLive: true`. */
  updateSettings: returns<SettingsDto>()(z.object({ patch: settingsPatch, confirmLive: z.boolean().optional() }).strict()),
  saveStrategy: returns<SettingsDto>()(z.object({ strategy: strategyInput }).strict()),
  deleteStrategy: returns<SettingsDto>()(z.object({ name: strategyName }).strict()),
  /** Stores (or with null, deletes) a notification channel secret; returns the settings. */
  setNotificationSecret: returns<SettingsDto>()(
    z
      .object({ kind: z.enum(['telegramToken', 'discordWebhookUrl']), value: z.string().trim().min(1).max(512).nullable() })
      .strict(),
  ),

  // Exchange keys (kept in the secret store; the UI only ever sees set / not set and last 4)
  listCredentials: returns<CredentialsDto[]>()(z.object({}).strict()),
  setCredentials: returns<CredentialsDto>()(
    z
      .object({
        account: accountAlias,
        mode: z.enum(MODES),
        apiKey: z.string().trim().min(1).max(512),
        secret: z.string().trim().min(1).max(512),
        password: z.string().trim().min(1).max(512).optional(),
      })
      .strict(),
  ),
  deleteCredentials: returns<CredentialsDto>()(z.object({ account: accountAlias, mode: z.enum(MODES) }).strict()),
  /** A read-only call (balance) with the stored keys; never throws for the exchange's refusal. */
  checkCredentials: returns<CredentialCheckDto>()(z.object({ account: accountAlias, mode: z.enum(MODES) }).strict()),
  /**
   * The conformance probe on the account's exchange with its testnet keys: places, looks up and
   * cancels a far-from-market order by clientOrderId, checks reduce-only, trigger orders, position
   * mode and balances; cancels whatever it placed. Never throws for the exchange's answers.
   */
  probeExchange: returns<ProbeReportDto>()(
    z
      .object({
        account: accountAlias.default('main'),
        /** Unified ccxt symbol (`BTC/USDT`, `BTC/USDT:USDT` for a perpetual); default BTC/USDT. */
        symbol: z.string().trim().min(3).max(64).regex(/^[A-Za-z0-9]+\/[A-Za-z0-9]+(:[A-Za-z0-9]+)?$/, { error: 'symbol: a ccxt symbol like BTC/USDT or BTC/USDT:USDT' }).optional(),
      })
      .strict(),
  ),

  // Tunnel
  getTunnelStatus: returns<TunnelStatusDto>()(z.object({}).strict()),
  startTunnel: returns<TunnelStatusDto>()(z.object({}).strict()),
  stopTunnel: returns<TunnelStatusDto>()(z.object({}).strict()),
  probeTunnel: returns<TunnelStatusDto>()(z.object({}).strict()),

  /** Posts a test alert for a strategy to the public (or local) webhook URL from the engine side. */
  sendTestAlert: returns<TestAlertResultDto>()(
    z
      .object({
        strategy: strategyName,
        via: z.enum(['public', 'local']).default('public'),
        action: z.enum(['buy', 'sell', 'close']).default('buy'),
        /** The price to put in the alert (`{{close}}` in TradingView); paper fills at it. */
        price: z.string().trim().regex(/^\d+(\.\d+)?$/, { error: 'price: a number like 64000.5' }).optional(),
      })
      .strict(),
  ),

  getHealth: returns<HealthDto>()(z.object({}).strict()),

  // Ledger views
  listOrders: returns<OrderDto[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(500).optional(),
        alertId: z.string().min(1).max(64).optional(),
        strategy: z.string().max(64).optional(),
        beforeCreatedAt: z.number().int().positive().optional(),
        /** The next page: the orders listed after this one (its createdAt, leg and clientOrderId). */
        after: z.object({ createdAt: z.number().int(), leg: z.number().int(), clientOrderId: z.string().min(1).max(64) }).strict().optional(),
      })
      .strict(),
  ),
  listFills: returns<FillDto[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(5000).optional(),
        strategy: z.string().max(64).optional(),
        account: z.string().max(64).optional(),
        since: z.number().int().nonnegative().optional(),
        /** The previous page: the fills older than this one (its time and id). */
        before: z.object({ time: z.number().int(), id: z.number().int() }).strict().optional(),
      })
      .strict(),
  ),
  getPositions: returns<PositionDto[]>()(z.object({ account: z.string().max(64).optional(), strategy: z.string().max(64).optional(), includeFlat: z.boolean().optional() }).strict()),
  getPnlHistory: returns<PnlHistoryDto>()(z.object({ account: z.string().max(64).optional(), strategy: z.string().max(64).optional() }).strict()),

  /**
   * Fills with fees, P&L per strategy and slippage, for accounting (same as `pinebridge export
   * trades`), as a file for the UI to download.
   */
  exportTrades: returns<TradeExportDto>()(
    z
      .object({
        /** Epoch ms, inclusive. */
        from: z.number().int().nonnegative().optional(),
        /** Epoch ms, exclusive. */
        to: z.number().int().positive().optional(),
        format: z.enum(['csv', 'json']).default('csv'),
        /** CSV of the per-strategy totals instead of the fills. */
        summary: z.boolean().optional(),
        mode: z.enum(MODES).optional(),
        strategy: z.string().max(64).optional(),
        account: z.string().max(64).optional(),
      })
      .strict(),
  ),
  /** Balances of an account (the default one when absent) on the current venue. */
  getBalances: returns<BalancesDto>()(z.object({ account: accountAlias.optional() }).strict()),

  // Risk: accounts, the limits in force, circuit breakers
  listAccounts: returns<AccountDto[]>()(z.object({}).strict()),
  /** The limits in force for an account (default: the default account) and a strategy's alerts on it. */
  getLimits: returns<LimitsStateDto>()(z.object({ account: accountAlias.optional(), strategy: strategyName.optional() }).strict()),
  getBreakers: returns<AccountBreakerDto[]>()(z.object({}).strict()),
  /** Re-arms an account's circuit breaker by hand. */
  resetBreaker: returns<AccountBreakerDto>()(z.object({ account: accountAlias }).strict()),

  // Positions: P&L summaries, reconciliation against the exchange
  /** Realized P&L per strategy and per UTC day (last `days` days, default 30), from the ledger. */
  getPnlSummary: returns<PnlSummaryDto>()(
    z
      .object({ account: z.string().max(64).optional(), strategy: z.string().max(64).optional(), days: z.number().int().min(1).max(3660).optional() })
      .strict(),
  ),
  /** The last reconciliation of each account (or of one). */
  getReconciliation: returns<ReconciliationDto[]>()(z.object({ account: accountAlias.optional() }).strict()),
  /** Reconciles now (one account, or every known one). Never trades. */
  reconcile: returns<ReconciliationDto[]>()(z.object({ account: accountAlias.optional() }).strict()),
  /** Takes a new baseline for the account: its current differences become "held outside Pinebridge". */
  acceptReconciliation: returns<ReconciliationDto>()(z.object({ account: accountAlias }).strict()),

  // Latency attribution: where an alert's time goes, from TradingView's fire time to the fill
  /** null when the alert is unknown or was not accepted (nothing to time). */
  getAlertLatency: returns<AlertLatencyDto | null>()(z.object({ id: z.string().min(1).max(64) }).strict()),
  /** Percentiles of each step over the last hour and day. */
  getLatencyStats: returns<LatencyStatsDto>()(z.object({}).strict()),

  // Live vs backtest
  /** Imports a strategy's TradingView "List of trades" CSV (replacing the last one) and compares it; refused with code `bad_csv` and the file's line when it is not one. */
  importBacktest: returns<BacktestComparisonDto>()(
    z
      .object({
        strategy: strategyName,
        csv: z.string().min(1, { error: 'csv: the file is empty' }).max(4_000_000, { error: 'csv: the file is larger than 4 MB: export a shorter period' }),
        fileName: z.string().trim().max(200).optional(),
        /** The chart's time zone, minutes east of UTC (TradingView writes times in it): 0 for UTC, 120 for UTC+2. */
        utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
        windowSec: z.number().int().min(1).max(604_800).optional(),
      })
      .strict(),
  ),
  /** The strategy's imported backtest against its fills (in the mode of its account unless given); null when none was imported. */
  getBacktestComparison: returns<BacktestComparisonDto | null>()(
    z.object({ strategy: strategyName, windowSec: z.number().int().min(1).max(604_800).optional(), mode: z.enum(MODES).optional() }).strict(),
  ),

  // Several nodes on one PostgreSQL journal
  /** The nodes sharing the journal, their roles and last heartbeats; on SQLite `enabled: false` and this node alone. */
  getCluster: returns<ClusterDto>()(z.object({}).strict()),
} as const;

export type CommandName = keyof typeof commandArgs;
export type CommandArgs<C extends CommandName> = z.input<(typeof commandArgs)[C]>;
/** What a command resolves to: the type its entry in `commandArgs` was tagged with. */
export type CommandResult<C extends CommandName> = (typeof commandArgs)[C][typeof resultTag];

/**
 * What the engine offers every client, derived from `commandArgs` (a command is declared once,
 * there). Each transport is checked against it by the compiler; the engine's handlers too.
 */
export type PinebridgeApi = { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };

/**
 * What the Electron preload exposes as `window.pinebridge`: one generic call per command that
 * resolves to the boundary's `ApiResult` (it never rejects for a command's own error), and the
 * event stream. The renderer's IPC client turns it back into a `PinebridgeApi`.
 */
export interface PinebridgeBridge {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<ApiResult<Awaited<ReturnType<PinebridgeApi[C]>>>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** Every event the engine emits, streamed to the UI (IPC or SSE), the tray and notifications. */
export type EngineEvent =
  | { type: 'alert.accepted'; alert: AlertSummaryDto }
  | { type: 'alert.duplicate'; alert: AlertSummaryDto }
  | { type: 'alert.rejected'; alert: AlertSummaryDto }
  | { type: 'alert.updated'; alert: AlertSummaryDto }
  | { type: 'log'; entry: LogEntryDto }
  | { type: 'status'; status: StatusDto }
  | { type: 'trading'; trading: TradingStateDto }
  | { type: 'settings'; settings: SettingsDto }
  | { type: 'tunnel'; tunnel: TunnelStatusDto }
  // Execution: every order outcome, with a message a trader understands.
  | { type: 'order.sent'; order: OrderDto; signalToOrderMs: number | null }
  | { type: 'order.retrying'; order: OrderDto; attempt: number; message: string }
  | { type: 'order.updated'; order: OrderDto }
  | { type: 'order.filled'; order: OrderDto; fill: OrderFillDto }
  | { type: 'order.failed'; order: OrderDto; message: string }
  | { type: 'order.cancelled'; order: OrderDto }
  | { type: 'alert.executed'; alert: AlertSummaryDto; message: string }
  | { type: 'alert.failed'; alert: AlertSummaryDto; message: string }
  | { type: 'alert.skipped'; alert: AlertSummaryDto; message: string }
  | { type: 'position.updated'; position: PositionDto }
  /** An alert's position_size differs from the strategy's ledger after execution (or agrees again). */
  | { type: 'position.parity'; parity: PositionParityDto }
  // Risk and positions
  /** An account's circuit breaker changed state (opened, re-armed, closed). */
  | { type: 'breaker'; account: string; breaker: AccountBreakerDto }
  /** An alert refused by a risk limit before any order, with the numbers. */
  | {
      type: 'risk.rejected';
      alert: AlertSummaryDto;
      account: string;
      limit: LimitName;
      /** Whose limit: the strategy's own or the global one (on the account). */
      scope: 'strategy' | 'account';
      /** What the alert would have made the measured figure, and the limit (USD, count or seconds). */
      value: number | string;
      max: number | string[];
      message: string;
    }
  /** A reconciliation found a drift, or its outcome changed. */
  | { type: 'reconciliation'; reconciliation: ReconciliationDto };

export type EngineEventType = EngineEvent['type'];
