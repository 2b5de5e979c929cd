import { useEffect } from 'react';
import { Header } from './components/header.js';
import { Nav } from './components/nav.js';
import { AppStateProvider, useAppState } from './hooks/app-state.js';
import { navigate, useRoute } from './hooks/use-route.js';
import { AlertDetail } from './screens/alert-detail.js';
import { AlertsScreen } from './screens/alerts-screen.js';
import { BacktestScreen } from './screens/backtest-screen.js';
import { ChartScreen } from './screens/chart-screen.js';
import { Dashboard } from './screens/dashboard.js';
import { LogsScreen } from './screens/logs-screen.js';
import { OrdersScreen } from './screens/orders-screen.js';
import { PositionsScreen } from './screens/positions-screen.js';
import { SettingsScreen } from './settings/settings-screen.js';
import { SetupWizard } from './wizard/setup-wizard.js';

export function App() {
  return (
    <AppStateProvider>
      <Shell />
    </AppStateProvider>
  );
}

function Shell() {
  const route = useRoute();
  const { settings } = useAppState();
  const [first = '', second] = route.parts;
  const firstRunPending = settings !== null && settings.setupCompletedAt === null;

  useEffect(() => {
    if (firstRunPending && first === '') navigate('/setup');
  }, [firstRunPending, first]);

  return (
    <div className={`app mode-${settings?.mode ?? 'unknown'}`}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <div className="body">
        <Nav current={first} />
        <main id="main" tabIndex={-1}>
          {screen(first, second)}
        </main>
      </div>
    </div>
  );
}

function screen(first: string, second: string | undefined) {
  switch (first) {
    case '':
      return <Dashboard />;
    case 'setup':
      return <SetupWizard />;
    case 'logs':
      return <LogsScreen />;
    case 'positions':
      return <PositionsScreen />;
    case 'orders':
      return <OrdersScreen />;
    case 'alerts':
      return second ? <AlertDetail id={second} /> : <AlertsScreen />;
    case 'chart':
      return <ChartScreen />;
    case 'backtest':
      return <BacktestScreen />;
    case 'settings':
      return <SettingsScreen />;
    default:
      return (
        <div className="screen">
          <h1>Not found</h1>
          <p>
            There is no page here. <a href="#/">Back to the dashboard</a>
          </p>
        </div>
      );
  }
}
