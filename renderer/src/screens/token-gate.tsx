import { useState } from 'react';
import { errorCode, errorMessage } from '../api/api-error.js';
import { createHttpClient } from '../api/http-client.js';

/** Asks for the control token when the page has none (kept for this tab only). */
export function TokenGate({ reason, onToken }: { reason: string | null; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(reason);
  return (
    <main className="gate">
      <form
        className="panel gate-panel"
        onSubmit={async (e) => {
          e.preventDefault();
          const t = token.trim();
          setBusy(true);
          setError(null);
          const client = createHttpClient({ baseUrl: window.location.origin, token: t });
          try {
            await client.api.getStatus({});
            onToken(t);
          } catch (err) {
            setError(errorCode(err) === 'unauthorized' ? 'That token was refused. Copy it again from the control-token file.' : errorMessage(err));
          } finally {
            client.close();
            setBusy(false);
          }
        }}
      >
        <h1>
          <span className="logo" aria-hidden="true">
            ▲
          </span>{' '}
          Pinebridge
        </h1>
        <p>
          This page controls your trading engine, so it needs the <strong>control token</strong>. <code>pinebridge serve</code> printed where it
          is: the file <code>control-token</code> in the data directory.
        </p>
        <p className="muted small">
          On the server: <code>cat ~/.config/Pinebridge/control-token</code> (or your <code>--data-dir</code>). The token stays in this tab only.
        </p>
        <div className="field">
          <label htmlFor="token">Control token</label>
          <input id="token" type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || token.trim().length < 16}>
            {busy ? 'Checking…' : 'Open dashboard'}
          </button>
        </div>
      </form>
    </main>
  );
}
