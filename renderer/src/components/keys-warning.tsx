import { useApi } from '../api/api-context.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';

/**
 * Says so plainly when an account trades on testnet or live (the global mode, or its own) and has
 * no keys for that mode: its alerts will fail until they are added.
 */
export function KeysWarning() {
  const api = useApi();
  const { settings } = useAppState();
  const q = useQuery(() => api.listAccounts({}), [settings?.mode, settings?.strategies.length, JSON.stringify(settings?.accounts ?? [])], {
    refreshOn: (e) => e.type === 'settings',
  });
  if (!settings || !q.data) return null;
  const missing = q.data.filter((a) => a.mode !== 'paper' && !a.keysSet);
  if (missing.length === 0) return null;
  const modes = [...new Set(missing.map((a) => a.mode))].join(' / ');
  return (
    <div className="notice" role="alert" data-testid="keys-warning">
      <strong>
        No {modes} keys for {missing.map((a) => (a.mode === settings.mode ? a.name : `${a.name} (${a.mode})`)).join(', ')}
      </strong>
      <p>
        Alerts for {missing.length === 1 ? 'this account' : 'these accounts'} will fail until you <a href="#/settings">add its API keys</a>.
      </p>
    </div>
  );
}
