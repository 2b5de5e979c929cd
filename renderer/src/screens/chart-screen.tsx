import { useState } from 'react';
import type { FillDto } from '../../../shared/api.js';
import { PNL_HISTORY_FILLS } from '../../../shared/dto/positions.js';
import { useApi } from '../api/api-context.js';
import { ExportButton } from '../components/export-button.js';
import { QueryView } from '../components/query-view.js';
import { useAppState } from '../hooks/app-state.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtMoney, fmtNumber, fmtTime } from '../lib/format.js';
import { PnlChart } from './pnl-chart.js';
import { pnlClass } from './positions-screen.js';

export function ChartScreen() {
  const api = useApi();
  const { settings } = useAppState();
  const [strategy, setStrategy] = useState('');
  const q = useQuery(() => api.getPnlHistory(strategy ? { strategy } : {}), [strategy], { refreshOn: isLedgerEvent });
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>P&amp;L</h1>
        <div className="toolbar-right">
          <ExportButton strategy={strategy || undefined} />
          <ExportButton strategy={strategy || undefined} summary />
          <label className="field inline">
            <span>Strategy</span>
            <select value={strategy} onChange={(e) => setStrategy(e.target.value)} aria-label="Strategy">
              <option value="">all</option>
              {settings?.strategies.map((s) => (
                <option key={s.name}>{s.name}</option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <QueryView
        query={q}
        isEmpty={(h) => h.fills.length === 0}
        empty={{ title: 'No fills yet', body: 'The realized P&L curve starts with the first fill; each fill is a marker on it.' }}
      >
        {(h) => {
          const last = h.points[h.points.length - 1]?.value ?? 0;
          return (
            <>
              <p className="big-figure">
                Realized P&amp;L <span className={pnlClass(last)}>{fmtMoney(last)}</span>
                <span className="muted small">
                  {' '}
                  · {h.fills.length === PNL_HISTORY_FILLS ? `the newest ${h.fills.length} fills shown` : `${h.fills.length} fills`} · net of fees
                </span>
              </p>
              <section className="panel">
                <PnlChart history={h} />
              </section>
              <FillsTable fills={h.fills.slice(-50).reverse()} />
            </>
          );
        }}
      </QueryView>
    </div>
  );
}

function FillsTable({ fills }: { fills: FillDto[] }) {
  return (
    <section className="panel">
      <h2>Latest fills</h2>
      <div className="table-wrap">
        <table className="table" data-testid="fills-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Strategy</th>
              <th>Symbol</th>
              <th>Side</th>
              <th className="num">Amount</th>
              <th className="num">Price</th>
              <th className="num">Fee</th>
            </tr>
          </thead>
          <tbody>
            {fills.map((f) => (
              <tr key={f.id}>
                <td>{fmtTime(f.time)}</td>
                <td>{f.strategy}</td>
                <td>{f.symbol}</td>
                <td className={f.side === 'buy' ? 'long' : 'short'}>{f.side}</td>
                <td className="num">{fmtNumber(f.amount)}</td>
                <td className="num">{fmtNumber(f.price, 6)}</td>
                <td className="num">
                  {fmtNumber(f.fee, 8)} {f.feeCurrency ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
