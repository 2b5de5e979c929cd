/**
 * Reconciliation: what the exchange holds against what Pinebridge's ledger expects.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { Mode } from './mode.js';

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
