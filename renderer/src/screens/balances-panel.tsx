import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtNumber } from '../lib/format.js';

/** The account's balances as its venue reports them (the paper book, or the exchange). */
export function BalancesPanel() {
  const api = useApi();
  const q = useQuery(() => api.getBalances({}), [], { refreshOn: isLedgerEvent, intervalMs: 60_000 });
  return (
    <section className="panel" aria-labelledby="balances">
      <div className="panel-head">
        <h2 id="balances">Balances</h2>
        {q.data && (
          <span className="muted small">
            account {q.data.account} · {q.data.exchange}
            {q.data.exchange !== q.data.mode ? ` · ${q.data.mode}` : ''}
          </span>
        )}
      </div>
      <QueryView query={q} isEmpty={(b) => b.balances.length === 0} empty={{ title: 'No balances', body: 'The venue reported no non-zero balance.' }}>
        {(b) => (
          <div className="table-wrap">
            <table className="table" data-testid="balances-table">
              <thead>
                <tr>
                  <th>Currency</th>
                  <th className="num">Free</th>
                  <th className="num">In orders</th>
                  <th className="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {b.balances.map((x) => (
                  <tr key={x.currency}>
                    <td>{x.currency}</td>
                    <td className="num">{fmtNumber(x.free)}</td>
                    <td className="num">{fmtNumber(x.used)}</td>
                    <td className="num">{fmtNumber(x.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </section>
  );
}
