import { useState } from 'react';
import type { StrategyDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { EmptyState } from '../components/empty-state.js';
import { useAppState } from '../hooks/app-state.js';
import { AlertMessage } from '../components/alert-message.js';
import { EMPTY_STRATEGY, StrategyForm } from './strategy-form.js';

export function StrategiesSection() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [editing, setEditing] = useState<StrategyDto | null>(null);
  const [showing, setShowing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!settings) return null;
  const shown = settings.strategies.find((s) => s.name === showing);
  return (
    <section className="panel" aria-labelledby="strategies">
      <div className="panel-head">
        <h2 id="strategies">Strategies</h2>
        <button type="button" className="secondary small-button" onClick={() => setEditing({ ...EMPTY_STRATEGY })}>
          Add strategy
        </button>
      </div>
      {settings.strategies.length === 0 ? (
        <EmptyState title="No strategies yet">Add one to get its TradingView alert message.</EmptyState>
      ) : (
        <ul className="strategy-list">
          {settings.strategies.map((s) => (
            <li key={s.name}>
              <strong>{s.name}</strong>
              <span className="muted small">
                {s.symbol} · {s.quantity} · {s.orderType} · account {s.account}
              </span>
              <span className="row-actions">
                <button type="button" className="secondary small-button" onClick={() => setShowing(showing === s.name ? null : s.name)}>
                  Alert message
                </button>
                <button type="button" className="secondary small-button" onClick={() => setEditing(s)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="secondary small-button"
                  onClick={() => api.deleteStrategy({ name: s.name }).then(setSettings, (e) => setError(errorMessage(e)))}
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="error-text">{error}</p>}
      {shown && <AlertMessage strategy={shown} />}
      {editing && (
        <div className="subpanel">
          <h3>{editing.name ? `Edit ${editing.name}` : 'New strategy'}</h3>
          <StrategyForm
            key={editing.name || 'new'}
            initial={editing}
            onSaved={(s) => {
              setSettings(s);
              setEditing(null);
            }}
          />
          <button type="button" className="link" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
