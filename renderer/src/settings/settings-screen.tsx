import { ErrorBox } from '../components/error-box.js';
import { Loading } from '../components/loading.js';
import { useAppState } from '../hooks/app-state.js';
import { AccountsSection } from './accounts-section.js';
import { ExchangeForm } from './exchange-form.js';
import { LimitsSection } from './limits-section.js';
import { ModeChooser } from './mode-chooser.js';
import { NotificationsSection } from './notifications-section.js';
import { StrategiesSection } from './strategies-section.js';
import { TunnelPanel } from './tunnel-panel.js';
import { WebhookSecret } from './webhook-secret.js';

export function SettingsScreen() {
  const { settings, error, refresh } = useAppState();
  if (!settings) return error ? <ErrorBox error={error} onRetry={refresh} /> : <Loading />;
  return (
    <div className="screen settings">
      <h1>Settings</h1>
      <section className="panel" aria-labelledby="mode-h">
        <h2 id="mode-h">Mode and exchange</h2>
        <ModeChooser />
        <ExchangeForm />
      </section>
      <AccountsSection />
      <section className="panel" aria-labelledby="tunnel-h">
        <h2 id="tunnel-h">Tunnel and webhook</h2>
        <TunnelPanel />
        <WebhookSecret />
      </section>
      <StrategiesSection />
      <LimitsSection />
      <NotificationsSection />
    </div>
  );
}
