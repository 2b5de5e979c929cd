import { useState } from 'react';
import type { TunnelProvider } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { CopyButton } from '../components/copy-button.js';
import { Field } from '../components/field.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';
import { fmtAgo, fmtMs } from '../lib/format.js';

/** Choose and run the tunnel that gives TradingView a public HTTPS URL; copy it; self-test it. */
export function TunnelPanel() {
  const api = useApi();
  const { settings, tunnel, setSettings } = useAppState();
  const [provider, setProvider] = useState<TunnelProvider>(settings?.tunnel.provider ?? 'none');
  const [subdomain, setSubdomain] = useState(settings?.tunnel.subdomain ?? '');
  const [publicUrl, setPublicUrl] = useState(settings?.tunnel.publicUrl ?? '');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const webhook = useQuery(() => api.getWebhookInfo({}), [tunnel?.publicUrl, tunnel?.state]);

  const run = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      webhook.reload();
    }
  };

  const save = () =>
    run('save', async () => {
      setSettings(
        await api.updateSettings({
          patch: {
            tunnel: {
              provider,
              subdomain: provider === 'localtunnel' && subdomain ? subdomain : null,
              publicUrl: provider === 'manual' && publicUrl ? publicUrl : null,
            },
          },
        }),
      );
      if (provider !== 'none') await api.startTunnel({});
    });

  const url = webhook.data?.publicUrl ?? null;
  return (
    <div className="tunnel-panel">
      <div className="grid-2">
        <div className="field">
          <label htmlFor="tunnel-provider">Public URL from</label>
          <select id="tunnel-provider" value={provider} onChange={(e) => setProvider(e.target.value as TunnelProvider)}>
            <option value="localtunnel">localtunnel (automatic https URL)</option>
            <option value="manual">my own URL (reverse proxy, VPS)</option>
            <option value="none">no tunnel (local only)</option>
          </select>
        </div>
        {provider === 'localtunnel' && (
          <Field label="Subdomain (optional)" hint="asks for the same URL after restarts" value={subdomain} placeholder="my-pinebridge" onChange={(e) => setSubdomain(e.target.value)} />
        )}
        {provider === 'manual' && (
          <Field label="Public https URL" hint="forwarding to this machine's webhook port" type="url" value={publicUrl} placeholder="https://hooks.example.com" onChange={(e) => setPublicUrl(e.target.value)} />
        )}
      </div>
      <div className="actions">
        <button type="button" onClick={() => void save()} disabled={busy !== null}>
          {busy === 'save' ? 'Starting…' : provider === 'none' ? 'Save' : 'Save and start'}
        </button>
        {tunnel && tunnel.provider !== 'none' && (
          <>
            <button type="button" className="secondary" disabled={busy !== null} onClick={() => void run('probe', () => api.probeTunnel({}))}>
              {busy === 'probe' ? 'Testing…' : 'Self-test'}
            </button>
            <button type="button" className="secondary" disabled={busy !== null} onClick={() => void run('stop', () => api.stopTunnel({}))}>
              Stop
            </button>
          </>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {tunnel && tunnel.provider !== 'none' && (
        <p data-testid="tunnel-status">
          <span className={`pill tunnel-${tunnel.state}`}>{tunnel.state}</span>{' '}
          <span className="muted small">
            self-test: {tunnel.lastProbeAt ? `${tunnel.lastError ? 'failed' : fmtMs(tunnel.lastProbeMs)} · ${fmtAgo(tunnel.lastProbeAt)}` : 'not run yet'}
          </span>
          {tunnel.lastError && <span className="error-text small"> {tunnel.lastError}</span>}
        </p>
      )}
      <div className="url-row">
        <span className="muted small">{url ? 'Webhook URL for TradingView:' : 'Local webhook URL (not reachable by TradingView):'}</span>
        <code className="url" data-testid="public-url">
          {url ?? webhook.data?.localUrl ?? '…'}
        </code>
        {(url ?? webhook.data?.localUrl) && <CopyButton text={url ?? webhook.data?.localUrl ?? ''} />}
      </div>
    </div>
  );
}
