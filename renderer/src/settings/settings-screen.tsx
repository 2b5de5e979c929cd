import { ErrorBox } from '../components/error-box';
import { Loading } from '../components/loading';
import { useAppState } from '../hooks/app-state';
import { AccountsSection } from './accounts-section';
import { ExchangeForm } from './exchange-form';
import { LimitsSection } from './limits-section';
import { ModeChooser } from './mode-chooser';
import { NotificationsSection } from './notifications-section';
import { StrategiesSection } from './strategies-section';
import { TunnelPanel } from './tunnel-panel';
import { WebhookSecret } from './webhook-secret';

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
