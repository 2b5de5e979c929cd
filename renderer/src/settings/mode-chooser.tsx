import { useState } from 'react';
import { MODES, type Mode } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { useAppState } from '../hooks/app-state.js';

const ABOUT: Record<Mode, string> = {
  paper: 'Simulated fills at the alert price. No keys, no exchange, no money at risk. Start here.',
  testnet: "The exchange's test environment with test funds. Needs testnet API keys.",
  live: 'Real orders with real money on the exchange. Needs live API keys.',
};

/** Paper / testnet / live. Switching to live asks for explicit confirmation (type LIVE). */
export function ModeChooser() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!settings) return null;

  const choose = async (mode: Mode, confirmLive = false) => {
    setBusy(true);
    setError(null);
    try {
      setSettings(await api.updateSettings({ patch: { mode }, ...(confirmLive ? { confirmLive: true } : {}) }));
      setAsking(false);
    } catch (e) {
      setError(errorMessage(e));
      // The refusal (e.g. live on an exchange that is not verified) shows beside the choices.
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="mode-chooser" disabled={busy}>
      <legend>Trading mode</legend>
      {MODES.map((m) => (
        <label key={m} className={`mode-option mode-${m} ${settings.mode === m ? 'selected' : ''}`}>
          <input
            type="radio"
            name="mode"
            value={m}
            checked={settings.mode === m}
            onChange={() => (m === 'live' ? setAsking(true) : void choose(m))}
          />
          <span className="mode-name">{m === 'live' ? 'Live' : m === 'testnet' ? 'Testnet' : 'Paper'}</span>
          <span className="hint">{ABOUT[m]}</span>
        </label>
      ))}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={asking}
        danger
        title="Switch to LIVE trading?"
        confirmLabel="Switch to live"
        typeToConfirm="LIVE"
        onCancel={() => setAsking(false)}
        onConfirm={() => void choose('live', true)}
      >
        <p>
          From now on, every accepted alert places a <strong>real order with real money</strong> on {settings.exchange}, using the live
          keys of each strategy&apos;s account.
        </p>
        <p>Check your limits first. You can pause trading at any time from the top bar.</p>
      </ConfirmDialog>
    </fieldset>
  );
}
