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
  /** Whether these keys passed a check (absent when none are stored). */
  check?: KeyCheckStateDto;
}

/**
 * What a key check found: `passed` (balances read), `warning` (passed, with something to fix:
 * withdrawals enabled), `refused` (bad key or secret, IP not whitelisted, no trading permission),
 * `unreachable` (the exchange did not answer: nothing is known of the keys), `error` (anything
 * else), `missing` (no keys stored).
 */
export type KeyCheckOutcome = 'passed' | 'warning' | 'refused' | 'unreachable' | 'error' | 'missing';

/** The stored keys' check: `unchecked` until a check passed (new keys, or the last check did not pass). */
export interface KeyCheckStateDto {
  state: 'unchecked' | 'passed' | 'warning';
  /** The last check's outcome and when (epoch ms), null when none since the keys were saved. */
  last: { outcome: KeyCheckOutcome; at: number; message: string } | null;
}

/** Result of a read-only call with stored keys (fetch balance). */
export interface CredentialCheckDto {
  /** True when the keys work (`passed` or `warning`). */
  ok: boolean;
  outcome: KeyCheckOutcome;
  /** Things to fix even though the keys work. */
  warnings: string[];
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
