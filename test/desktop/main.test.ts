/**
 * main.ts, the Electron entry, run in Node against the stand-in `electron` (fake-electron.ts)
 * with a real engine in a temp data dir: the wiring of lock, window, protocol, tray, IPC, popups,
 * login item and quit. What only the real binary can show (pixels, OS tray, real IPC) is not here.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebhookInfoDto } from '../../shared/api.js';
import { APP_CSP, APP_ENTRY_URL, APP_ORIGIN } from '../../main/desktop/app-url.js';
import { IPC_EVENT, IPC_INVOKE } from '../../main/desktop/ipc-handlers.js';
import { tempDir } from '../support/temp-dir.js';
import { app, clipboard, shell, state, type FakeTray } from './fake-electron.js';
import { lockOwner } from '../../main/engine/core/lock.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electron);

const dir = tempDir();
const dataDir = join(dir.path, 'data');
const xdg = join(dir.path, 'xdg');
const saved = { ...process.env };
let tray: FakeTray;

const ours = { senderFrame: { url: APP_ENTRY_URL, origin: APP_ORIGIN, parent: null } };
type Answer<T> = { ok: boolean; result: T; error?: { code: string; message: string } };
const invoke = <T = unknown>(payload: unknown, event: unknown = ours) => state.ipcHandlers.get(IPC_INVOKE)!(event, payload) as Promise<Answer<T>>;
const click = (id: string) => tray.item(id)!.click();

beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ webhook: { port: 0 } }));
  Object.assign(process.env, { PINEBRIDGE_DATA_DIR: dataDir, PINEBRIDGE_NO_KEYCHAIN: '1', XDG_CONFIG_HOME: xdg, PINEBRIDGE_LOG_LEVEL: 'error' });
  await import('../../main/desktop/main.js');
  // No tunnel is set on a fresh install: the engine runs, but TradingView cannot reach it, and the tray says so.
  await until(() => state.trays[0]?.tooltip.includes('Not reachable from TradingView') === true);
  tray = state.trays[0]!;
});

afterAll(async () => {
  if (!state.quitted) app.quit();
  await until(() => state.quitted);
  process.env = saved;
  dir.cleanup();
});

describe('desktop main (stand-in electron, real engine)', () => {
  it('takes the single-instance lock and registers the app scheme as privileged before ready', () => {
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(state.privileged).toEqual([{ scheme: 'pinebridge', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(lockOwner(join(dataDir, 'pinebridge.lock'))).toBe(process.pid);
  });

  it('shows the tray with the engine state (no public URL yet: the tunnel-down icon), and a sandboxed window on our own origin', () => {
    expect(tray.tooltip).toMatch(/^Pinebridge · PAPER · Not reachable from TradingView \(no public URL\): No tunnel/);
    expect(tray.image.path).toMatch(/assets[/\\]tray[/\\]tray-tunnel-down\.png$/);
    expect(existsSync(tray.image.path)).toBe(true);
    expect(state.windows).toHaveLength(1);
    const w = state.windows[0]!;
    expect(w.webContents.url).toBe(APP_ENTRY_URL);
    expect(w.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(w.options.webPreferences.preload).toMatch(/dist[/\\]main[/\\]desktop[/\\]preload\.cjs$/);
    expect(w.visible).toBe(true); // not launched with --hidden
  });

  it('serves the renderer over pinebridge:// with the CSP, and nothing outside it', async () => {
    const handler = state.protocolHandlers.get('pinebridge')!;
    const index = await handler(new Request('pinebridge://app/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await index.text()).toMatch(/<!doctype html>/i);
    expect((await handler(new Request('pinebridge://app/%2e%2e/%2e%2e/package.json'))).status).toBe(404);
  });

  it('answers IPC from our window and refuses anyone else', async () => {
    await expect(invoke({ command: 'getStatus', args: {} })).resolves.toMatchObject({ ok: true, result: { mode: 'paper' } });
    await expect(invoke({ command: 'getStatus', args: {} }, { senderFrame: { url: 'https://evil.example/', origin: 'https://evil.example', parent: null } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await expect(invoke({ command: 'getStatus', args: {} }, { senderFrame: null })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('"Pause trading" in the tray pauses the engine; the menu and the window follow', async () => {
    click('trading');
    await until(() => tray.item('trading')?.label === 'Resume trading');
    expect(tray.image.path).toMatch(/tray-paused\.png$/);
    await expect(invoke({ command: 'getStatus', args: {} })).resolves.toMatchObject({ result: { trading: { paused: true, reason: 'paused from the tray' } } });
    const sent = state.windows[0]!.webContents.sent.filter((s) => s.channel === IPC_EVENT).map((s) => (s.payload as { type: string }).type);
    expect(sent).toContain('trading');
    click('trading');
    await until(() => tray.item('trading')?.label === 'Pause trading');
  });

  it('copies the webhook URL to the clipboard', async () => {
    const { result } = await invoke<WebhookInfoDto>({ command: 'getWebhookInfo', args: {} });
    click('webhook');
    expect(clipboard.writeText).toHaveBeenLastCalledWith(result.localUrl);
  });

  it('closing the window hides it; a second launch shows it again', () => {
    const w = state.windows[0]!;
    w.close();
    expect(w.destroyed).toBe(false);
    expect(w.visible).toBe(false);
    app.emit('second-instance', {}, ['pinebridge']);
    expect(w.visible).toBe(true);
    expect(state.windows).toHaveLength(1);
  });

  it('denies window.open (opening http links in the browser), navigation and permissions', () => {
    const wc = state.windows[0]!.webContents;
    expect(wc.windowOpenHandler!({ url: 'https://www.tradingview.com/' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://www.tradingview.com/');
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(wc.navigate('https://evil.example/')).toBe(true);
    expect(wc.navigate('pinebridge://app/index.html#/logs')).toBe(false);
    let granted: boolean | null = null;
    state.permissionRequest!({ getURL: () => APP_ENTRY_URL }, 'media', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('pops up a rejected alert as a desktop notification', async () => {
    const { result } = await invoke<WebhookInfoDto>({ command: 'getWebhookInfo', args: {} });
    const res = await fetch(result.localUrl, { method: 'POST', body: '{"secret":"wrong","action":"buy"}', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(401);
    await until(() => state.notifications.length > 0);
    expect(state.notifications[0]).toMatchObject({ title: 'Alert rejected' });
  });

  it('"Start at login" saves the setting and writes the autostart entry', async () => {
    expect(tray.item('login').checked).toBe(false);
    click('login');
    await until(() => tray.item('login')?.checked === true);
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).startAtLogin).toBe(true);
    expect(readFileSync(join(xdg, 'autostart', 'pinebridge.desktop'), 'utf8')).toMatch(/\nExec=.* --hidden\n/);
  });

  it('"Quit" stops the engine first, releases the data dir, then quits', async () => {
    const quitsBefore = state.quitCalls;
    click('quit');
    await until(() => state.quitted);
    expect(state.quitCalls).toBe(quitsBefore + 2); // held once for the stop, then for real
    expect(lockOwner(join(dataDir, 'pinebridge.lock'))).toBeNull();
    expect(state.windows[0]!.destroyed).toBe(true); // closing no longer hides
  });
});

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
