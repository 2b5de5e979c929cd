import { useApi } from '../api/api-context.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';

/** In testnet or live mode, says so plainly when an account the strategies use has no keys for it. */
export function KeysWarning() {
  const api = useApi();
  const { settings } = useAppState();
  const mode = settings?.mode;
  const q = useQuery(() => api.listCredentials({}), [mode, settings?.strategies.length], { refreshOn: (e) => e.type === 'settings' });
  if (!settings || mode === 'paper' || !q.data) return null;
  const used = new Set(['main', ...settings.strategies.map((s) => s.account)]);
  const missing = q.data.filter((c) => c.mode === mode && used.has(c.account) && !(c.apiKey.set && c.secret.set));
  if (missing.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="keys-warning">
      <strong>No {mode} keys for {missing.map((c) => c.account).join(', ')}</strong>
      <p>
        Alerts for {missing.length === 1 ? 'this account' : 'these accounts'} will fail until you <a href="#/settings">add its {mode} API keys</a>.
      </p>
    </div>
  );
}
