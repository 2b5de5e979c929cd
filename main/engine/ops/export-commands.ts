/** The trade export of the API: the same file `pinebridge export trades` writes, for the UI to download. */
import type { Handlers } from '../core/commands.js';
import type { Journal } from '../journal/journal.js';
import { exportTradesFile } from './export-trades.js';

export function exportCommands(j: Journal, now: () => number): Handlers<'exportTrades'> {
  return {
    exportTrades: async (args) => exportTradesFile(j.db, args, now()),
  };
}
