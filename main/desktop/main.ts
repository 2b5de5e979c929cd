/**
 * The desktop app's entry (Electron main process). A thin shell: host.ts composes the engine,
 * tunnel and secrets exactly as they run headless; this file adds the single-instance lock, the
 * tray, the hidden dashboard window, IPC, popups and the login item.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, clipboard, dialog } from 'electron';
import type { EngineEvent } from '../../shared/api.js';
import type { Notifier } from '../engine/notify/index.js';
import { appPaths } from './app-paths.js';
import { createDesktopHost, type DesktopHost } from './host.js';
import { registerIpc } from './ipc.js';
import { createQuitCoordinator, startsHidden } from './lifecycle.js';
import { loginItemSettings, setLinuxAutostart } from './login-item.js';
import { startDesktopNotifications } from './notifications.js';
import { hardenWebContents, registerAppScheme, serveRenderer } from './protocol.js';
import { createAppTray, type AppTray } from './tray.js';
import { acknowledgeErrors, initialTrayState, reduceTrayState, trayModel, type TrayAction, type TrayState } from './tray-model.js';
import { createDashboardWindow, type DashboardWindow } from './window.js';

const PATHS = appPaths(dirname(fileURLToPath(import.meta.url)));

app.setName('Pinebridge');
if (process.platform === 'win32') app.setAppUserModelId('com.pinebridge.desktop');
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // Another Pinebridge runs: it gets 'second-instance' and shows its window.
  app.quit();
} else {
  run().catch((e: unknown) => {
    dialog.showErrorBox('Pinebridge failed', String((e as Error)?.stack ?? e));
    app.exit(1);
  });
}

async function run(): Promise<void> {
  let dashboard: DashboardWindow | null = null;
  app.on('second-instance', () => dashboard?.show());
  // Staying alive with no window is the point of a tray app: only Quit ends it.
  app.on('window-all-closed', () => {});
  app.on('activate', () => dashboard?.show());

  await app.whenReady();
  if (process.platform === 'darwin') app.dock?.hide();
  hardenWebContents();
  serveRenderer(PATHS.renderer);

  let host: DesktopHost;
  try {
    host = await createDesktopHost();
  } catch (e) {
    dialog.showErrorBox('Pinebridge cannot start', (e as Error).message);
    app.exit(1);
    return;
  }
  const { engine } = host;
  const log = engine.logger;
  process.on('unhandledRejection', (e) => log.error({ err: engine.redactor.scrub(String((e as Error)?.stack ?? e)) }, 'unhandled rejection'));

  let state: TrayState = initialTrayState(engine.settings.mode, engine.settings.startAtLogin);
  let tray: AppTray | null = null;
  const update = (next: TrayState) => {
    if (next === state) return;
    state = next;
    tray?.render(trayModel(state));
  };

  let notifier: Notifier | null = null;
  let stopIpc: () => void = () => {};
  const quit = createQuitCoordinator({
    stop: async () => {
      update({ ...state, engine: 'stopping' });
      await notifier?.stop(2000);
      stopIpc();
      await host.stop();
    },
    quit: () => app.quit(),
    onStopProblem: (p) => log.warn(p),
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(() => event.preventDefault()));

  dashboard = createDashboardWindow({
    preloadPath: PATHS.preload,
    devTools: !app.isPackaged,
    icon: PATHS.appIcon,
    quitting: () => quit.quitting,
    onShow: () => update(acknowledgeErrors(state)),
  });
  const openDashboard = () => dashboard?.show();

  const onAction = (action: TrayAction) => {
    const report = (what: string) => (e: unknown) => log.warn(`${what} failed: ${engine.redactor.scrub((e as Error).message)}`);
    switch (action.type) {
      case 'copy':
        clipboard.writeText(action.text);
        return;
      case 'open-dashboard':
        openDashboard();
        return;
      case 'pause':
        engine.api.pauseTrading({ reason: 'paused from the tray' }).catch(report('pause'));
        return;
      case 'resume':
        engine.api.resumeTrading({}).catch(report('resume'));
        return;
      case 'reset-breaker':
        engine.api.resetBreaker({ account: action.account }).catch(report('breaker reset'));
        return;
      case 'set-open-at-login':
        // Saved like any setting; the `settings` event below applies it to the OS.
        engine.api.updateSettings({ patch: { startAtLogin: action.enabled } }).catch(report('start at login'));
        return;
      case 'quit':
        app.quit();
        return;
    }
  };
  tray = createAppTray(PATHS.trayIcons, onAction, trayModel(state));

  // Login item: applied at start and whenever the setting changes (tray or UI).
  let appliedLogin: boolean | null = null;
  const applyLoginItem = (enabled: boolean) => {
    if (enabled === appliedLogin) return;
    appliedLogin = enabled;
    const appArgs = app.isPackaged ? [] : [app.getAppPath()];
    try {
      if (process.platform === 'linux') setLinuxAutostart(enabled, process.execPath, process.env, appArgs);
      else app.setLoginItemSettings({ ...loginItemSettings(enabled, appArgs), path: process.execPath });
    } catch (e) {
      log.warn(`start at login not ${enabled ? 'set' : 'removed'}: ${(e as Error).message}`);
    }
  };
  applyLoginItem(engine.settings.startAtLogin);

  engine.events.subscribe((event: EngineEvent) => {
    update(reduceTrayState(state, event));
    if (event.type === 'settings') applyLoginItem(event.settings.startAtLogin);
  });
  stopIpc = registerIpc({
    api: engine.api,
    events: engine.events,
    scrub: (s) => engine.redactor.scrub(s),
    warn: (m) => log.warn(m),
  });
  notifier = startDesktopNotifications({ events: engine.events, settings: () => engine.settings.notifications, icon: PATHS.appIcon, onClick: openDashboard });

  try {
    await host.start();
    const tunnel = await engine.api.getTunnelStatus({});
    update(reduceTrayState({ ...state, engine: 'running' }, { type: 'tunnel', tunnel }));
  } catch (e) {
    log.error(`the engine did not start: ${engine.redactor.scrub((e as Error).message)}`);
    update({ ...state, engine: 'failed', engineError: engine.redactor.scrub((e as Error).message) });
  }

  const openedAtLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (!startsHidden(process.argv, openedAtLogin)) openDashboard();
}
