/**
 * The tray, as data: engine state in, icon + tooltip + menu template out. Pure (no Electron), so
 * the menu a trader sees is tested in Node; tray.ts only turns the template into a Menu.
 */
import type { EngineEvent, EngineStateDto, Mode, StatusDto, TradingStateDto, TunnelStatusDto } from '../../shared/api.js';

export type TrayIcon = 'live' | 'paused' | 'error' | 'tunnel-down';
export const TRAY_ICONS: readonly TrayIcon[] = ['live', 'paused', 'error', 'tunnel-down'];

export interface TrayState {
  engine: 'starting' | 'running' | 'failed' | 'stopping';
  /** Why the engine could not start (port taken, journal unreadable…). */
  engineError: string | null;
  mode: Mode;
  /** Accounts trading in a mode of their own, other than `mode`. */
  accountModes: { account: string; mode: Mode }[];
  trading: Pick<TradingStateDto, 'paused' | 'reason'>;
  /** Null: no tunnel (local URL only, or the user's own proxy without a manual URL). */
  tunnel: TunnelStatusDto | null;
  localUrl: string | null;
  breaker: { open: boolean; reason: string | null };
  /** The engine's one state (the header shows the same), from its last status. */
  state: EngineStateDto | null;
  /** The last error logged, until the user opens the dashboard. */
  lastError: { message: string; at: number } | null;
  openAtLogin: boolean;
}

export type TrayAction =
  | { type: 'copy'; text: string }
  | { type: 'open-dashboard' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'reset-breaker'; account: string }
  | { type: 'set-open-at-login'; enabled: boolean }
  | { type: 'quit' };

export interface TrayMenuItem {
  id: string;
  type: 'normal' | 'separator' | 'checkbox';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
}

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

export function initialTrayState(mode: Mode, openAtLogin: boolean): TrayState {
  return {
    engine: 'starting',
    engineError: null,
    mode,
    accountModes: [],
    trading: { paused: false, reason: null },
    tunnel: null,
    localUrl: null,
    breaker: { open: false, reason: null },
    state: null,
    lastError: null,
    openAtLogin,
  };
}

/** Folds one engine event into the state; returns the same object when nothing the tray shows changed. */
export function reduceTrayState(state: TrayState, event: EngineEvent): TrayState {
  switch (event.type) {
    case 'status':
      return fromStatus(state, event.status);
    case 'trading':
      return { ...state, trading: { paused: event.trading.paused, reason: event.trading.reason } };
    case 'tunnel':
      return { ...state, tunnel: event.tunnel.provider === 'none' ? null : event.tunnel };
    case 'settings':
      return {
        ...state,
        mode: event.settings.mode,
        accountModes: (event.settings.accounts ?? []).filter((a) => a.mode && a.mode !== event.settings.mode).map((a) => ({ account: a.name, mode: a.mode as Mode })),
        openAtLogin: event.settings.startAtLogin,
      };
    case 'log':
      if (event.entry.level !== 'error' && event.entry.level !== 'fatal') return state;
      return { ...state, lastError: { message: event.entry.msg, at: event.entry.time } };
    default:
      return state;
  }
}

function fromStatus(state: TrayState, s: StatusDto): TrayState {
  const local = s.webhook.port !== null ? `http://${hostForUrl(s.webhook.host)}:${s.webhook.port}/webhook` : state.localUrl;
  return {
    ...state,
    engine: state.engine === 'stopping' ? 'stopping' : s.webhook.listening ? 'running' : state.engine,
    mode: s.mode,
    accountModes: s.accountModes ?? state.accountModes,
    trading: { paused: s.trading.paused, reason: s.trading.reason },
    localUrl: local,
    breaker: s.breaker ? { open: s.breaker.state === 'open', reason: s.breaker.reason } : state.breaker,
    state: s.state,
  };
}

export function trayIcon(s: TrayState): TrayIcon {
  if (s.engine === 'failed' || s.breaker.open || s.lastError) return 'error';
  const kind = s.engine === 'running' ? s.state?.kind : undefined;
  if (kind === 'unreachable' || kind === 'not_ready') return 'error';
  if (kind === 'no_public_url') return 'tunnel-down';
  if (s.tunnel && (s.tunnel.state === 'offline' || s.tunnel.state === 'degraded')) return 'tunnel-down';
  if (s.trading.paused) return 'paused';
  return 'live';
}

const MODE_LABEL: Record<Mode, string> = {
  paper: 'Paper (simulated, no real orders)',
  testnet: 'Testnet (exchange test money)',
  live: 'LIVE — real money',
};

/** The webhook URL TradingView should post to: the public one when there is one. */
export function webhookUrlOf(s: TrayState): { url: string; public: boolean } | null {
  const pub = s.tunnel?.publicUrl;
  if (pub) return { url: `${pub.replace(/\/+$/, '')}/webhook`, public: true };
  return s.localUrl ? { url: s.localUrl, public: false } : null;
}

