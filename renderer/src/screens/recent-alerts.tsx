import type { AlertSummaryDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { AlertStatusChip } from '../components/alert-status.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtTime } from '../lib/format.js';

/** The last alerts with their outcomes; live. */
export function RecentAlerts({ limit = 8 }: { limit?: number }) {
  const api = useApi();
  const q = useQuery(() => api.listAlerts({ limit }), [limit], { refreshOn: isLedgerEvent });
  return (
    <section className="panel" aria-labelledby="recent-alerts">
      <div className="panel-head">
        <h2 id="recent-alerts">Last alerts</h2>
        <a href="#/alerts">All alerts →</a>
      </div>
      <QueryView
        query={q}
        isEmpty={(d) => d.length === 0}
        empty={{ title: 'No alerts yet', body: 'When TradingView fires an alert, it shows up here within a second.' }}
      >
        {(alerts) => <AlertRows alerts={alerts} />}
      </QueryView>
    </section>
  );
}

export function AlertRows({ alerts }: { alerts: AlertSummaryDto[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="alerts-table">
        <thead>
          <tr>
            <th>Received</th>
            <th className="hide-narrow">Strategy</th>
            <th>Signal</th>
            <th>Outcome</th>
            <th className="hide-narrow">Reason</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={`#/alerts/${encodeURIComponent(a.id)}`}>{fmtTime(a.receivedAt)}</a>
              </td>
              <td className="hide-narrow">{a.strategy ?? '—'}</td>
              <td>
                {a.action ?? '—'} <span className="muted">{a.symbol ?? ''}</span>
              </td>
              <td>
                <AlertStatusChip status={a.status} />
              </td>
              <td className="reason hide-narrow">{a.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
