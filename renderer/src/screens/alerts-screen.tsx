import { useState } from 'react';
import { ALERT_STATUSES } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { AlertRows } from './recent-alerts.js';

export function AlertsScreen() {
  const api = useApi();
  const [status, setStatus] = useState('');
  const q = useQuery(() => api.listAlerts({ limit: 200, ...(status ? { status } : {}) }), [status], { refreshOn: isLedgerEvent });
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Alerts</h1>
        <label className="field inline">
          <span>Outcome</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="Outcome">
            <option value="">all</option>
            {ALERT_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <QueryView
        query={q}
        isEmpty={(d) => d.length === 0}
        empty={{ title: status ? `No ${status} alerts` : 'No alerts yet', body: 'Alerts TradingView sends to your webhook URL are listed here, including rejected ones.' }}
      >
        {(alerts) => <AlertRows alerts={alerts} />}
      </QueryView>
    </div>
  );
}
