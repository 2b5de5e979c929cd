import { useAppState } from '../hooks/app-state.js';
import { EngineStatePill } from './engine-state-pill.js';
import { ModeBadge } from './mode-badge.js';
import { TradingSwitch } from './trading-switch.js';

const CONNECTION_TEXT = { connecting: 'Connecting…', open: 'Connected', reconnecting: 'Reconnecting…', closed: 'Disconnected' } as const;

export function Header() {
  const { status, settings, tunnel, connection } = useAppState();
  const mode = settings?.mode ?? status?.mode ?? null;
  return (
    <>
      <header className="header">
        <a className="brand" href="#/">
          <span className="logo" aria-hidden="true">
            ▲
          </span>
          Pinebridge
        </a>
        <ModeBadge mode={mode} />
        <TradingSwitch compact />
        <EngineStatePill />
        <div className="header-right">
          {tunnel && tunnel.provider !== 'none' && (
            <span className={`pill tunnel-${tunnel.state}`} title={tunnel.publicUrl ?? ''}>
              Tunnel {tunnel.state}
            </span>
          )}
          <span className={`conn conn-${connection}`} role="status" aria-live="polite">
            <span className="dot" aria-hidden="true" />
            {CONNECTION_TEXT[connection]}
          </span>
        </div>
      </header>
      {mode === 'live' && (
        <div className="live-banner" role="status">
          LIVE TRADING — every accepted alert places a real order with real money on {settings?.exchange ?? 'the exchange'}.
        </div>
      )}
    </>
  );
}
