import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SettingsDto, StatusDto, TradingStateDto, TunnelStatusDto } from '../../../shared/api.js';
import { useClient } from '../api/api-context.js';
import type { ConnectionState } from '../api/client.js';
import { useEngineEvents } from './use-events.js';

export interface AppState {
  status: StatusDto | null;
  settings: SettingsDto | null;
  trading: TradingStateDto | null;
  tunnel: TunnelStatusDto | null;
  connection: ConnectionState;
  error: unknown;
  refresh(): void;
  /** Replace the settings after a command returned them (events also do it). */
  setSettings(s: SettingsDto): void;
}

const Ctx = createContext<AppState | null>(null);

/** What every screen shows at once (mode, trading, tunnel), kept current by engine events. */
export function AppStateProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [status, setStatus] = useState<StatusDto | null>(null);
  const [settings, setSettings] = useState<SettingsDto | null>(null);
  const [trading, setTrading] = useState<TradingStateDto | null>(null);
  const [tunnel, setTunnel] = useState<TunnelStatusDto | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(() => {
    const api = client.api;
    Promise.all([api.getStatus({}), api.getSettings({}), api.getTunnelStatus({})]).then(
      ([st, se, tu]) => {
        setStatus(st);
        setSettings(se);
        setTunnel(tu);
        setTrading((t) => ({ paused: st.trading.paused, reason: st.trading.reason, changedAt: t?.changedAt ?? null, ...(st.trading.notSaved ? { notSaved: st.trading.notSaved } : {}) }));
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  }, [client]);

  useEffect(refresh, [refresh]);
  useEffect(
    () =>
      client.onConnection((s) => {
        setConnection(s);
        // After a reconnect, events may have been missed: read the state again.
        if (s === 'open') refresh();
      }),
    [client, refresh],
  );

  useEngineEvents((e) => {
    if (e.type === 'status') {
      setStatus(e.status);
      setTrading((t) => ({ paused: e.status.trading.paused, reason: e.status.trading.reason, changedAt: t?.changedAt ?? null, ...(e.status.trading.notSaved ? { notSaved: e.status.trading.notSaved } : {}) }));
    } else if (e.type === 'trading') {
      setTrading(e.trading);
      setStatus((s) => (s ? { ...s, trading: { paused: e.trading.paused, reason: e.trading.reason, ...(e.trading.notSaved ? { notSaved: e.trading.notSaved } : {}) } } : s));
    } else if (e.type === 'settings') {
      setSettings(e.settings);
      setStatus((s) => (s ? { ...s, mode: e.settings.mode } : s));
    } else if (e.type === 'tunnel') setTunnel(e.tunnel);
  });

  const value: AppState = {
    status,
    settings,
    trading,
    tunnel,
    connection,
    error,
    refresh,
    setSettings: (s) => {
      setSettings(s);
      setStatus((st) => (st ? { ...st, mode: s.mode } : st));
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAppState(): AppState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useAppState outside <AppStateProvider>');
  return c;
}
