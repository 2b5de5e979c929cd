import { useState } from 'react';
import type { TunnelProvider, TunnelStatusDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorCode, errorMessage } from '../api/api-error.js';
import { CopyButton } from '../components/copy-button.js';
import { Field } from '../components/field.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';
import { fmtAgo, fmtMs } from '../lib/format.js';

/** The self-test runs by itself after every start and reconnect; before that there is nothing to test. */
function selfTestText(t: TunnelStatusDto): string {
  if (t.lastProbeAt) return `${t.lastError ? 'failed' : fmtMs(t.lastProbeMs)} · ${fmtAgo(t.lastProbeAt)}`;
  if (t.state === 'starting') return 'runs once the tunnel is up…';
  if (t.state === 'stopped') return 'runs when the tunnel starts';
  return 'runs once the tunnel connects';
}

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
      // A tunnel that did not come up is said once, in its status line below (it keeps trying).
      setError(errorCode(e) === 'tunnel_unreachable' ? null : errorMessage(e));
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
              // Never cleared from here: this install's subdomain is its stable URL, even while another provider is chosen.
              ...(provider === 'localtunnel' && subdomain ? { subdomain } : {}),
              publicUrl: provider === 'manual' && publicUrl ? publicUrl : null,
            },
          },
        }),
      );
      if (provider === 'none') return;
      try {
        await api.startTunnel({});
      } finally {
        // Starting localtunnel the first time generates this install's subdomain: show it.
        const next = await api.getSettings({});
        setSettings(next);
        if (next.tunnel.subdomain) setSubdomain(next.tunnel.subdomain);
      }
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
          <Field
            label="Subdomain"
            hint="made for this computer on first use and asked for on every start, so the URL stays the same after restarts"
            value={subdomain}
            placeholder="generated when you save"
            onChange={(e) => setSubdomain(e.target.value)}
          />
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
            self-test: {selfTestText(tunnel)}
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
