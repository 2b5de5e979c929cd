import type { BacktestComparisonDto, LiveOrderDto, SlippageDto, TradeComparisonDto } from '../../../shared/api.js';
import { fmtMoney, fmtNumber, fmtTime } from '../lib/format.js';
import { pnlClass } from './positions-screen.js';

const MATCH_LABEL: Record<TradeComparisonDto['match'], string> = {
  matched: 'matched',
  missed: 'missed',
  'entry-only': 'exit missed',
  'exit-only': 'entry missed',
  open: 'open',
};

function slip(s: SlippageDto | null) {
  if (!s) return '—';
  return (
    <>
      <span className={pnlClass(-s.cost)}>{fmtMoney(-s.cost)}</span>
      <span className="hint">{fmtNumber(s.bps, 1)} bps</span>
    </>
  );
}

function liveCell(o: LiveOrderDto | null) {
  if (!o) return '—';
  return (
    <>
      {fmtNumber(o.price, 6)}
      <span className="hint">
        {fmtNumber(o.amount)} · {fmtTime(o.time)}
      </span>
    </>
  );
}

/** Trade by trade: the backtest's entry and exit, the live orders matched to them, slippage and P&L. */
export function BacktestTable({ comparison: c }: { comparison: BacktestComparisonDto }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="backtest-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Side</th>
            <th scope="col">Result</th>
            <th scope="col">Backtest entry</th>
            <th scope="col">Live entry</th>
            <th scope="col">Entry slippage</th>
            <th scope="col">Backtest exit</th>
            <th scope="col">Live exit</th>
            <th scope="col">Exit slippage</th>
            <th scope="col">P&amp;L backtest · live</th>
          </tr>
        </thead>
        <tbody>
          {c.trades.map((t) => (
            <tr key={t.backtest.number} data-match={t.match}>
              <td>{t.backtest.number}</td>
              <td>{t.backtest.side}</td>
              <td>
                <span className={`chip match-${t.match}`}>{MATCH_LABEL[t.match]}</span>
              </td>
              <td>
                {fmtNumber(t.backtest.entry.price, 6)}
                <span className="hint">{fmtTime(t.backtest.entry.time)}</span>
              </td>
              <td>{liveCell(t.liveEntry)}</td>
              <td data-testid="entry-slippage">{slip(t.entrySlippage)}</td>
              <td>
                {t.backtest.exit ? fmtNumber(t.backtest.exit.price, 6) : 'open'}
                {t.backtest.exit && <span className="hint">{fmtTime(t.backtest.exit.time)}</span>}
              </td>
              <td>{liveCell(t.liveExit)}</td>
              <td data-testid="exit-slippage">{slip(t.exitSlippage)}</td>
              <td>
                {fmtMoney(t.backtest.profit)} · <span className={pnlClass(t.livePnl ?? 0)}>{fmtMoney(t.livePnl)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Live orders no backtest trade explains. */
export function ExtraTable({ orders }: { orders: LiveOrderDto[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="extra-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Side</th>
            <th scope="col">Market</th>
            <th scope="col">Amount</th>
            <th scope="col">Price</th>
            <th scope="col">Alert</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.clientOrderId}>
              <td>{fmtTime(o.time)}</td>
              <td>{o.side}</td>
              <td>{o.symbol}</td>
              <td>{fmtNumber(o.amount)}</td>
              <td>{fmtNumber(o.price, 6)}</td>
              <td>
                <a href={`#/alerts/${encodeURIComponent(o.alertId)}`}>open</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
