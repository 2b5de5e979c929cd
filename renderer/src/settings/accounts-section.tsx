import { useState } from 'react';
import type { Mode } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { QueryView } from '../components/query-view.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';
import { AccountAliases } from './account-aliases.js';
import { secretStoreName } from '../lib/secret-store.js';
import { KeysForm } from './keys-form.js';

/** Accounts and keys: which keys are stored (set / not set, last 4), replace, remove. */
export function AccountsSection() {
  const api = useApi();
  const { settings } = useAppState();
  const q = useQuery(() => api.listCredentials({}), [settings?.strategies.length, settings?.accounts?.length]);
  const [editing, setEditing] = useState<{ account: string; mode: Exclude<Mode, 'paper'> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="accounts">
      <h2 id="accounts">Accounts and keys</h2>
      <p className="muted small">
        Exchange: <strong>{settings?.exchange}</strong> · keys kept in <strong>{secretStoreName(settings?.secretStore)}</strong>. Paper mode needs no keys.
      </p>
      <QueryView query={q} isEmpty={(d) => d.length === 0} empty={{ title: 'No accounts' }}>
        {(rows) => (
          <div className="table-wrap">
            <table className="table" data-testid="credentials-table">
              <thead>
                <tr>
                  <th>Account</th>
                  <th>Mode</th>
                  <th>API key</th>
                  <th>Secret</th>
                  <th>Checked</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={`${c.account}|${c.mode}`}>
                    <td>{c.account}</td>
                    <td>
                      <span className={`chip mode-chip mode-${c.mode}`}>{c.mode}</span>
                    </td>
                    <td>{c.apiKey.set ? `set${c.apiKey.last4 ? ` (…${c.apiKey.last4})` : ''}` : <span className="muted">not set</span>}</td>
                    <td>{c.secret.set ? 'set' : <span className="muted">not set</span>}</td>
                    <td data-testid="key-check-state" title={c.check?.last?.message ?? ''}>
                      {!c.check ? (
                        <span className="muted">—</span>
                      ) : c.check.state === 'passed' ? (
                        <span className="pill reach-reachable">checked</span>
                      ) : c.check.state === 'warning' ? (
                        <span className="pill tunnel-degraded">checked, with a warning</span>
                      ) : (
                        <span className="pill tunnel-offline">unchecked{c.check.last ? ` (${c.check.last.outcome})` : ''}</span>
                      )}
                    </td>
                    <td className="row-actions">
                      <button type="button" className="secondary small-button" onClick={() => setEditing({ account: c.account, mode: c.mode as 'testnet' | 'live' })}>
                        {c.apiKey.set ? 'Replace' : 'Add keys'}
                      </button>
                      {c.apiKey.set && (
                        <button
                          type="button"
                          className="secondary small-button"
                          onClick={() => api.deleteCredentials({ account: c.account, mode: c.mode }).then(q.reload, (e) => setError(errorMessage(e)))}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
      {error && <p className="error-text">{error}</p>}
      <AccountAliases />
      {editing && (
        <div className="subpanel">
          <h3>
            Keys for {editing.account} ({editing.mode})
          </h3>
          <KeysForm account={editing.account} mode={editing.mode} onSaved={() => q.reload()} />
          <button type="button" className="link" onClick={() => setEditing(null)}>
            Close
          </button>
        </div>
      )}
    </section>
  );
}
