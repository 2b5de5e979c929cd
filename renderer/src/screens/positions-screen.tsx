import { useState } from 'react';
import type { PositionDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtMoney, fmtNumber, fmtTime } from '../lib/format.js';
import { BalancesPanel } from './balances-panel.js';

/** Positions per account, strategy and symbol (and, in hedge mode, side), with realized and unrealized P&L and (paper perpetuals) the liquidation price; live. */
export function PositionsScreen() {
  const api = useApi();
  const [includeFlat, setIncludeFlat] = useState(false);
  const q = useQuery(() => api.getPositions({ includeFlat }), [includeFlat], { refreshOn: isLedgerEvent, intervalMs: 30_000 });
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Positions</h1>
        <label className="check">
          <input type="checkbox" checked={includeFlat} onChange={(e) => setIncludeFlat(e.target.checked)} /> Show closed (flat) positions
        </label>
      </div>
      <section className="panel">
        <QueryView
          query={q}
          isEmpty={(d) => d.length === 0}
          empty={{ title: 'No open positions', body: 'Positions appear here as soon as an order fills.' }}
        >
          {(rows) => <PositionsTable rows={rows} />}
        </QueryView>
      </section>
      <BalancesPanel />
    </div>
  );
}

/** A paper position on a perpetual (`BTC/USDT:USDT`): its liquidation price is paper's own estimate. */
const isPaperPerp = (r: PositionDto) => r.mode === 'paper' && r.symbol.includes(':');

export function PositionsTable({ rows }: { rows: PositionDto[] }) {
  const paperPerps = rows.some(isPaperPerp);
  const totalRealized = rows.reduce((s, r) => s + r.realizedPnl, 0);
  const totalUnrealized = rows.reduce((s, r) => s + (r.unrealizedPnl ?? 0), 0);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="positions-table">
        <thead>
          <tr>
            <th>Account</th>
            <th>Strategy</th>
            <th>Symbol</th>
            <th className="num">Quantity</th>
            <th className="num">Avg entry</th>
            <th className="num">Mark</th>
            <th className="num" title="Leverage of the account's position on this market">
              Leverage
            </th>
            <th className="num" title="Price at which the account's position on this market would be liquidated">
              Liq. price
            </th>
            <th className="num">Unrealized</th>
            <th className="num">Realized</th>
            <th className="num">Fees</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.account}|${r.mode}|${r.strategy}|${r.symbol}|${r.positionSide ?? 'net'}`}>
              <td>
                {r.account} <span className={`chip mode-chip mode-${r.mode}`}>{r.mode}</span>
              </td>
              <td>
                {r.strategy}
                {r.parity && (
                  <span className="chip parity-badge" data-testid="parity-badge" title={r.parity.message}>
                    TradingView {fmtNumber(r.parity.tradingView)} · ledger {fmtNumber(r.parity.ledger)}
                  </span>
                )}
              </td>
              <td>
                {r.symbol}
                {r.positionSide && ' '}
                {r.positionSide && (
                  <span className={`chip side-${r.positionSide}`} title="Hedge mode: one of the market's two positions (long and short)" data-testid="position-side">
                    {r.positionSide === 'long' ? 'long side' : 'short side'}
                  </span>
                )}
              </td>
              <td className={`num ${r.qty > 0 ? 'long' : r.qty < 0 ? 'short' : ''}`}>{fmtNumber(r.qty)}</td>
              <td className="num">{fmtNumber(r.avgEntry, 6)}</td>
              <td className="num">{fmtNumber(r.markPrice, 6)}</td>
              <td className="num" data-testid="leverage">
                {r.leverage === null ? '—' : `${fmtNumber(r.leverage)}x`}
              </td>
              <td className="num" data-testid="liquidation-price">
                {fmtNumber(r.liquidationPrice, 6)}
              </td>
              <td className={`num ${pnlClass(r.unrealizedPnl)}`}>{fmtMoney(r.unrealizedPnl)}</td>
              <td className={`num ${pnlClass(r.realizedPnl)}`}>{fmtMoney(r.realizedPnl)}</td>
              <td className="num">{fmtNumber(r.fees, 6)}</td>
              <td>{fmtTime(r.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={8}>Total</th>
            <td className={`num ${pnlClass(totalUnrealized)}`}>{fmtMoney(totalUnrealized)}</td>
            <td className={`num ${pnlClass(totalRealized)}`}>{fmtMoney(totalRealized)}</td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
      {paperPerps && (
        <p className="hint" data-testid="paper-perp-note">
          Paper perpetuals: funding is not modelled. The liquidation price is an isolated-margin estimate for the account&apos;s position
          (margin = notional / leverage, maintenance margin rate paper.maintenanceMarginRate); paper shows it but does not liquidate.
        </p>
      )}
    </div>
  );
}

export function pnlClass(n: number | null): string {
  if (n === null || Math.abs(n) < 0.005) return '';
  return n > 0 ? 'gain' : 'loss';
}
