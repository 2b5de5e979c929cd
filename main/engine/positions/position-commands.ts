/** Positions in the API: realized P&L summaries from the ledger, and reconciliation against the exchange. */
import type { Handlers } from '../core/commands.js';
import type { Settings } from '../core/config.js';
import type { Journal } from '../journal/journal.js';
import { accountMode } from '../venues/venue-provider.js';
import { pnlSummary } from './pnl-summary.js';
import type { Reconciler } from './reconciler.js';

export interface PositionCommandDeps {
  settings: Settings;
  journal: Journal;
  reconciler: Reconciler;
  now: () => number;
}

export type PositionCommandName = 'getPnlSummary' | 'getReconciliation' | 'reconcile' | 'acceptReconciliation';

export function positionCommands(d: PositionCommandDeps): Handlers<PositionCommandName> {
  const recon = d.reconciler;
  return {
    getPnlSummary: async ({ account, strategy, days }) =>
      pnlSummary(d.journal, { modeOf: (a) => accountMode(d.settings, a), account, strategy, days, now: d.now() }),
    getReconciliation: async ({ account }) => recon.list(account),
    reconcile: async ({ account }) => (account ? [await recon.run(account, 'manual')] : recon.runAll('manual')),
    acceptReconciliation: async ({ account }) => recon.accept(account),
  };
}
