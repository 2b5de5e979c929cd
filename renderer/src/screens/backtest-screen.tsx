import { useEffect, useState } from 'react';
import type { BacktestComparisonDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { QueryView } from '../components/query-view.js';
import { useAppState } from '../hooks/app-state.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtMoney, fmtTime } from '../lib/format.js';
import { BacktestChart } from './backtest-chart.js';
import { BacktestTable, ExtraTable } from './backtest-table.js';
import { pnlClass } from './positions-screen.js';

/** UTC offsets a chart can be set to, in minutes (TradingView writes the list's times in the chart's zone). */
const OFFSETS = Array.from({ length: 27 }, (_, i) => (i - 12) * 60).concat([330, 345, 570]).sort((a, b) => a - b);
const offsetLabel = (m: number) => (m === 0 ? 'UTC' : `UTC${m > 0 ? '+' : '−'}${Math.floor(Math.abs(m) / 60)}${Math.abs(m) % 60 ? `:${String(Math.abs(m) % 60).padStart(2, '0')}` : ''}`);

/** Live vs backtest: a strategy's TradingView "List of trades" against its fills, trade by trade. */
export function BacktestScreen() {
  const api = useApi();
  const { settings } = useAppState();
  const strategies = settings?.strategies.map((s) => s.name) ?? [];
  const [strategy, setStrategy] = useState('');
  const [offset, setOffset] = useState(0);
  const [windowSec, setWindowSec] = useState(300);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!strategy && strategies[0]) setStrategy(strategies[0]);
  }, [strategy, strategies]);
  const q = useQuery(() => (strategy ? api.getBacktestComparison({ strategy, windowSec }) : Promise.resolve(null)), [strategy, windowSec], { refreshOn: isLedgerEvent });

  const importFile = async () => {
    if (!file || !strategy) return;
    setBusy(true);
    setError(null);
    try {
      await api.importBacktest({ strategy, csv: await file.text(), fileName: file.name, utcOffsetMinutes: offset, windowSec });
      q.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Live vs backtest</h1>
      </div>
      <section className="panel" aria-labelledby="bt-import">
        <h2 id="bt-import">Import TradingView's list of trades</h2>
        <p className="muted small">
          In TradingView's Strategy Tester, open "List of trades" and export it as CSV; pick the file here. Its times are in the chart's time zone: say which.
        </p>
        <div className="form-row">
          <label className="field inline">
            <span>Strategy</span>
            <select value={strategy} onChange={(e) => setStrategy(e.target.value)} aria-label="Strategy">
              {strategies.length === 0 && <option value="">no strategy yet</option>}
              {strategies.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>Chart time zone</span>
            <select value={offset} onChange={(e) => setOffset(Number(e.target.value))} aria-label="Chart time zone">
              {OFFSETS.map((m) => (
                <option key={m} value={m}>
                  {offsetLabel(m)}
                </option>
              ))}
            </select>
          </label>
          <label className="field inline">
            <span>Match window (s)</span>
            <input type="number" min={1} value={windowSec} onChange={(e) => setWindowSec(Math.max(1, Number(e.target.value) || 1))} aria-label="Match window (seconds)" />
          </label>
          <label className="field inline">
            <span>List of trades (CSV)</span>
            <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-label="List of trades file" />
          </label>
          <button type="button" disabled={!file || !strategy || busy} onClick={importFile}>
            {busy ? 'Importing…' : 'Import and compare'}
          </button>
        </div>
        {error && (
          <div className="error-box" role="alert" data-testid="backtest-error">
            <strong>Not imported</strong>
            <p>{error}</p>
          </div>
        )}
      </section>
      <QueryView query={q} isEmpty={(c) => c === null} empty={{ title: 'No backtest imported', body: 'Import the strategy’s list of trades above to compare it with what was executed.' }}>
        {(c) => c && <Comparison c={c} />}
      </QueryView>
    </div>
  );
}

function Comparison({ c }: { c: BacktestComparisonDto }) {
  const t = c.totals;
  return (
    <>
      <div className="cards" data-testid="backtest-totals">
        <section className="card" aria-label="Trades">
          <h2>Trades compared</h2>
          <p className="big-figure" data-testid="bt-trades">
            {t.trades}
          </p>
          <p className="muted small">
            {c.fileName ?? 'imported'} {fmtTime(c.importedAt)} · {c.layout} layout · {c.beforeLive} before live trading began
          </p>
        </section>
        <section className="card" aria-label="Matched">
          <h2>Matched · missed · extra</h2>
          <p className="big-figure" data-testid="bt-counts">
            {t.matched} · {t.missed} · {t.extra}
          </p>
          {t.partial > 0 && <p className="muted small">{t.partial} with only one side matched</p>}
        </section>
        <section className="card" aria-label="Slippage">
          <h2>Slippage</h2>
          <p className="big-figure" data-testid="bt-slippage">
            <span className={pnlClass(-t.slippageCost)}>{fmtMoney(-t.slippageCost)}</span>
          </p>
          <p className="muted small">every matched entry and exit against the backtest's price</p>
        </section>
        <section className="card" aria-label="P&L difference">
          <h2>P&amp;L live − backtest</h2>
          <p className="big-figure" data-testid="bt-pnl-diff">
            <span className={pnlClass(t.pnlDiff)}>{fmtMoney(t.pnlDiff)}</span>
          </p>
          <p className="muted small">
            matched trades: live {fmtMoney(t.livePnl)} · backtest {fmtMoney(t.backtestPnl)}
          </p>
        </section>
      </div>
      <section className="panel">
        <BacktestChart comparison={c} />
      </section>
      <section className="panel">
        <h2>Trade by trade</h2>
        <p className="muted small">
          Each backtest entry and exit is matched to the nearest live order of the same side within {c.windowSec} s, in time order (README: Live vs backtest).
        </p>
        <BacktestTable comparison={c} />
      </section>
      {c.extra.length > 0 && (
        <section className="panel">
          <h2>Extra trades: live orders the backtest does not have</h2>
          <ExtraTable orders={c.extra} />
        </section>
      )}
    </>
  );
}
