import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { useAppState } from '../hooks/app-state.js';
import { Toggle } from './toggle.js';

/**
 * Trading on / paused. Pausing is immediate; alerts keep being received and journaled. `blocked`:
 * the switch is on but something else stops trading (breaker, exchange, no public URL), so its label
 * must not say "Trading on" in green.
 */
export function TradingSwitch({ compact, blocked }: { compact?: boolean; blocked?: boolean }) {
  const api = useApi();
  const { trading } = useAppState();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!trading) return null;
  const on = !trading.paused;
  const flip = async (next: boolean) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      if (next) await api.resumeTrading({});
      else await api.pauseTrading({ reason: 'by hand, from the dashboard' });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={`trading-switch ${on ? (blocked ? 'is-blocked' : 'is-on') : 'is-paused'}`} data-testid="trading-switch">
      <Toggle checked={on} onChange={flip} label={on ? 'Trading on: click to pause' : 'Trading paused: click to resume'} busy={busy} />
      {/* In the header the engine state says whether it trades (the switch alone cannot know). */}
      {!compact && <span className="trading-label">{on ? (blocked ? 'Switched on, not trading' : 'Trading on') : 'Paused'}</span>}
      {!compact && trading.paused && trading.reason && <span className="muted small">({trading.reason})</span>}
      {trading.notSaved && (
        <span className="error-text small" role="status" data-testid="trading-not-saved">
          {trading.notSaved}: a restart now would not keep it
        </span>
      )}
      {error && (
        <span className="error-text small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
