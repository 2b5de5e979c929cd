/**
 * Settings as the UI edits them: mode, exchange, tunnel, limits, strategies, notifications, accounts.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { Mode } from './mode.js';
import type { LimitsDto } from './risk.js';
import type { TunnelProvider } from './tunnel.js';

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
  /** Derivatives: leverage and margin mode of alerts that name none (the account's own when unset). */
  leverage?: number;
  marginMode?: 'cross' | 'isolated';
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
  /** Live mode on an exchange that is not verified is allowed (the user's explicit opt-in). */
  allowUntestedExchange?: boolean;
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
