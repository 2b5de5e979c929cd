import type { ClusterDto, ClusterNodeDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorCode } from '../api/api-error.js';
import { ErrorBox } from '../components/error-box.js';
import { useQuery } from '../hooks/use-query.js';
import { fmtDuration, fmtMs } from '../lib/format.js';

/** Heartbeats come every quarter lease: a few seconds is fresh enough. */
const REFRESH_MS = 5_000;

/**
 * Several nodes on one PostgreSQL journal: each node, its role, its last heartbeat and version,
 * the same from whichever node serves the UI. Hidden on SQLite (one node).
 */
export function NodesCard() {
  const api = useApi();
  const q = useQuery(() => api.getCluster({}), [], { refreshOn: (e) => e.type === 'status', intervalMs: REFRESH_MS });
  // Before the engine runs, or an engine without the command: nothing to say about nodes.
  if (!q.data && q.error && ['not_started', 'unknown_command'].includes(errorCode(q.error) ?? '')) return null;
  return <NodesCardView cluster={q.data} error={q.error} onRetry={q.reload} />;
}

export function NodesCardView({ cluster, error, onRetry }: { cluster: ClusterDto | undefined; error?: unknown; onRetry?: () => void }) {
  if (!cluster && !error) return null;
  if (cluster && !cluster.enabled) return null;
  const stale = cluster?.nodes.some((n) => n.stale) ?? false;
  return (
    <section className={`card nodes-card ${stale ? 'warn-card' : ''}`} aria-labelledby="nodes-title" data-testid="nodes-card">
      <h2 id="nodes-title">Nodes</h2>
      {error ? <ErrorBox error={error} title="The nodes cannot be listed" onRetry={onRetry} /> : null}
      {cluster && <NodesTable cluster={cluster} />}
    </section>
  );
}

function NodesTable({ cluster }: { cluster: ClusterDto }) {
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="nodes-table">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Role</th>
              <th scope="col">Last heartbeat</th>
              <th scope="col">Version</th>
              <th scope="col">Accounts</th>
            </tr>
          </thead>
          <tbody>
            {cluster.nodes.map((n) => (
              <NodeRow key={n.node} n={n} self={n.node === cluster.node} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small" data-testid="nodes-summary">
        {cluster.accounts.length > 1 ? (
          <AccountExecutors cluster={cluster} />
        ) : cluster.executor ? (
          <>
            <strong>{cluster.executor}</strong> executes
          </>
        ) : (
          <span className="warn-text">No node executes right now: the next standby takes over within a lease.</span>
        )}{' '}
        · lease {fmtDuration(cluster.leaseSec * 1000)}
        {cluster.lastFailoverSec !== null && <> · last take-over (by this node) after {fmtMs(cluster.lastFailoverSec * 1000)}</>}
      </p>
    </>
  );
}

/** One lease per account: who executes each (a lapsed one is taken by a standby within a lease). */
function AccountExecutors({ cluster }: { cluster: ClusterDto }) {
  return (
    <>
      {cluster.accounts.map((a, i) => (
        <span key={a.account} data-account={a.account}>
          {i > 0 && ' · '}
          {a.account}: {a.executor ? <strong>{a.executor}</strong> : <span className="warn-text">no executor right now</span>}
        </span>
      ))}
    </>
  );
}

function NodeRow({ n, self }: { n: ClusterNodeDto; self: boolean }) {
  const ago = fmtDuration(n.heartbeatAgoSec * 1000);
  return (
    <tr data-node={n.node} data-stale={n.stale ? 'true' : undefined}>
      <th scope="row">
        {n.node}
        {self && <span className="muted small"> (this node)</span>}
        <span className="hint">{n.host}</span>
      </th>
      <td>{n.role === 'executor' ? <strong>Executor</strong> : 'Standby'}</td>
      <td className={n.stale ? 'warn-text' : undefined} data-testid="node-heartbeat">
        {n.stale ? `not seen for ${ago}` : `${ago} ago`}
      </td>
      <td>{n.version}</td>
      <td data-testid="node-accounts">{n.accounts.length ? n.accounts.join(', ') : '—'}</td>
    </tr>
  );
}
