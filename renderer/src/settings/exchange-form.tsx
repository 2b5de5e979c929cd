import { useState } from 'react';
import { exchangeSupport, LEVEL_LABEL } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { ExchangePicker } from '../components/exchange-picker.js';
import { Field } from '../components/field.js';
import { useAppState } from '../hooks/app-state.js';
import { SaveStatus } from '../components/save-status.js';

/**
 * The ccxt exchange (picked from the list, never typed free), an optional base-URL override
 * (regional endpoint, proxy), and the explicit opt-in to live trading on an exchange that is not
 * verified.
 */
export function ExchangeForm() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [exchange, setExchange] = useState(settings?.exchange ?? 'binance');
  const [exchangeUrl, setExchangeUrl] = useState(settings?.exchangeUrl ?? '');
  const [allowUntested, setAllowUntested] = useState(settings?.allowUntestedExchange ?? false);
  const [state, setState] = useState<{ busy: boolean; error: string | null; saved: boolean }>({ busy: false, error: null, saved: false });
  const support = exchangeSupport(exchange);
  const notVerified = support !== null && support.level !== 'verified';
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (!support) return;
        setState({ busy: true, error: null, saved: false });
        try {
          setSettings(await api.updateSettings({ patch: { exchange, exchangeUrl: exchangeUrl.trim() || null, allowUntestedExchange: notVerified && allowUntested } }));
          setState({ busy: false, error: null, saved: true });
        } catch (err) {
          setState({ busy: false, error: errorMessage(err), saved: false });
        }
      }}
    >
      <div className="grid-2">
        <ExchangePicker
          value={exchange}
          onChange={(id) => {
            setExchange(id);
            setState({ busy: false, error: null, saved: false });
          }}
        />
        <Field
          label="API base URL (optional)"
          hint="regional endpoint or proxy; empty: the exchange's own"
          type="url"
          value={exchangeUrl}
          placeholder="https://api.binance.com"
          onChange={(e) => setExchangeUrl(e.target.value)}
        />
      </div>
      {notVerified && (
        <div className="notice untested-notice" data-testid="untested-warning">
          <p>
            <strong>{exchange}</strong> is {LEVEL_LABEL[support.level]} in Pinebridge: paper and testnet work as anywhere, but live trading there
            needs your explicit opt-in. {support.notes.charAt(0).toUpperCase() + support.notes.slice(1)}.
          </p>
          <label className="checkbox-line">
            <input type="checkbox" checked={allowUntested} onChange={(e) => setAllowUntested(e.target.checked)} /> Allow live trading on an exchange that is
            not verified: a lost answer may not be recoverable (an order may be placed twice, or never known)
          </label>
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={state.busy || !support}>
          Save exchange
        </button>
        {!support && <span className="hint">pick an exchange from the list</span>}
        <SaveStatus saved={state.saved} error={state.error} />
      </div>
    </form>
  );
}
