/** The tray menu and icon from engine state (pure: tray-model.ts). */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, StatusDto, TunnelStatusDto } from '../../shared/api.js';
import {
  acknowledgeErrors,
  initialTrayState,
  reduceTrayState,
  sameModel,
  trayIcon,
  trayModel,
  type TrayMenuItem,
  type TrayState,
} from '../../main/desktop/tray-model.js';

const status = (over: Partial<StatusDto> = {}): StatusDto => ({
  state: { kind: 'trading', label: 'Trading', detail: null },
  version: '0.1.0',
  mode: 'paper',
  startedAt: 0,
  webhook: { listening: true, port: 8787, host: '127.0.0.1' },
  journal: { path: '/tmp/j', alerts: 0 },
  trading: { paused: false, reason: null },
  ...over,
});
const tunnel = (state: TunnelStatusDto['state'], publicUrl: string | null = 'https://pine-abc.loca.lt', lastError: string | null = null): TunnelStatusDto => ({
  provider: 'localtunnel',
  state,
  publicUrl,
  lastProbeMs: state === 'online' ? 142 : null,
  lastProbeAt: null,
  lastError,
});

function running(...events: EngineEvent[]): TrayState {
  return events.reduce(reduceTrayState, initialTrayState('paper', false) as TrayState);
}
const item = (menu: TrayMenuItem[], id: string) => {
  const found = menu.find((m) => m.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
};
const labels = (menu: TrayMenuItem[]) => menu.map((m) => (m.type === 'separator' ? '---' : m.label));

describe('tray model', () => {
  it('shows a running paper engine with its public webhook URL, click copies it', () => {
    const s = running({ type: 'status', status: status() }, { type: 'tunnel', tunnel: tunnel('online') });
    const m = trayModel(s);
    expect(m.icon).toBe('live');
    expect(m.tooltip).toBe('Pinebridge · PAPER · Trading: alerts are executed');
    expect(labels(m.menu)).toEqual([
      'Trading: alerts are executed',
      'Mode: Paper (simulated, no real orders)',
      'Tunnel: online (142 ms)',
      'Copy webhook URL: https://pine-abc.loca.lt/webhook',
      '---',
      'Open dashboard',
      'Pause trading',
      'Start at login (in the tray)',
      '---',
      'Quit Pinebridge',
    ]);
    expect(item(m.menu, 'webhook').action).toEqual({ type: 'copy', text: 'https://pine-abc.loca.lt/webhook' });
    expect(item(m.menu, 'status').enabled).toBe(false);
    expect(item(m.menu, 'trading')).toMatchObject({ enabled: true, action: { type: 'pause' } });
    expect(item(m.menu, 'login')).toMatchObject({ type: 'checkbox', checked: false, action: { type: 'set-open-at-login', enabled: true } });
    expect(item(m.menu, 'quit').action).toEqual({ type: 'quit' });
    expect(item(m.menu, 'open').action).toEqual({ type: 'open-dashboard' });
  });

  it('without a tunnel offers the local URL, saying TradingView cannot reach it', () => {
    const m = trayModel(running({ type: 'status', status: status({ webhook: { listening: true, port: 9911, host: '0.0.0.0' } }) }));
    expect(item(m.menu, 'tunnel').label).toBe('Tunnel: off (local URL only)');
    expect(item(m.menu, 'webhook')).toMatchObject({
      label: 'Copy local webhook URL (TradingView cannot reach it): http://127.0.0.1:9911/webhook',
      action: { type: 'copy', text: 'http://127.0.0.1:9911/webhook' },
    });
  });

  it('paused: amber icon, the reason, and "Resume trading"', () => {
    const s = running({ type: 'status', status: status() }, { type: 'trading', trading: { paused: true, reason: 'paused from the tray', changedAt: 1 } });
    const m = trayModel(s);
    expect(m.icon).toBe('paused');
    expect(item(m.menu, 'status').label).toBe('Paused: alerts are journaled, not executed (paused from the tray)');
    expect(item(m.menu, 'trading')).toMatchObject({ label: 'Resume trading', action: { type: 'resume' } });
  });

  it('tunnel down outranks paused; the tunnel line says why', () => {
    const s = running(
      { type: 'status', status: status({ mode: 'live', trading: { paused: true, reason: null } }) },
      { type: 'tunnel', tunnel: tunnel('offline', 'https://pine-abc.loca.lt', 'connect ECONNREFUSED') },
    );
    const m = trayModel(s);
    expect(m.icon).toBe('tunnel-down');
    expect(item(m.menu, 'status').label).toBe('Tunnel down: TradingView cannot reach Pinebridge');
    expect(item(m.menu, 'mode').label).toBe('Mode: LIVE — real money');
    expect(item(m.menu, 'tunnel').label).toBe('Tunnel: offline (connect ECONNREFUSED), reconnecting');
    expect(trayIcon({ ...s, tunnel: tunnel('degraded') })).toBe('tunnel-down');
    expect(trayIcon({ ...s, tunnel: tunnel('starting') })).toBe('paused');
  });

  it('an error logged turns the icon red until the dashboard is opened', () => {
    const before = running({ type: 'status', status: status() });
    const s = reduceTrayState(before, { type: 'log', entry: { time: Date.UTC(2026, 0, 1, 9, 5), level: 'error', msg: 'venue unreachable: ETIMEDOUT' } });
    const m = trayModel(s, () => '09:05');
    expect(m.icon).toBe('error');
    expect(item(m.menu, 'status').label).toBe('Running, with errors (see the dashboard)');
    expect(item(m.menu, 'last-error')).toMatchObject({ label: 'Last error (09:05): venue unreachable: ETIMEDOUT', action: { type: 'open-dashboard' } });
    const acked = acknowledgeErrors(s);
    expect(trayIcon(acked)).toBe('live');
    expect(trayModel(acked).menu.some((i) => i.id === 'last-error')).toBe(false);
  });

  it('an engine that failed to start: error icon, the reason, trading controls disabled', () => {
    const s: TrayState = { ...initialTrayState('testnet', true), engine: 'failed', engineError: 'listen EADDRINUSE: address already in use 127.0.0.1:8787' };
    const m = trayModel(s);
    expect(m.icon).toBe('error');
    expect(item(m.menu, 'status').label).toBe('Not running: listen EADDRINUSE: address already in use 127.0.0.1:8787');
    expect(item(m.menu, 'trading').enabled).toBe(false);
    expect(item(m.menu, 'webhook')).toMatchObject({ label: 'Webhook URL: not listening yet', enabled: false });
    expect(item(m.menu, 'login')).toMatchObject({ checked: true, action: { type: 'set-open-at-login', enabled: false } });
  });

  it('a breaker opening (status.breaker) halts: red icon and the reason', () => {
    const s = running({ type: 'status', status: status({ breaker: { state: 'open', failures: 5, reason: '5 failures in 60 s', reopensAt: null } }) });
    expect(trayIcon(s)).toBe('error');
    expect(item(trayModel(s).menu, 'status').label).toBe('Halted: circuit breaker open (5 failures in 60 s)');
  });

  it('folds settings changes in and ignores events it does not show', () => {
    const s = running({ type: 'status', status: status() });
    const settings = reduceTrayState(s, {
      type: 'settings',
      settings: { mode: 'testnet', startAtLogin: true, accounts: [] } as unknown as Extract<EngineEvent, { type: 'settings' }>['settings'],
    });
    expect(settings).toMatchObject({ mode: 'testnet', openAtLogin: true, accountModes: [] });
    expect(reduceTrayState(s, { type: 'log', entry: { time: 1, level: 'info', msg: 'alert accepted' } })).toBe(s);
    expect(reduceTrayState(s, { type: 'alert.accepted', alert: {} as never })).toBe(s);
  });

  it('an account trading in a mode of its own gets its own line; a live one shows in the tooltip of a paper app', () => {
    const s = running({ type: 'status', status: status({ accountModes: [{ account: 'scalper', mode: 'live' }] }) });
    const m = trayModel(s);
    expect(item(m.menu, 'mode').label).toBe('Mode: Paper (simulated, no real orders)');
    expect(item(m.menu, 'mode-scalper').label).toBe('Account scalper: LIVE — real money');
    expect(m.tooltip).toMatch(/^Pinebridge · PAPER \(\+ LIVE account\) · /);

    // Settings saved: the account goes back to the app's mode, another goes to testnet.
    const after = reduceTrayState(s, {
      type: 'settings',
      settings: {
        mode: 'paper',
        startAtLogin: false,
        accounts: [
          { name: 'scalper', mode: 'paper', exchange: null, exchangeUrl: null },
          { name: 'swing', mode: 'testnet', exchange: null, exchangeUrl: null },
          { name: 'plain', mode: null, exchange: null, exchangeUrl: null },
        ],
      } as unknown as Extract<EngineEvent, { type: 'settings' }>['settings'],
    });
    expect(after.accountModes).toEqual([{ account: 'swing', mode: 'testnet' }]);
    const m2 = trayModel(after);
    expect(labels(m2.menu)).toContain('Account swing: Testnet (exchange test money)');
    expect(labels(m2.menu).some((l) => l?.startsWith('Account scalper'))).toBe(false);
    expect(m2.tooltip).not.toContain('LIVE');
  });

  it('cuts long labels and tells when a rebuild is needed', () => {
    const s = reduceTrayState(running({ type: 'status', status: status() }), { type: 'log', entry: { time: 0, level: 'fatal', msg: 'x'.repeat(500) } });
    const label = item(trayModel(s).menu, 'last-error').label!;
    expect(label.length).toBe(90);
    expect(label.endsWith('…')).toBe(true);
    expect(sameModel(trayModel(s), trayModel(s))).toBe(true);
    expect(sameModel(trayModel(s), trayModel(acknowledgeErrors(s)))).toBe(false);
    expect(sameModel(null, trayModel(s))).toBe(false);
  });
});

describe('tray model: the engine state', () => {
  it('says what the header says when the exchange is unreachable or an account is halted, and offers the breaker reset', () => {
    const unreachable = running({ type: 'status', status: status({ state: { kind: 'unreachable', label: 'Exchange unreachable', detail: 'binance does not answer (timeout).' } }) });
    expect(trayIcon(unreachable)).toBe('error');
    expect(item(trayModel(unreachable).menu, 'status').label).toMatch(/^Exchange unreachable: binance does not answer/);
    expect(trayModel(unreachable).menu.find((m) => m.id === 'reset-breaker')).toBeUndefined();

    const halted = running({ type: 'status', status: status({ state: { kind: 'halted', label: 'Halted (breaker on account side)', detail: '3 execution failures.', account: 'side' } }) });
    const m = trayModel(halted);
    expect(item(m.menu, 'status').label).toMatch(/^Halted \(breaker on account side\)/);
    expect(item(m.menu, 'reset-breaker')).toMatchObject({ enabled: true, action: { type: 'reset-breaker', account: 'side' } });
    expect(m.tooltip).toContain('Halted (breaker on account side)');

    const noUrl = running({ type: 'status', status: status({ state: { kind: 'no_public_url', label: 'Not reachable from TradingView (no public URL)', detail: 'No tunnel.' } }) });
    expect(trayIcon(noUrl)).toBe('tunnel-down');
  });
});
