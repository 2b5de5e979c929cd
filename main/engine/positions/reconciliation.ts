/**
 * Reconciliation's arithmetic (pure): what Pinebridge's own fills moved per asset (spot) and per
 * contract position (derivatives), and how that compares with what the exchange holds.
 *
 * A real account may hold coins Pinebridge never traded. So the comparison is against a baseline:
 * `baseline = exchange - ledger` at the moment the account was first seen (or the user accepted
 * a difference). From then on `expected = baseline + ledger`, and `exchange - expected` is what
 * moved outside Pinebridge's knowledge: a manual trade, a deposit or withdrawal, a fill the
 * journal missed, a fee not recorded. Reconciliation reports it; it never trades to fix it.
 */
import type { ReconAssetDto } from '../../../shared/dto/reconciliation.js';
import type { Baseline } from '../journal/baselines.js';
import type { VenueBalances, VenuePosition } from '../core/ports.js';
import { money, USD_LIKE } from '../market/money.js';

/** Fills summed per market, position side, order side and fee currency (one SQL group). */
export interface FillGroup {
  symbol: string;
  /** `net` (one-way), or the hedge-mode side the fills moved; absent: `net`. */
  positionSide?: 'net' | 'long' | 'short';
  side: 'buy' | 'sell';
  feeCurrency: string | null;
  amount: number;
  cost: number;
  fee: number;
  realized: number;
}

export interface LedgerNet {
  balances: Record<string, number>;
  positions: Record<string, number>;
}

/** What Pinebridge's fills moved: spot buys add the coin and spend the quote; fees leave in their currency. */
export function ledgerNet(groups: FillGroup[]): LedgerNet {
  const balances: Record<string, number> = {};
  const positions: Record<string, number> = {};
  const add = (rec: Record<string, number>, k: string, v: number) => (rec[k] = (rec[k] ?? 0) + v);
  for (const g of groups) {
    const [pair, settle] = g.symbol.split(':') as [string, string | undefined];
    const [base, quote] = pair.split('/') as [string, string];
    if (settle) {
      // Derivatives: the position in contracts; the settle currency moves by realized P&L.
      add(positions, positionKey(g.symbol, g.positionSide), g.side === 'buy' ? g.amount : -g.amount);
      add(balances, settle, g.realized);
      add(balances, g.feeCurrency ?? settle, -g.fee);
    } else {
      add(balances, base, g.side === 'buy' ? g.amount : -g.amount);
      add(balances, quote, g.side === 'buy' ? -g.cost : g.cost);
      add(balances, g.feeCurrency ?? quote, -g.fee);
    }
  }
  return { balances, positions };
}

/**
 * A contract position's name in the comparison: the symbol for a one-way position, the symbol and
 * its side for each of a hedge-mode market's two (`BTC/USDT:USDT long`), compared apart.
 */
export function positionKey(symbol: string, side?: 'net' | 'long' | 'short'): string {
  return side === 'long' || side === 'short' ? `${symbol} ${side}` : symbol;
}

/** The market of a position's name. */
export function symbolOfKey(key: string): string {
  return key.replace(/ (long|short)$/, '');
}

function heldPositions(positions: VenuePosition[]): Record<string, number> {
  const held: Record<string, number> = {};
  for (const p of positions) {
    const k = positionKey(p.symbol, p.side);
    held[k] = (held[k] ?? 0) + p.contracts;
  }
  return held;
}

/** The baseline from what the exchange holds now and what the ledger moved so far. */
export function takeBaseline(exchange: VenueBalances, positions: VenuePosition[] | null, ledger: LedgerNet, now: number): Baseline {
  const balances: Record<string, number> = {};
  for (const a of new Set([...Object.keys(exchange), ...Object.keys(ledger.balances)])) {
    const v = clean((exchange[a]?.total ?? 0) - (ledger.balances[a] ?? 0));
    if (v !== 0) balances[a] = v;
  }
  const pos: Record<string, number> = {};
  if (positions) {
    const held = heldPositions(positions);
    for (const s of new Set([...Object.keys(held), ...Object.keys(ledger.positions)])) {
      const v = clean((held[s] ?? 0) - (ledger.positions[s] ?? 0));
      if (v !== 0) pos[s] = v;
    }
  }
  return { takenAt: now, balances, positions: pos };
}

