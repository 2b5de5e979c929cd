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
  /** Accounts that trade in a mode of their own, other than `mode` (e.g. one on live while the rest are on paper). */
  accountModes?: { account: string; mode: Mode }[];
  /** Circuit breaker of the default account, or of an account whose breaker is open (halted first). */
  breaker?: BreakerDto | AccountBreakerDto;
}

export interface BreakerDto {
  state: 'closed' | 'open' | 'half-open';
  /** Failures counted in the current window. */
  failures: number;
  reason: string | null;
  /** When an open breaker re-arms by itself (epoch ms), null when only by hand. */
  reopensAt: number | null;
}

/**
 * One account's circuit breaker. `open`: trading on the account is halted; `half-open`: re-armed
 * after the cool-down, the next failure opens it again at once, the next order the exchange
 * accepts closes it.
 */
export interface AccountBreakerDto extends BreakerDto {
  account: string;
  /** When it last opened (epoch ms); null if it has not since start. */
  openedAt: number | null;
  /** The last failure counted, in the exchange's words. */
  lastFailure: string | null;
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

// ---- Control surface for the UI (settings, accounts, tunnel, health, ledger views) ----

/** The kill switch: while paused, alerts are still received and journaled, never executed. */
export interface TradingStateDto {
  paused: boolean;
  reason: string | null;
  /** When it was last switched (epoch ms), null if never since start. */
  changedAt: number | null;
}

/** Risk limits; null means "no limit". Global in settings, and per strategy on top. */
export interface LimitsDto {
  maxOrderNotional: number | null;
  maxPositionPerSymbol: number | null;
  maxTotalExposure: number | null;
  maxOrdersPerMinute: number | null;
  dailyLossLimit: number | null;
  maxAlertAgeSec: number | null;
  /** Empty: every symbol allowed. */
  allowedSymbols: string[];
}

export const ORDER_TYPES = ['market', 'limit'] as const;

/** A strategy as configured in the setup wizard / settings: what its alerts default to. */
export interface StrategyDto {
  name: string;
  /** Account alias the strategy trades on (an account = exchange + mode + keys). */
  account: string;
  /** TradingView symbol used in the generated alert message (e.g. BINANCE:BTCUSDT). */
  symbol: string;
  /** Default quantity in any accepted form: `0.01`, `100usdt`, `25%`, `risk=1%`. */
  quantity: string;
  orderType: (typeof ORDER_TYPES)[number];
  limits: LimitsDto;
}

export interface NotificationSettingsDto {
  fills: boolean;
  rejectedAlerts: boolean;
  errors: boolean;
  breaker: boolean;
  tunnelDown: boolean;
  urlChanged: boolean;
  /** Telegram bot (the bot token itself lives in the secret store). */
  telegram: { enabled: boolean; chatId: string | null; tokenSet: boolean };
  /** Discord webhook (the webhook URL lives in the secret store). */
  discord: { enabled: boolean; urlSet: boolean };
}

export type TunnelProvider = 'localtunnel' | 'manual' | 'none';

/** An account alias as configured: its exchange (and URL) and mode when not the global ones. */
export interface AccountSettingsDto {
  name: string;
  exchange: string | null;
  exchangeUrl: string | null;
  mode: Mode | null;
}

export interface SettingsDto {
  mode: Mode;
  exchange: string;
  exchangeUrl: string | null;
  tunnel: { provider: TunnelProvider; subdomain: string | null; publicUrl: string | null; host: string | null };
  limits: LimitsDto;
  strategies: StrategyDto[];
  notifications: NotificationSettingsDto;
  startAtLogin: boolean;
  /** Null until the setup wizard was finished (the UI shows the wizard on first run). */
  setupCompletedAt: number | null;
  /** What keeps secrets on this machine ("keychain", "file", "environment"…). */
  secretStore: string;
  /** Account aliases beyond the default (`main`) with their own exchange or URL. */
  accounts?: AccountSettingsDto[];
  /** Circuit breaker settings (per account). */
  breaker?: { maxFailures: number; windowSec: number; coolDownSec: number };
  /** Reconciliation settings. */
  reconciliation?: { intervalSec: number; toleranceValue: number; tolerancePct: number };
}

/** What the UI may know of stored exchange keys: set or not, and the API key's last 4 characters. */
export interface CredentialsDto {
  account: string;
  mode: Mode;
  apiKey: { set: boolean; last4: string | null };
  secret: { set: boolean };
  password: { set: boolean };
}

/** Result of a read-only call with stored keys (fetch balance). `message` is the exchange's words. */
export interface CredentialCheckDto {
  ok: boolean;
  account: string;
  mode: Mode;
  exchange: string;
  message: string;
  /** Non-zero balances, when the call succeeded. */
  balances: { currency: string; free: number; total: number }[];
}

export type TunnelStateDto = 'starting' | 'online' | 'degraded' | 'offline' | 'stopped';

export interface TunnelStatusDto {
  provider: TunnelProvider;
  state: TunnelStateDto;
  /** Public base URL (https://…), without the /webhook path. */
  publicUrl: string | null;
  lastProbeMs: number | null;
  lastProbeAt: number | null;
  lastError: string | null;
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
  signalToOrderMs: LatencyDto | null;
  /** Orders that reached the exchange / orders tried; null when none were tried. */
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

export interface OrderDto {
  clientOrderId: string;
  alertId: string;
  leg: number;
  account: string;
  mode: Mode;
  exchange: string;
  strategy: string;
  symbol: string;
  side: string;
  type: string;
  amount: number;
  price: number | null;
  purpose: string;
  status: string;
  exchangeOrderId: string | null;
  filled: number;
  average: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  updatedAt: number;
}

/** An account's balances on the current venue (paper, or the exchange). */
export interface BalancesDto {
  account: string;
  mode: Mode;
  /** `paper` or the ccxt exchange id. */
  exchange: string;
  balances: { currency: string; free: number; used: number; total: number }[];
}

/** One fill of an order as an event carries it (the journal's row is FillDto). */
export interface OrderFillDto {
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
}

export interface FillDto {
  id: number;
  clientOrderId: string;
  tradeId: string;
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
  side: string;
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
  time: number;
}

export interface PositionDto {
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
  qty: number;
  avgEntry: number;
  realizedPnl: number;
  fees: number;
  /** Last known price (latest fill or alert price for the symbol), null if none. */
  markPrice: number | null;
  unrealizedPnl: number | null;
  updatedAt: number;
}

export interface PnlPointDto {
  time: number;
  /** Cumulative realized P&L net of fees, in quote currency. */
  value: number;
}

export interface PnlHistoryDto {
  points: PnlPointDto[];
  fills: FillDto[];
}

/** A trade export (`exportTrades`): the file's name, type and text, ready to download. */
export interface TradeExportDto {
  filename: string;
  contentType: string;
  content: string;
  /** Fills (or strategies, for a summary) in the file. */
  rows: number;
}

// ---- Risk and positions: accounts, limits in force, P&L summaries, reconciliation ----

/** An account alias: exchange + mode (its own, else the global one) + keys. */
export interface AccountDto {
  name: string;
  mode: Mode;
  /** `paper` in paper mode, else the ccxt exchange id. */
  exchange: string;
  exchangeUrl: string | null;
  /** The account alerts trade on when neither they nor their strategy name one. */
  isDefault: boolean;
  /** Strategies configured to trade on it. */
  strategies: string[];
  /** Keys stored for this mode (always true in paper mode, which needs none). */
  keysSet: boolean;
  breaker: AccountBreakerDto;
}

export type LimitName = keyof LimitsDto;

/** The limits in force for an account (and a strategy's alerts on it), and what they measure now. */
export interface LimitsStateDto {
  account: string;
  strategy: string | null;
  /** Each limit with where it comes from: the strategy's own (measured on its own trades) or the global one (on the account's). */
  limits: { [K in LimitName]: { value: LimitsDto[K]; source: 'strategy' | 'global' } };
  /** Limits are in USD: USD stablecoins count 1:1, other quote currencies are converted at the last price. */
  currency: 'USD';
  usage: {
    /** Orders (entries and exits, not protective ones) created in the last 60 s. */
    ordersLastMinute: number;
    /** Realized P&L net of fees since 00:00 UTC (negative: a loss). */
    realizedToday: number;
    /** Open positions and open entry orders, valued; null when a price is missing. */
    exposure: number | null;
    positions: { symbol: string; qty: number; value: number | null }[];
  };
}

/** Realized P&L of one strategy (one row per quote currency it trades in). */
export interface PnlStrategyDto {
  account: string;
  mode: Mode;
  strategy: string;
  quote: string;
  realizedPnl: number;
  fees: number;
  /** realizedPnl - fees. */
  net: number;
  fills: number;
  /** Markets where it holds a position now. */
  openPositions: number;
}

/** Realized P&L of one UTC day (per quote currency). */
export interface PnlDayDto {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  quote: string;
  realizedPnl: number;
  fees: number;
  net: number;
  fills: number;
}

export interface PnlSummaryDto {
  byStrategy: PnlStrategyDto[];
  /** Oldest first, days with fills only. */
  byDay: PnlDayDto[];
}

/** One asset (spot) or contract position (derivatives) in a reconciliation. */
export interface ReconAssetDto {
  asset: string;
  kind: 'balance' | 'position';
  /** What the exchange holds (free + locked in open orders), or its position in contracts. */
  exchange: number;
  /** Of which locked in open orders. */
  locked: number;
  /** What the account held besides Pinebridge's trades when the baseline was taken. */
  baseline: number;
  /** The net of Pinebridge's own fills since (bought - sold - fees paid in it). */
  ledger: number;
  /** baseline + ledger. */
  expected: number;
  /** exchange - expected. */
  difference: number;
  /** |difference| in USD, null when no price is known. */
  value: number | null;
  drift: boolean;
}

export interface ReconciliationDto {
  account: string;
  mode: Mode;
  exchange: string;
  /** ok; drift: a difference above the tolerance; unsettled: orders in flight make it inconclusive; error: the exchange could not be asked. */
  status: 'ok' | 'drift' | 'unsettled' | 'error';
  trigger: 'start' | 'periodic' | 'manual';
  checkedAt: number;
  /** When the baseline (what the account held outside Pinebridge) was taken or last accepted. */
  baselineAt: number | null;
  message: string;
  assets: ReconAssetDto[];
  /** Orders of the account resting on the exchange (their funds are in `locked`). */
  openOrders: number;
}
