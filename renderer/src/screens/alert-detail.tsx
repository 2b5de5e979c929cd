import type { AlertDetailDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { AlertStatusChip } from '../components/alert-status.js';
import { CodeBlock } from '../components/code-block.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtTime } from '../lib/format.js';
import { maskedBody, maskSecrets } from '../lib/log-filter.js';
import { LatencyTimeline } from './latency-timeline.js';
import { OrdersTable } from './orders-table.js';

/** One alert: as received (secret removed), how it was read, the orders it made and the answers. */
export function AlertDetail({ id }: { id: string }) {
  const api = useApi();
  const alert = useQuery(() => api.getAlert({ id }), [id], { refreshOn: (e) => e.type.startsWith('alert.') });
  return (
    <div className="screen">
      <p>
        <a href="#/alerts">← All alerts</a>
      </p>
      <QueryView query={alert} isEmpty={(a) => a === null} empty={{ title: 'No such alert', body: `Nothing in the journal has the id ${id}.` }}>
        {(a) => a && <AlertBody alert={a} />}
      </QueryView>
    </div>
  );
}

function AlertBody({ alert: a }: { alert: AlertDetailDto }) {
  const api = useApi();
  const orders = useQuery(() => api.listOrders({ alertId: a.id, limit: 50 }), [a.id], { refreshOn: isLedgerEvent });
  const bad = a.status === 'rejected' || a.status === 'failed';
  return (
    <>
      <h1>
        Alert {a.strategy ? `from ${a.strategy}` : ''} <AlertStatusChip status={a.status} />
      </h1>
      {a.reason && (
        <div className={bad ? 'error-box' : a.status === 'executed' ? 'success-box' : 'notice'} role={bad ? 'alert' : undefined} data-testid="alert-reason">
          <strong>{a.status === 'executed' ? 'Result' : a.status === 'skipped' ? 'Skipped' : a.status === 'duplicate' ? 'Duplicate' : a.status === 'failed' ? 'Failed' : 'Reason'}</strong>
          <p>{a.reason}</p>
          {a.reasonCode && <p className="muted small">code: {a.reasonCode}</p>}
        </div>
      )}
      {a.warnings.length > 0 && (
        <div className="notice" data-testid="alert-warnings">
          <strong>Warnings: fields ignored or not honoured</strong>
          <ul>
            {a.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="facts">
        <dt>Received</dt>
        <dd>{fmtTime(a.receivedAt)}</dd>
        <dt>Answer</dt>
        <dd>HTTP {a.httpStatus}</dd>
        <dt>From</dt>
        <dd>{a.source}</dd>
        <dt>Format</dt>
        <dd>{a.dialect ?? 'not recognised'}</dd>
        <dt>Action</dt>
        <dd>
          {a.action ?? '—'} {a.symbol ?? ''}
        </dd>
        {a.duplicateOf && (
          <>
            <dt>First seen as</dt>
            <dd>
              <a href={`#/alerts/${encodeURIComponent(a.duplicateOf)}`}>{a.duplicateOf}</a>
            </dd>
          </>
        )}
        <dt>Id</dt>
        <dd className="mono">{a.id}</dd>
      </dl>
      <div className="columns">
        <CodeBlock label="As received (secret removed)" code={maskedBody(a.body)} />
        <CodeBlock
          label="How Pinebridge read it"
          code={a.signal == null ? 'It could not be read: see the reason above.' : JSON.stringify(maskSecrets(a.signal), null, 2)}
        />
      </div>
      <section className="panel">
        <h2>Orders it made</h2>
        <QueryView
          query={orders}
          isEmpty={(o) => o.length === 0}
          empty={{ title: 'No orders', body: a.status === 'accepted' || a.status === 'executing' ? 'Waiting for the execution worker…' : 'This alert made no orders.' }}
        >
          {(o) => <OrdersTable orders={o} showAlert={false} />}
        </QueryView>
      </section>
      {a.status !== 'rejected' && a.status !== 'duplicate' && <LatencyTimeline alertId={a.id} />}
    </>
  );
}

