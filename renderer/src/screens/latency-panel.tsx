import type { LatencyDto, LatencyStatsDto } from '../../../shared/api.js';
import { LATENCY_SEGMENTS } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtMs } from '../lib/format.js';

function cell(l: LatencyDto | null) {
  if (!l) return '—';
  return (
    <>
      {fmtMs(l.p50)}
      <span className="hint">
        p95 {fmtMs(l.p95)} · n {l.count}
      </span>
    </>
  );
}

/** Percentiles of each step of an alert's way, from TradingView's fire time to the fill. */
export function LatencyPanel() {
  const api = useApi();
  const q = useQuery(() => api.getLatencyStats({}), [], { refreshOn: isLedgerEvent, intervalMs: 30_000 });
  return (
    <section className="panel" aria-labelledby="latency">
      <div className="panel-head">
        <h2 id="latency">Where the time goes</h2>
      </div>
      <QueryView query={q}>{(s) => <LatencyTable stats={s} />}</QueryView>
    </section>
  );
}

function LatencyTable({ stats }: { stats: LatencyStatsDto }) {
  return (
    <div className="table-wrap">
      <table className="table health" data-testid="latency-table">
        <thead>
          <tr>
            <th scope="col">Step (median · p95)</th>
            <th scope="col">Last hour</th>
            <th scope="col">Last day</th>
          </tr>
        </thead>
        <tbody>
          {LATENCY_SEGMENTS.map((s) => (
            <tr key={s.key} data-segment={s.key}>
              <th scope="row">{s.label}</th>
              <td>{cell(stats.hour.segments[s.key])}</td>
              <td>{cell(stats.day.segments[s.key])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {stats.day.alerts > 0 && stats.day.segments.tradingview === null && (
        <p className="muted small">TradingView's own delay needs the fire time in the alert message: add "timenow": "{'{{timenow}}'}".</p>
      )}
    </div>
  );
}
