import type { ReactNode } from 'react';
import type { HealthDto, HealthWindowDto, LatencyDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtDuration, fmtMs, fmtPercent } from '../lib/format.js';

function latency(l: LatencyDto | null): ReactNode {
  if (!l) return '—';
  return (
    <>
      {fmtMs(l.p50)}
      <span className="hint">p95 {fmtMs(l.p95)}</span>
    </>
  );
}

const ROWS: { label: string; hint: string; value: (w: HealthWindowDto) => ReactNode }[] = [
  { label: 'Alerts received', hint: 'rejected in brackets', value: (w) => (w.rejected ? `${w.alerts} (${w.rejected})` : String(w.alerts)) },
  { label: 'Webhook ack latency', hint: 'receipt to answer, median · p95', value: (w) => latency(w.webhookAckMs) },
  { label: 'Signal to order', hint: 'receipt to order sent', value: (w) => latency(w.signalToOrderMs) },
  { label: 'Execution success', hint: 'orders the exchange took', value: (w) => fmtPercent(w.executionSuccessRate) },
  { label: 'Error rate', hint: 'rejected or failed alerts', value: (w) => fmtPercent(w.errorRate) },
];

/** Health figures over the last hour and day. */
export function HealthPanel() {
  const api = useApi();
  const q = useQuery(() => api.getHealth({}), [], { refreshOn: isLedgerEvent, intervalMs: 15_000 });
  return (
    <section className="panel" aria-labelledby="health">
      <div className="panel-head">
        <h2 id="health">Health</h2>
      </div>
      <QueryView query={q}>{(h) => <HealthTable health={h} />}</QueryView>
    </section>
  );
}

function HealthTable({ health }: { health: HealthDto }) {
  return (
    <div className="table-wrap">
      <table className="table health" data-testid="health-table">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Last hour</th>
            <th scope="col">Last day</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((r) => (
            <tr key={r.label}>
              <th scope="row">
                {r.label}
                <span className="hint">{r.hint}</span>
              </th>
              <td>{r.value(health.hour)}</td>
              <td>{r.value(health.day)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">
              Tunnel round trip<span className="hint">last self-probe</span>
            </th>
            <td colSpan={2}>{fmtMs(health.tunnelRoundTripMs)}</td>
          </tr>
          <tr>
            <th scope="row">Uptime</th>
            <td colSpan={2}>{fmtDuration(health.uptimeMs)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