export function trayModel(s: TrayState, formatTime: (epochMs: number) => string = localTime): TrayModel {
  const icon = trayIcon(s);
  const status = statusLine(s, icon);
  const running = s.engine === 'running';
  const hook = webhookUrlOf(s);
  const menu: TrayMenuItem[] = [
    { id: 'status', type: 'normal', label: status, enabled: false },
    { id: 'mode', type: 'normal', label: `Mode: ${MODE_LABEL[s.mode]}`, enabled: false },
    ...s.accountModes.map(
      (a): TrayMenuItem => ({ id: `mode-${a.account}`, type: 'normal', label: cut(`Account ${a.account}: ${MODE_LABEL[a.mode]}`), enabled: false }),
    ),
    { id: 'tunnel', type: 'normal', label: tunnelLine(s.tunnel), enabled: false },
    hook
      ? {
          id: 'webhook',
          type: 'normal',
          label: cut(hook.public ? `Copy webhook URL: ${hook.url}` : `Copy local webhook URL (TradingView cannot reach it): ${hook.url}`),
          enabled: true,
          action: { type: 'copy', text: hook.url },
        }
      : { id: 'webhook', type: 'normal', label: 'Webhook URL: not listening yet', enabled: false },
  ];
  if (hook?.public && s.tunnel?.subdomainRefused) {
    // The alerts in TradingView still post to the saved address: say it where the URL is copied.
    menu.push({ id: 'url-changed', type: 'normal', label: 'Your webhook URL changed: update your TradingView alerts (click to copy the new one)', enabled: true, action: { type: 'copy', text: hook.url } });
  }
  if (s.lastError) {
    menu.push({
      id: 'last-error',
      type: 'normal',
      label: cut(`Last error (${formatTime(s.lastError.at)}): ${s.lastError.message}`),
      enabled: true,
      action: { type: 'open-dashboard' },
    });
  }
  const halted = s.state?.kind === 'halted' && s.state.account ? s.state.account : null;
  if (halted) {
    menu.push({ id: 'reset-breaker', type: 'normal', label: cut(`Reset the circuit breaker of account ${halted}`), enabled: running, action: { type: 'reset-breaker', account: halted } });
  }
  menu.push(
    { id: 'sep-1', type: 'separator' },
    { id: 'open', type: 'normal', label: 'Open dashboard', enabled: true, action: { type: 'open-dashboard' } },
    s.trading.paused
      ? { id: 'trading', type: 'normal', label: 'Resume trading', enabled: running, action: { type: 'resume' } }
      : { id: 'trading', type: 'normal', label: 'Pause trading', enabled: running, action: { type: 'pause' } },
    {
      id: 'login',
      type: 'checkbox',
      label: 'Start at login (in the tray)',
      checked: s.openAtLogin,
      enabled: true,
      action: { type: 'set-open-at-login', enabled: !s.openAtLogin },
    },
    { id: 'sep-2', type: 'separator' },
    { id: 'quit', type: 'normal', label: 'Quit Pinebridge', enabled: true, action: { type: 'quit' } },
  );
  // Real money on an account of its own must show even when the app's mode is paper.
  const live = s.mode !== 'live' && s.accountModes.some((a) => a.mode === 'live') ? ' (+ LIVE account)' : '';
  return { icon, tooltip: cut(`Pinebridge · ${s.mode.toUpperCase()}${live} · ${status}`, 120), menu };
}

function statusLine(s: TrayState, icon: TrayIcon): string {
  if (s.engine === 'starting') return 'Starting…';
  if (s.engine === 'stopping') return 'Stopping…';
  if (s.engine === 'failed') return cut(`Not running: ${s.engineError ?? 'the engine failed to start'}`);
  // The engine's one state, as the header says it (a 'trading' one: the tray's own events may be newer).
  if (s.state && s.state.kind !== 'trading') return cut(s.state.detail ? `${s.state.label}: ${s.state.detail}` : s.state.label);
  if (s.breaker.open) return cut(`Halted: circuit breaker open${s.breaker.reason ? ` (${s.breaker.reason})` : ''}`);
  if (icon === 'tunnel-down') return 'Tunnel down: TradingView cannot reach Pinebridge';
  if (s.trading.paused) return cut(`Paused: alerts are journaled, not executed${s.trading.reason ? ` (${s.trading.reason})` : ''}`);
  if (icon === 'error') return 'Running, with errors (see the dashboard)';
  return 'Trading: alerts are executed';
}

function tunnelLine(t: TunnelStatusDto | null): string {
  if (!t) return 'Tunnel: off (local URL only)';
  switch (t.state) {
    case 'online':
      return `Tunnel: online${t.lastProbeMs !== null ? ` (${t.lastProbeMs} ms)` : ''}`;
    case 'degraded':
      return cut(`Tunnel: degraded${t.lastError ? ` (${t.lastError})` : ' (self-test failing)'}`);
    case 'offline':
      return cut(`Tunnel: offline${t.lastError ? ` (${t.lastError})` : ''}, reconnecting`);
    case 'starting':
      return 'Tunnel: connecting…';
    case 'stopped':
      return 'Tunnel: stopped';
  }
}

/** The opened dashboard acknowledges the last error: the icon returns to its normal state. */
export function acknowledgeErrors(s: TrayState): TrayState {
  return s.lastError ? { ...s, lastError: null } : s;
}

/** Same menu and icon: no need to rebuild the native menu (log events arrive often). */
export function sameModel(a: TrayModel | null, b: TrayModel): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

function cut(s: string, max = 90): string {
  const line = s.replace(/\s+/g, ' ');
  return line.length <= max ? line : line.slice(0, max - 1) + '…';
}

function localTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
