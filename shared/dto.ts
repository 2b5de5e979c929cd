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
  /** Circuit breaker of the default account, once risk (issue 4) provides it. */
  breaker?: BreakerDto;
}

export interface BreakerDto {
  state: 'closed' | 'open' | 'half-open';
  /** Failures counted in the current window. */
  failures: number;
  reason: string | null;
  /** When an open breaker re-arms by itself (epoch ms), null when only by hand. */
  reopensAt: number | null;
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
