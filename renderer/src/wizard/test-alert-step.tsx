import { useState } from 'react';
import type { AlertSummaryDto, StrategyDto, TestAlertResultDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { AlertStatusChip } from '../components/alert-status.js';
import { Field } from '../components/field.js';
import { useAppState } from '../hooks/app-state.js';
import { useEngineEvents } from '../hooks/use-events.js';

/** Sends a test alert through the public URL (or the local one without a tunnel) and follows it. */
export function TestAlertStep({ strategy }: { strategy: StrategyDto }) {
  const api = useApi();
  const { settings, tunnel } = useAppState();
  const [price, setPrice] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestAlertResultDto | null>(null);
  const [alert, setAlert] = useState<AlertSummaryDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const via = tunnel?.publicUrl ? 'public' : 'local';

  useEngineEvents((e) => {
    if ('alert' in e && result?.alertId && e.alert.id === result.alertId) setAlert(e.alert);
  });

  if (settings?.mode === 'live') {
    return <p className="notice">In live mode a test alert would place a real order, so it is not offered. Use the tunnel self-test.</p>;
  }
  const send = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    setAlert(null);
    try {
      const r = await api.sendTestAlert({ strategy: strategy.name, via, action: 'buy', ...(price ? { price } : {}) });
      setResult(r);
      if (r.alertId) setAlert(await api.getAlert({ id: r.alertId }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="test-alert">
      <p>
        Sends a <strong>buy</strong> alert for <strong>{strategy.name}</strong> ({strategy.quantity} {strategy.symbol}) to{' '}
        {via === 'public' ? 'your public URL, through the tunnel' : 'the local URL (no tunnel running)'}, exactly as TradingView would.
        {settings?.mode === 'paper' ? ' In paper mode it becomes a simulated fill.' : ' On testnet it places a test order.'}
      </p>
      <div className="grid-2">
        <Field label="Price for the test (what {{close}} would be)" inputMode="decimal" placeholder="e.g. 64000" value={price} onChange={(e) => setPrice(e.target.value.trim())} hint={settings?.mode === 'paper' ? 'paper fills at this price' : 'the exchange fills at its own price'} />
      </div>
      <div className="actions">
        <button type="button" onClick={() => void send()} disabled={busy || (price !== '' && !/^\d+(\.\d+)?$/.test(price))}>
          {busy ? 'Sending…' : 'Send a test alert'}
        </button>
      </div>
      {error && (
        <div className="error-box" role="alert">
          <strong>The test alert did not get through</strong>
          <p>{error}</p>
        </div>
      )}
      {result && (
        <div className={result.httpStatus < 300 ? 'success-box' : 'error-box'} role="status" data-testid="test-alert-result">
          <strong>
            {result.url} answered HTTP {result.httpStatus} in {result.ms} ms
          </strong>
          <pre className="mono small">{result.answer}</pre>
          {alert && (
            <p>
              Alert <a href={`#/alerts/${encodeURIComponent(alert.id)}`}>{alert.id}</a>: <AlertStatusChip status={alert.status} />{' '}
              {alert.reason && <span className="small">{alert.reason}</span>}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
