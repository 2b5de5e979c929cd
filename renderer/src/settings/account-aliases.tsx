import { useState } from 'react';
import { MODES, type AccountSettingsDto, type Mode } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { useAppState } from '../hooks/app-state.js';
import { SaveStatus } from '../components/save-status.js';

interface Row {
  name: string;
  exchange: string;
  exchangeUrl: string;
  /** '' = the global mode. */
  mode: Mode | '';
}

const toRow = (a: AccountSettingsDto): Row => ({ name: a.name, exchange: a.exchange ?? '', exchangeUrl: a.exchangeUrl ?? '', mode: a.mode ?? '' });

/**
 * Account aliases beyond the default: each an exchange (and URL) + a mode + its own keys. An
 * account may trade in its own mode (one on testnet while the rest stay on paper); putting one on
 * live asks for the same typed confirmation as the global switch.
 */
export function AccountAliases() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [rows, setRows] = useState<Row[]>(() => (settings?.accounts ?? []).map(toRow));
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: boolean }>({ busy: false, error: null, saved: false });
  const [asking, setAsking] = useState<string[] | null>(null);
  if (!settings) return null;

  const liveNow = new Set((settings.accounts ?? []).filter((a) => (a.mode ?? settings.mode) === 'live').map((a) => a.name));
  const set = (i: number, patch: Partial<Row>) => setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const save = async (confirmLive = false) => {
    setState({ busy: true, error: null, saved: false });
    try {
      const accounts = rows.map((r) => ({
        name: r.name.trim(),
        exchange: r.exchange.trim() || null,
        exchangeUrl: r.exchangeUrl.trim() || null,
        mode: r.mode || null,
      }));
      const saved = await api.updateSettings({ patch: { accounts }, ...(confirmLive ? { confirmLive: true } : {}) });
      setSettings(saved);
      setRows((saved.accounts ?? []).map(toRow));
      setAsking(null);
      setState({ busy: false, error: null, saved: true });
    } catch (e) {
      setAsking(null);
      setState({ busy: false, error: errorMessage(e), saved: false });
    }
  };
  const submit = () => {
    const goingLive = rows.filter((r) => r.mode === 'live' && !liveNow.has(r.name.trim())).map((r) => r.name.trim());
    if (goingLive.length) setAsking(goingLive);
    else void save();
  };

  return (
    // Not a <form>: the confirmation dialog holds its own form, and forms do not nest.
    <div className="subpanel" role="group" aria-labelledby="aliases-h">
      <h3 id="aliases-h">Account aliases</h3>
      <p className="muted small">
        The default account <strong>main</strong> uses the exchange and mode above. Others can name their own exchange and mode; an alert picks
        one with <code>&quot;account&quot;</code>, or through its strategy.
      </p>
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="aliases-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Exchange</th>
                <th>API base URL</th>
                <th>Mode</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>
                    <input aria-label={`Account ${i + 1} name`} value={r.name} onChange={(e) => set(i, { name: e.target.value })} spellCheck={false} />
                  </td>
                  <td>
                    <input aria-label={`Account ${i + 1} exchange`} value={r.exchange} placeholder={settings.exchange} onChange={(e) => set(i, { exchange: e.target.value })} spellCheck={false} />
                  </td>
                  <td>
                    <input aria-label={`Account ${i + 1} API base URL`} type="url" value={r.exchangeUrl} placeholder="the exchange's own" onChange={(e) => set(i, { exchangeUrl: e.target.value })} />
                  </td>
                  <td>
                    <select aria-label={`Account ${i + 1} mode`} value={r.mode} onChange={(e) => set(i, { mode: e.target.value as Mode | '' })}>
                      <option value="">as above ({settings.mode})</option>
                      {MODES.map((m) => (
                        <option key={m} value={m}>
                          {m}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="row-actions">
                    <button type="button" className="secondary small-button" onClick={() => setRows((x) => x.filter((_, j) => j !== i))}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setRows((x) => [...x, { name: '', exchange: '', exchangeUrl: '', mode: '' }])}>
          Add account
        </button>
        <button type="button" disabled={state.busy} onClick={submit}>
          Save accounts
        </button>
        <SaveStatus saved={state.saved} error={state.error} />
      </div>
      <ConfirmDialog
        open={asking !== null}
        danger
        title="Put an account on LIVE trading?"
        confirmLabel="Trade live on it"
        typeToConfirm="LIVE"
        onCancel={() => setAsking(null)}
        onConfirm={() => void save(true)}
      >
        <p>
          From now on, every accepted alert for <strong>{asking?.join(', ')}</strong> places a <strong>real order with real money</strong>, using
          that account&apos;s live keys.
        </p>
      </ConfirmDialog>
    </div>
  );
}
