import { useState } from 'react';
import { NO_LIMITS, type SettingsDto, type StrategyDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { Field } from '../components/field.js';
import { LimitsFields } from './limits-fields.js';

export const EMPTY_STRATEGY: StrategyDto = {
  name: '',
  account: 'main',
  symbol: 'BINANCE:BTCUSDT',
  quantity: '0.001',
  orderType: 'market',
  // Empty: the strategy trades under the global limits (safe defaults) until it sets its own.
  limits: { ...NO_LIMITS },
};

const QUANTITY = /^(\d+(\.\d+)?(usd[tc]?|[a-z]{3,5})?|\d+(\.\d+)?%|risk=\d+(\.\d+)?%)$/i;

/** Name, sizing and limits of a strategy. Saves with `saveStrategy`. */
export function StrategyForm({
  initial,
  submitLabel = 'Save strategy',
  onSaved,
}: {
  initial: StrategyDto;
  submitLabel?: string;
  onSaved: (settings: SettingsDto, strategy: StrategyDto) => void;
}) {
  const api = useApi();
  const [s, setS] = useState<StrategyDto>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const quantityOk = QUANTITY.test(s.quantity.trim());
  const nameOk = /^[\p{L}\p{N} _.:#()+-]{1,64}$/u.test(s.name.trim());
  return (
    <form
      className="strategy-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const saved = { ...s, name: s.name.trim(), quantity: s.quantity.trim(), symbol: s.symbol.trim() };
          onSaved(await api.saveStrategy({ strategy: saved }), saved);
        } catch (err) {
          setError(errorMessage(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="grid-2">
        <Field
          label="Strategy name"
          hint="as it appears in the alert (letters, digits, spaces, _ . : # ( ) + -)"
          value={s.name}
          required
          error={s.name && !nameOk ? 'Use letters, digits, spaces and _ . : # ( ) + - only' : null}
          onChange={(e) => setS({ ...s, name: e.target.value })}
        />
        <Field label="Symbol" hint="TradingView symbol, e.g. BINANCE:BTCUSDT" value={s.symbol} required onChange={(e) => setS({ ...s, symbol: e.target.value })} />
        <Field
          label="Quantity per order"
          hint="The default size, for alerts that send no quantity or contracts: 0.001 (base) · 100usdt (quote) · 10% (of the free balance) · risk=1% (needs a stop)"
          value={s.quantity}
          required
          error={s.quantity && !quantityOk ? 'Not a quantity Pinebridge reads: try 0.001, 100usdt, 25% or risk=1%' : null}
          onChange={(e) => setS({ ...s, quantity: e.target.value })}
        />
        <div className="field">
          <label htmlFor="order-type">Order type</label>
          <select id="order-type" value={s.orderType} onChange={(e) => setS({ ...s, orderType: e.target.value as StrategyDto['orderType'] })}>
            <option value="market">market</option>
            <option value="limit">limit (at the alert price)</option>
          </select>
        </div>
        <Field label="Account" hint="an account = exchange + mode + keys" value={s.account} onChange={(e) => setS({ ...s, account: e.target.value })} />
      </div>
      <fieldset className="limits">
        <legend>Limits for this strategy (empty: the global limit)</legend>
        <LimitsFields inherit value={s.limits} onChange={(limits) => setS({ ...s, limits })} />
      </fieldset>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy || !nameOk || !quantityOk || !s.symbol.trim()}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
