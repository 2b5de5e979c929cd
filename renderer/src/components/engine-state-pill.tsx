import { useAppState } from '../hooks/app-state.js';

/**
 * The engine's one state (the same the tray and `/readyz` go by), kept live by `status` events.
 * While the event stream is down the last state may be stale, and the pill says the server is
 * not reachable instead.
 */
export function EngineStatePill() {
  const { status, connection } = useAppState();
  if (connection === 'closed' || connection === 'reconnecting') {
    return (
      <span className="pill state-down" data-testid="engine-state" data-kind="server_gone" role="status" title="The Pinebridge server does not answer: nothing is traded from here until it is back.">
        Server not reachable
      </span>
    );
  }
  if (!status) return null;
  const s = status.state;
  return (
    <span className={`pill state-${s.kind}`} data-testid="engine-state" data-kind={s.kind} role="status" aria-live="polite" title={s.detail ?? ''}>
      {s.label}
    </span>
  );
}
