/**
 * What every risk limit implements (freqtrade's protections: one file per rule, one table). A
 * limit sees the value in force and what to measure, and returns a refusal or null; the runner
 * (limit-check.ts) asks them in the table's order and stops at the first refusal.
 */
import type { Mode } from '../../../../shared/dto/mode.js';
import type { LimitName, LimitValue } from '../../../../shared/dto/limits.js';
import type { Journal } from '../../journal/journal.js';
import type { VenueMarket } from '../../core/ports.js';
import type { EffectiveLimits } from './effective-limits.js';
import type { Scope, SideKey } from '../risk-reads.js';
import type { Rates } from '../valuation.js';

/** What an alert's age is measured from (limits/max-alert-age.ts). */
export interface AlertTimes {
  /** The alert's own `time` (epoch ms), if it has one. */
  time?: number | undefined;
  /** When Pinebridge received it (epoch ms). */
  receivedAt: number;
}

export interface Refusal {
  status: 'skipped' | 'failed';
  code: string;
  message: string;
  limit?: LimitName;
  scope?: 'strategy' | 'account';
  value?: number | string;
  max?: number | string[];
}

export interface PlannedEntry {
  side: 'buy' | 'sell';
  /** The side it opens in hedge mode, else `net` (absent: `net`). */
  positionSide?: SideKey;
  /** Base units, or contracts. */
  amount: number;
  /** Limit price, else the reference (alert or last) price. */
  price: number;
}

/** An alert's planned entries, and what to measure them against. */
export interface PlanCheck {
  journal: Journal;
  limits: EffectiveLimits;
  account: string;
  mode: Mode;
  strategy: string;
  market: VenueMarket;
  entries: PlannedEntry[];
  now: number;
  rates: Rates;
  /** Contract size of another symbol's market (1 for spot). */
  contractSize: (symbol: string) => number;
}

/** What one limit's check is given. */
export interface LimitContext<K extends LimitName> {
  /** The value in force (the strategy's own, else the global one). */
  value: LimitValue<K>;
  /** Who it is measured on, as the message says it: `strategy ma-cross` / `account main`. */
  label: string;
  /** What it is measured on: the strategy's own orders and P&L, or the whole account's. */
  scope: Scope;
  /** A refusal of this limit: the message gets what to change appended. */
  refuse(message: string, value: number | string, max: number | string[]): Refusal;
}

/** A limit on the alert itself: checked before the venue is loaded, again before planning and before each first send. */
export interface AlertLimitContext<K extends LimitName> extends LimitContext<K> {
  /** The alert's own `time` and when it was received (its age is measured from them). */
  alert: AlertTimes;
  now: number;
}

/** A limit on an alert's planned entries, checked right before they are written. */
export interface EntryLimitContext<K extends LimitName> extends LimitContext<K> {
  plan: PlanCheck;
  /** The entries' USD values, one per entry (only for `valued` limits). */
  values: number[];
  /** The currency amounts are said in: the market's quote when USD-like, else USD. */
  currency: string;
}

interface LimitBase<K extends LimitName> {
  name: K;
  /** The refusal's reason code (`risk_*`). */
  code: string;
  /** What to change, at the end of every refusal: the setting's name as the UI shows it, and the other way out. */
  fix: { setting: string; otherwise: string; verb?: 'raise' | 'change' };
}

export interface AlertLimit<K extends LimitName> extends LimitBase<K> {
  on: 'alert';
  check(c: AlertLimitContext<K>): Refusal | null;
}

export interface EntryLimit<K extends LimitName> extends LimitBase<K> {
  on: 'entries';
  /**
   * Needs the entries' USD values: the runner values them before the first such limit, whether
   * or not it is set, and refuses the alert when a price is missing.
   */
  valued?: boolean;
  check(c: EntryLimitContext<K>): Refusal | null;
}

export type RiskLimit<K extends LimitName> = AlertLimit<K> | EntryLimit<K>;

/** A refusal for want of a USD price: nothing is guessed. */
export function unvalued(currency: string, what: string): Refusal {
  return {
    status: 'skipped',
    code: 'risk_unvalued',
    message: `cannot value ${currency} in USD to check the ${what}: no ${currency}/USDT price is known, so nothing is traded`,
  };
}
