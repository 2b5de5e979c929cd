import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { Field } from '../components/field.js';
import { useAppState } from '../hooks/app-state.js';
import { SaveStatus } from '../components/save-status.js';

/** The ccxt exchange id and an optional base-URL override (regional endpoint, proxy). */
export function ExchangeForm() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [exchange, setExchange] = useState(settings?.exchange ?? 'binance');
  const [exchangeUrl, setExchangeUrl] = useState(settings?.exchangeUrl ?? '');
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: boolean }>({ busy: false, error: null, saved: false });
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setState({ busy: true, error: null, saved: false });
        try {
          setSettings(await api.updateSettings({ patch: { exchange: exchange.trim(), exchangeUrl: exchangeUrl.trim() || null } }));
          setState({ busy: false, error: null, saved: true });
        } catch (err) {
          setState({ busy: false, error: errorMessage(err), saved: false });
        }
      }}
    >
      <div className="grid-2">
        <div className="field">
          <label htmlFor="exchange">Exchange</label>
          <input id="exchange" list="exchanges" value={exchange} onChange={(e) => setExchange(e.target.value)} spellCheck={false} />
          <datalist id="exchanges">
            {['binance', 'bybit', 'okx', 'kucoin', 'kraken', 'coinbase', 'bitget', 'gate'].map((x) => (
              <option key={x} value={x} />
            ))}
          </datalist>
          <span className="hint">a ccxt exchange id</span>
        </div>
        <Field
          label="API base URL (optional)"
          hint="regional endpoint or proxy; empty: the exchange's own"
          type="url"
          value={exchangeUrl}
          placeholder="https://api.binance.com"
          onChange={(e) => setExchangeUrl(e.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={state.busy}>
          Save exchange
        </button>
        <SaveStatus saved={state.saved} error={state.error} />
      </div>
    </form>
  );
}
