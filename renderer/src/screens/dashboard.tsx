import { useApi } from '../api/api-context.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { KeysWarning } from '../components/keys-warning.js';
import { Loading } from '../components/loading.js';
import { ModeBadge } from '../components/mode-badge.js';
import { TradingSwitch } from '../components/trading-switch.js';
import { UrlChangedBanner } from '../components/url-changed-banner.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';
import { fmtAgo, fmtMs } from '../lib/format.js';
import { AccountCards } from './account-cards.js';
import { HealthPanel } from './health-panel.js';
import { LatencyPanel } from './latency-panel.js';
import { NodesCard } from './nodes-card.js';
import { RecentAlerts } from './recent-alerts.js';

export function Dashboard() {
  const { status, settings, tunnel, trading, error, refresh } = useAppState();
  const api = useApi();
  const webhook = useQuery(() => api.getWebhookInfo({}), [tunnel?.publicUrl], {});
  if (!status || !settings) return error ? <ErrorBox error={error} onRetry={refresh} /> : <Loading />;
  const url = webhook.data?.publicUrl ?? webhook.data?.localUrl ?? null;
  return (
    <div className="screen">
      <h1 className="sr-only">Dashboard</h1>
      <KeysWarning />
      <UrlChangedBanner />
      <div className="cards">
        <section className={`card mode-card mode-${settings.mode}`} aria-label="Mode">
          <h2>Mode</h2>
          <ModeBadge mode={settings.mode} />
          <p className="muted small">
            {settings.mode === 'live' ? 'Orders use real money on ' : settings.mode === 'testnet' ? 'Test funds on ' : 'Simulated fills; '}
            {settings.mode === 'paper' ? 'no exchange involved.' : settings.exchange}
          </p>
          {(settings.accounts ?? [])
            .filter((a) => a.mode && a.mode !== settings.mode)
            .map((a) => (
              <p key={a.name} className="small" data-testid="account-mode">
                Account <strong>{a.name}</strong> trades <span className={`chip mode-chip mode-${a.mode}`}>{a.mode}</span>
              </p>
            ))}
          <a href="#/settings" className="small">
            Change mode…
          </a>
        </section>
        <section className={`card ${trading?.paused ? 'warn-card' : ''}`} aria-label="Trading">
          <h2>Trading</h2>
          <TradingSwitch blocked={status.state.kind !== 'trading' && status.state.kind !== 'paused'} />
          {status.state.kind !== 'trading' && status.state.kind !== 'paused' ? (
            <p className="error-text small wrap-anywhere" data-testid="trading-blocked">
              {status.state.label}: {status.state.detail}
            </p>
          ) : (
            <p className="muted small">{trading?.paused ? 'Alerts are received and logged but not executed.' : 'Accepted alerts become orders.'}</p>
          )}
        </section>
        <section className="card" aria-label="Tunnel">
          <h2>Tunnel</h2>
          {tunnel && tunnel.provider !== 'none' ? (
            <>
              <p>
                <span className={`pill tunnel-${tunnel.state}`}>{tunnel.state}</span>{' '}
                <span className="muted small">
                  probe {fmtMs(tunnel.lastProbeMs)} · {fmtAgo(tunnel.lastProbeAt)}
                </span>
              </p>
              {tunnel.lastError && <p className="error-text small">{tunnel.lastError}</p>}
            </>
          ) : (
            <p className="muted small">No tunnel: TradingView cannot reach this machine. Set one up in Settings.</p>
          )}
        </section>
        {status.disk?.full && (
          <section className="card danger-card" aria-label="Disk full" data-testid="disk-full">
            <h2>Disk full</h2>
            <p>{status.disk.problem}</p>
            <p className="muted small">New alerts are refused (TradingView is told to retry); alerts already taken resume by themselves once there is room.</p>
          </section>
        )}
        <AccountCards />
        <NodesCard />
      </div>
      {url && (
        <div className="url-row webhook-strip">
          <span className="muted small">{webhook.data?.publicUrl ? 'Webhook URL for TradingView:' : 'Local webhook URL (TradingView needs the tunnel):'}</span>
          <code className="url" data-testid="webhook-url">
            {url}
          </code>
          <CopyButton text={url} />
        </div>
      )}
      <div className="columns">
        <RecentAlerts />
        <HealthPanel />
      </div>
      <LatencyPanel />
    </div>
  );
}
