/**
 * The live-vs-backtest commands of the API: import a strategy's TradingView "List of trades"
 * and compare it with the strategy's fills (positions/backtest-compare.ts has the rule).
 */
import type { PinebridgeApi } from '../../../shared/api.js';
import type { BacktestComparisonDto } from '../../../shared/dto/backtest.js';
import type { Mode } from '../../../shared/dto/mode.js';
import type { Settings } from '../core/config.js';
import { firstAlertAt, liveOrders, loadBacktest, saveBacktest, type StoredBacktest } from '../journal/backtests.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import { accountMode } from '../venues/venue-provider.js';
import { compareBacktest, comparePeriod } from './backtest-compare.js';
import { parseTradesCsv } from './backtest-csv.js';

/** A live order this far from a backtest entry or exit can be its match (TradingView's bar time vs the alert). */
export const DEFAULT_MATCH_WINDOW_SEC = 300;

export interface BacktestCommandDeps {
  settings: Settings;
  journal: Journal;
  now: () => number;
  logger: Logger;
}

export type BacktestCommands = Pick<PinebridgeApi, 'importBacktest' | 'getBacktestComparison'>;

export function createBacktestCommands(d: BacktestCommandDeps): BacktestCommands {
  const modeOf = (strategy: string): Mode => {
    const account = d.settings.strategies.find((s) => s.name === strategy)?.account ?? d.settings.execution.account;
    return accountMode(d.settings, account);
  };
  const compare = (b: StoredBacktest, windowSec: number, mode: Mode): BacktestComparisonDto => {
    const db = d.journal.db;
    const now = d.now();
    const liveSince = firstAlertAt(db, b.strategy);
    const { from } = comparePeriod(b.trades, liveSince, now, windowSec);
    // Every fill since the start: an order is placed in the period by its alert's fire time (compareBacktest).
    const live = from === null ? [] : liveOrders(db, b.strategy, mode, from, now + 1);
    return compareBacktest({ ...b, live, liveSince, now, windowSec });
  };

  return {
    async importBacktest({ strategy, csv, fileName, utcOffsetMinutes, windowSec }) {
      // Throws BacktestCsvError (code bad_csv, the message names the line): the caller's answer.
      const parsed = parseTradesCsv(csv, { utcOffsetMinutes });
      const stored: StoredBacktest = { strategy, importedAt: d.now(), fileName: fileName ?? null, layout: parsed.layout, trades: parsed.trades };
      saveBacktest(d.journal.db, stored);
      d.logger.info({ strategy, trades: parsed.trades.length, layout: parsed.layout }, `backtest imported for ${strategy}: ${parsed.trades.length} trades`);
      return compare(stored, windowSec ?? DEFAULT_MATCH_WINDOW_SEC, modeOf(strategy));
    },
    async getBacktestComparison({ strategy, windowSec, mode }) {
      const stored = loadBacktest(d.journal.db, strategy);
      return stored ? compare(stored, windowSec ?? DEFAULT_MATCH_WINDOW_SEC, mode ?? modeOf(strategy)) : null;
    },
  };
}