export interface Tolerance {
  /** A difference worth more than this many USD is a drift. */
  value: number;
  /** Without a price: a difference above this percent of the amount is a drift. */
  pct: number;
}

/** Every asset and position anyone has a number for, compared. `usd` prices an asset, null when unknown. */
export function compare(
  exchange: VenueBalances,
  positions: VenuePosition[] | null,
  ledger: LedgerNet,
  baseline: Baseline,
  usd: (asset: string) => number | null,
  tol: Tolerance,
  /** USD value of one contract of a market, null when unknown. */
  contractUsd: (symbol: string) => number | null = () => null,
): ReconAssetDto[] {
  const out: ReconAssetDto[] = [];
  const assets = new Set([...Object.keys(ledger.balances), ...Object.keys(baseline.balances)]);
  for (const [a, b] of Object.entries(exchange)) if (b.total !== 0) assets.add(a);
  for (const asset of [...assets].sort()) {
    const held = exchange[asset]?.total ?? 0;
    out.push(row(asset, 'balance', held, exchange[asset]?.used ?? 0, baseline.balances[asset] ?? 0, ledger.balances[asset] ?? 0, usd(asset), tol));
  }
  if (positions) {
    const held = heldPositions(positions);
    const symbols = new Set([...Object.keys(held), ...Object.keys(ledger.positions), ...Object.keys(baseline.positions)]);
    for (const s of [...symbols].sort()) {
      out.push(row(s, 'position', held[s] ?? 0, 0, baseline.positions[s] ?? 0, ledger.positions[s] ?? 0, contractUsd(s), tol));
    }
  }
  return out.filter((r) => r.exchange !== 0 || r.expected !== 0 || r.drift);
}

function row(asset: string, kind: ReconAssetDto['kind'], exchange: number, locked: number, baseline: number, ledger: number, price: number | null, tol: Tolerance): ReconAssetDto {
  const expected = clean(baseline + ledger);
  const difference = clean(exchange - expected);
  const size = Math.max(Math.abs(expected), Math.abs(exchange));
  // Float noise of summing many fills is not a drift.
  const noise = Math.abs(difference) <= 1e-9 * Math.max(1, size);
  const p = USD_LIKE.has(asset) ? 1 : price;
  const value = p === null ? null : Number((Math.abs(difference) * p).toFixed(8));
  const drift = !noise && (value !== null ? value > tol.value : Math.abs(difference) > (tol.pct / 100) * size);
  return { asset, kind, exchange, locked, baseline: clean(baseline), ledger: clean(ledger), expected, difference, value, drift };
}

function clean(n: number): number {
  return Number(n.toPrecision(12));
}

/** `BTC: the exchange holds 0.9, 0.10999 less than expected 1.00999 (baseline 1 + Pinebridge 0.00999), worth 7,149.35 USD` */
export function describeDrift(r: ReconAssetDto): string {
  const dir = r.difference < 0 ? 'less' : 'more';
  const worth = r.value !== null ? `, worth ${money(r.value)} USD` : '';
  const what = r.kind === 'position' ? `position ${r.asset}` : r.asset;
  return `${what}: the exchange holds ${n(r.exchange)}${r.locked ? ` (${n(r.locked)} locked in orders)` : ''}, ${n(Math.abs(r.difference))} ${dir} than the ${n(r.expected)} expected (baseline ${n(r.baseline)} + Pinebridge ${n(r.ledger)})${worth}`;
}

function n(x: number): string {
  return String(Number(x.toPrecision(10)));
}
