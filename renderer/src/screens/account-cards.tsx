import { useState } from 'react';
import type { AccountDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { useQuery } from '../hooks/use-query.js';
import { fmtAgo } from '../lib/format.js';

const REACH_TEXT = { reachable: 'answers', unreachable: 'unreachable', unknown: 'not asked yet' } as const;

/**
 * One card per account: exchange, mode, whether the exchange answers and when it last did, and
 * its circuit breaker with the failure count (live: every failure is an event) and the last
 * failure, with Reset.
 */
export function AccountCards() {
  const api = useApi();
  const q = useQuery(() => api.listAccounts({}), [], { refreshOn: (e) => e.type === 'breaker' || e.type === 'status' || e.type === 'settings', intervalMs: 15_000 });
  if (!q.data) return null;
  return (
    <>
      {q.data.map((a) => (
        <AccountCard key={a.name} account={a} onReset={q.reload} />
      ))}
    </>
  );
}

function AccountCard({ account: a, onReset }: { account: AccountDto; onReset: () => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const b = a.breaker;
  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.resetBreaker({ account: a.name });
      onReset();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const danger = b.state === 'open' || a.reach.state === 'unreachable';
  return (
    <section className={`card account-card ${danger ? 'danger-card' : ''}`} aria-label={`Account ${a.name}`} data-testid={`account-card-${a.name}`}>
      <h2>
        Account {a.name}
        {a.isDefault && <span className="muted small"> (default)</span>}
      </h2>
      <p className="small">
        <strong>{a.exchange}</strong> · <span className={`chip mode-chip mode-${a.mode}`}>{a.mode}</span>
      </p>
      <p className="small" data-testid="account-reach">
        Exchange:{' '}
        <span className={`pill reach-${a.reach.state}`}>{REACH_TEXT[a.reach.state]}</span>{' '}
        <span className="muted">last answer {fmtAgo(a.reach.lastAnswerAt)}</span>
      </p>
      {a.reach.state === 'unreachable' && a.reach.detail && <p className="error-text small wrap-anywhere">{a.reach.detail}</p>}
      <p className="small" data-testid="account-breaker">
        Breaker: <span className={`pill breaker-${b.state}`}>{b.state === 'closed' ? 'armed (closed)' : b.state === 'open' ? 'open: halted' : 'half-open'}</span>{' '}
        <span className="muted" data-testid="breaker-failures">
          {b.failures} recent {b.failures === 1 ? 'failure' : 'failures'}
        </span>
      </p>
      {b.state === 'open' && b.reason && <p className="small">{b.reason}</p>}
      {/* An open breaker's reason already ends with the last failure. */}
      {b.lastFailure && b.state !== 'open' && (
        <p className="muted small wrap-anywhere" data-testid="breaker-last-failure">
          Last failure: {b.lastFailure}
        </p>
      )}
      {b.state !== 'closed' && (
        <button type="button" onClick={() => void reset()} disabled={busy}>
          {busy ? 'Resetting…' : `Reset breaker of ${a.name}`}
        </button>
      )}
      {error && (
        <p className="error-text small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
