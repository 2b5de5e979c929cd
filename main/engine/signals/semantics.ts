/**
 * THE semantics table: for an alert's action and the TradingView fields it carries, where the
 * strategy's position should end up (its target) and so which orders are sent. Rows are tried in
 * order; the first that matches decides. The planner only evaluates the row's rule; the README's
 * table is generated from these rows (test/signals/semantics-readme.test.ts keeps them equal).
 *
 * "size" below is the alert's `quantity` / `contracts`, else the strategy's default size.
 */
import type { Action, Signal } from './signal.js';
import type { Parity } from '../core/parity.js';

export interface SemanticsContext {
  /** `execution.parity`: with `repair` an alert's `position_size` is the target whatever its action. */
  parity: Parity;
}

/** What the planner computes; `T` is the target, `c` the strategy's current position (signed). */
export type Rule =
  | { kind: 'cancel' }
  /** T = position_size, or ± market_position_size by market_position. */
  | { kind: 'target'; from: 'position_size' | 'market_position_size' }
  /** T = 0 (of that side only, when `only` is set; otherwise nothing to do). */
  | { kind: 'flat'; only?: 'long' | 'short' }
  /** |T| = |c| - quantity (a percent is of |c|), never past flat. */
  | { kind: 'reduce'; only?: 'long' | 'short' }
  /** T = c ± size, then held on market_position's side (long: ≥ 0, short: ≤ 0). */
  | { kind: 'toward' }
  /** T = +size (long) or -size (short); already on that side: unchanged. */
  | { kind: 'side'; side: 'long' | 'short' }
  /** T = c ± size (buy +, sell -); without a quantity an opposite position is closed instead. */
  | { kind: 'delta' }
  /** T = c + size in the direction of the position (flat: a buy). */
  | { kind: 'add' }
  | { kind: 'invalid'; message: string };

export interface SemanticsRow {
  id: string;
  /** Shown in the README: the actions the row is for. */
  actions: string;
  /** Shown in the README: the fields that select the row. */
  when: string;
  target: string;
  orders: string;
  /** The orders depend on the strategy's current position: such alerts must run in arrival order. */
  dependsOnPosition: boolean;
  match: (s: Signal, ctx: SemanticsContext) => boolean;
  rule: Rule;
}

const ENTRY_ACTIONS: readonly Action[] = ['buy', 'sell', 'add', 'long', 'short'];
const is = (s: Signal, ...a: (Action | undefined)[]) => a.includes(s.action);
const hasQty = (s: Signal) => s.quantity !== undefined;
/** Reversals and spot shorts are explained once under the README's table. */
const DIFF = 'the difference (a reversal: see below)';

