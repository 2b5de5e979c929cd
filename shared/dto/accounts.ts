/**
 * Accounts: aliases (exchange + mode + keys), what is known of their keys, their balances.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { Mode } from './mode.js';
import type { AccountBreakerDto } from './risk.js';

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
  /** Whether its exchange answers (paper: the simulated venue), and when it last did. */
  reach: AccountReachDto;
}

export interface AccountReachDto {
  /** `unknown`: not asked since the start. */
  state: 'reachable' | 'unreachable' | 'unknown';
  detail: string | null;
  lastAnswerAt: number | null;
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

/** An account's balances on the current venue (paper, or the exchange). */
export interface BalancesDto {
  account: string;
  mode: Mode;
  /** `paper` or the ccxt exchange id. */
  exchange: string;
  balances: { currency: string; free: number; used: number; total: number }[];
}
