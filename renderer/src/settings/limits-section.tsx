import { useState } from 'react';
import { NO_LIMITS, type LimitsDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { useAppState } from '../hooks/app-state.js';
import { LimitsFields } from './limits-fields.js';

/** Global risk limits (each strategy may add its own). */
export function LimitsSection() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [limits, setLimits] = useState<LimitsDto>(settings?.limits ?? NO_LIMITS);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <section className="panel" aria-labelledby="limits">
      <h2 id="limits">Limits for all strategies</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            setSettings(await api.updateSettings({ patch: { limits } }));
            setMsg({ ok: true, text: 'Limits saved.' });
          } catch (err) {
            setMsg({ ok: false, text: errorMessage(err) });
          }
        }}
      >
        <LimitsFields value={limits} onChange={setLimits} />
        <div className="actions">
          <button type="submit">Save limits</button>
          {msg && (
            <span className={msg.ok ? 'ok-text small' : 'error-text small'} role="status">
              {msg.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
