/**
 * The dashboard window's options, as data (only a type import of Electron), so the security
 * settings are asserted by a test without the binary.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadPath: string, opts: { devTools: boolean; icon?: string }): BrowserWindowConstructorOptions {
  return {
    show: false, // shown on demand: the app lives in the tray
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 520,
    title: 'Pinebridge',
    backgroundColor: '#101418',
    autoHideMenuBar: true,
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: opts.devTools,
    },
  };
}
