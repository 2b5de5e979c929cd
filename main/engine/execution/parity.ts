/**
 * Position parity: once an alert that carries `position_size` ({{strategy.position_size}}) is
 * carried out (or skipped, or refused), the strategy's ledger should hold TradingView's position.
 * A difference (a missed alert, a manual trade, a refused order, a limit) is reported with both
 * numbers: an event (UI badge, tray, notifications) and a journal row; when it is made good
 * again, a `position.parity` with ok = true clears the badge. `execution.parity = repair` already
 * traded to TradingView's position (the semantics table's repair row); a difference left after
 * that is reported the same way.
 */
import type { PositionParityDto } from '../../../shared/dto/positions.js';
import type { Journal } from '../journal/journal.js';
import type { Venue } from '../core/ports.js';
import type { Signal } from '../signals/signal.js';
import { fmtNum } from '../market/precision.js';
import type { ExecDeps } from './exec-deps.js';
import { mapSymbol } from '../market/symbols.js';

/**
 * Spot buys pay their fee in the coin (Binance), so the ledger holds a little less than was
 * bought: half a percent, or one amount step, is the same position.
 */
const RELATIVE_TOLERANCE = 0.005;

export function checkParity(d: ExecDeps, venue: Venue, alertId: string, signal: Signal): void {
  if (signal.targetPosition === undefined) return;
  const j = d.journal();
  const status = j.alerts.get(alertId)?.status;
  if (status !== 'executed' && status !== 'skipped' && status !== 'failed') return;
  const mapped = mapSymbol(signal.symbol, venue);
  if (!mapped.ok) return;
  const m = mapped.market;
  const key = { account: venue.account, mode: venue.mode, strategy: signal.strategy, symbol: m.symbol };
  const ledger = j.positions.get(key).qty;
  const tv = signal.targetPosition;
  const expected = m.contract ? tv : Math.max(tv, 0);
  const tolerance = Math.max(m.precision.amount ?? 0, Math.abs(expected) * RELATIVE_TOLERANCE, 1e-12);
  const ok = Math.abs(ledger - expected) <= tolerance;
  const last = lastParity(j, key);
  // Agreement is only worth saying when it ends a reported difference.
  if (ok && (!last || last.ok)) return;
  const parity = d.settings.execution.parity;
  const spot = !m.contract && tv < 0 ? ` (spot cannot be short: ${fmtNum(tv)} is held as flat)` : '';
  const message = ok
    ? `${signal.strategy} on ${m.symbol}: the ledger holds ${fmtNum(ledger)} again, as TradingView says (${fmtNum(tv)}).`
    : `${signal.strategy} on ${m.symbol}: TradingView's position is ${fmtNum(tv)}${spot}, the strategy's ledger holds ${fmtNum(ledger)} (off by ${fmtNum(ledger - expected)}). ` +
      (parity === 'repair'
        ? 'Pinebridge traded to TradingView\'s position and still differs: see the alert\'s reason.'
        : 'A missed alert, a manual trade or a refused order? Close or adjust the position, or set execution.parity to repair to trade to TradingView\'s position.');
  const dto: PositionParityDto = { ...key, alertId, tradingView: tv, expected, ledger, ok, parity, at: d.now(), message };
  d.reporter.parity(dto);
}

/** The latest parity result of one position, from the journal's events. */
export function lastParity(j: Journal, key: { account: string; mode: string; strategy: string; symbol: string }): PositionParityDto | null {
  const stmt = j.db.prepare(
    `SELECT data FROM events WHERE type = 'position.parity'
       AND json_extract(data, '$.parity.account') = ? AND json_extract(data, '$.parity.mode') = ?
       AND json_extract(data, '$.parity.strategy') = ? AND json_extract(data, '$.parity.symbol') = ?
     ORDER BY seq DESC LIMIT 1`,
  );
  const row = stmt.get(key.account, key.mode, key.strategy, key.symbol) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as { parity: PositionParityDto }).parity : null;
}