export const SEMANTICS: readonly SemanticsRow[] = [
  {
    id: 'cancel',
    actions: 'cancel',
    when: 'any',
    target: 'unchanged',
    orders: "cancels the strategy's open orders on the market (its stop-loss / take-profit orders stay)",
    dependsOnPosition: false,
    match: (s) => is(s, 'cancel'),
    rule: { kind: 'cancel' },
  },
  {
    id: 'position-size',
    actions: 'position, or none',
    when: 'position_size (or position)',
    target: 'position_size',
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'position', undefined) && s.targetPosition !== undefined,
    rule: { kind: 'target', from: 'position_size' },
  },
  {
    id: 'position-market-size',
    actions: 'position, or none',
    when: 'market_position + market_position_size',
    target: '+market_position_size if long, -market_position_size if short, 0 if flat',
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'position', undefined) && s.marketPosition !== undefined && (s.marketPositionSize !== undefined || s.marketPosition === 'flat'),
    rule: { kind: 'target', from: 'market_position_size' },
  },
  {
    id: 'position-missing',
    actions: 'position',
    when: 'neither of the above',
    target: '—',
    orders: 'refused (400): give position_size ({{strategy.position_size}})',
    dependsOnPosition: false,
    match: (s) => is(s, 'position'),
    rule: { kind: 'invalid', message: 'action "position" needs position_size ({{strategy.position_size}}).' },
  },
  {
    id: 'repair',
    actions: 'buy, sell, long, short, add, close*, exit',
    when: 'position_size, with execution.parity = repair',
    target: 'position_size',
    orders: DIFF,
    dependsOnPosition: true,
    match: (s, ctx) => ctx.parity === 'repair' && s.targetPosition !== undefined,
    rule: { kind: 'target', from: 'position_size' },
  },
  {
    id: 'close-part',
    actions: 'close, exit',
    when: 'quantity / contracts (an amount, or a percent of the position)',
    target: "the position reduced by the quantity (a percent is of the strategy's position), never past 0",
    orders: 'one reduce-only order',
    dependsOnPosition: true,
    match: (s) => is(s, 'close', 'exit') && hasQty(s),
    rule: { kind: 'reduce' },
  },
  {
    id: 'close-all',
    actions: 'close, exit',
    when: 'no quantity',
    target: '0',
    orders: "closes the strategy's position (reduce-only)",
    dependsOnPosition: true,
    match: (s) => is(s, 'close', 'exit'),
    rule: { kind: 'flat' },
  },
  {
    id: 'close-long-part',
    actions: 'close_long',
    when: 'quantity / contracts',
    target: 'a long reduced by the quantity (or percent of it); a short or flat: unchanged (skipped)',
    orders: 'one reduce-only sell',
    dependsOnPosition: true,
    match: (s) => is(s, 'close_long') && hasQty(s),
    rule: { kind: 'reduce', only: 'long' },
  },
  {
    id: 'close-long',
    actions: 'close_long',
    when: 'no quantity',
    target: '0 when long; otherwise unchanged (skipped)',
    orders: 'one reduce-only sell of the long',
    dependsOnPosition: true,
    match: (s) => is(s, 'close_long'),
    rule: { kind: 'flat', only: 'long' },
  },
  {
    id: 'close-short-part',
    actions: 'close_short',
    when: 'quantity / contracts',
    target: 'a short reduced by the quantity (or percent of it); a long or flat: unchanged (skipped)',
    orders: 'one reduce-only buy',
    dependsOnPosition: true,
    match: (s) => is(s, 'close_short') && hasQty(s),
    rule: { kind: 'reduce', only: 'short' },
  },
  {
    id: 'close-short',
    actions: 'close_short',
    when: 'no quantity',
    target: '0 when short; otherwise unchanged (skipped)',
    orders: 'one reduce-only buy of the short',
    dependsOnPosition: true,
    match: (s) => is(s, 'close_short'),
    rule: { kind: 'flat', only: 'short' },
  },
  {
    id: 'market-flat',
    actions: 'buy, sell, add, long, short',
    when: 'market_position = flat (or sentiment = flat)',
    target: '0',
    orders: "closes the strategy's position (reduce-only)",
    dependsOnPosition: true,
    match: (s) => is(s, ...ENTRY_ACTIONS) && s.marketPosition === 'flat',
    rule: { kind: 'flat' },
  },
  {
    id: 'market-side',
    actions: 'buy, sell, add',
    when: 'market_position = long / short (or sentiment = bullish / bearish), with prev_market_position and contracts as TradingView sends them',
    target:
      "the position + size (buy) or - size (sell), kept on market_position's side; a reversal whose prev_market_position side the ledger does not hold (spot after a short, a missed alert): position_size, else ± market_position_size, else half the contracts",
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'buy', 'sell', 'add') && s.marketPosition !== undefined,
    rule: { kind: 'toward' },
  },
  {
    id: 'long',
    actions: 'long',
    when: 'any (market_position ignored)',
    target: '+size; already long: unchanged (skipped)',
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'long'),
    rule: { kind: 'side', side: 'long' },
  },
  {
    id: 'short',
    actions: 'short',
    when: 'any (market_position ignored)',
    target: '-size (spot: 0); already short: unchanged (skipped)',
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'short'),
    rule: { kind: 'side', side: 'short' },
  },
  {
    id: 'buy-sell',
    actions: 'buy, sell',
    when: 'quantity / contracts, no market_position',
    target: 'the position + quantity (buy) or - quantity (sell)',
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'buy', 'sell') && (hasQty(s) || s.legs !== undefined),
    rule: { kind: 'delta' },
  },
  {
    id: 'buy-sell-default',
    actions: 'buy, sell',
    when: 'no quantity, no market_position',
    target: "an opposite position: 0 (a sell closes the long); otherwise the position ± the strategy's default size",
    orders: DIFF,
    dependsOnPosition: true,
    match: (s) => is(s, 'buy', 'sell'),
    rule: { kind: 'delta' },
  },
  {
    id: 'add',
    actions: 'add',
    when: 'no market_position',
    target: 'the position + size in its own direction (flat: a buy)',
    orders: 'one order that adds to the position',
    dependsOnPosition: true,
    match: (s) => is(s, 'add'),
    rule: { kind: 'add' },
  },
];

/** The row that decides what an alert does. Every signal matches one (the last rows are catch-alls). */
export function semanticsFor(s: Signal, ctx: SemanticsContext): SemanticsRow {
  const row = SEMANTICS.find((r) => r.match(s, ctx));
  if (!row) throw new Error(`no semantics row for action ${String(s.action)}`);
  return row;
}

/** The table as markdown, for the README (kept identical by a test). */
export function semanticsMarkdown(): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|');
  const lines = ['| action | with | target position | orders sent |', '| --- | --- | --- | --- |'];
  for (const r of SEMANTICS) lines.push(`| ${esc(r.actions)} | ${esc(r.when)} | ${esc(r.target)} | ${esc(r.orders)} |`);
  return lines.join('\n');
}
