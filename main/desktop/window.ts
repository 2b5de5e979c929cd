/** The dashboard window: hidden until asked for, hidden again on close, one per app. */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-url.js';
import { closeHides } from './lifecycle.js';
import { mainWindowOptions } from './window-options.js';

export interface DashboardWindow {
  show(): void;
  /** The window's web contents, or null before it exists / after it was destroyed. */
  current(): BrowserWindow | null;
}

export function createDashboardWindow(opts: {
  preloadPath: string;
  devTools: boolean;
  icon?: string;
  quitting: () => boolean;
  onShow?: () => void;
}): DashboardWindow {
  let win: BrowserWindow | null = null;

  const make = (): BrowserWindow => {
    const w = new BrowserWindow(mainWindowOptions(opts.preloadPath, { devTools: opts.devTools, icon: opts.icon }));
    w.on('close', (event) => {
      if (closeHides(opts.quitting())) {
        event.preventDefault();
        w.hide();
      }
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    w.on('show', () => opts.onShow?.());
    void w.loadURL(APP_ENTRY_URL);
    return w;
  };

  return {
    show() {
      if (!win || win.isDestroyed()) win = make();
      const w = win;
      if (w.isMinimized()) w.restore();
      if (w.webContents.isLoading()) w.once('ready-to-show', () => (w.show(), w.focus()));
      else {
        w.show();
        w.focus();
      }
    },
    current: () => (win && !win.isDestroyed() ? win : null),
  };
}
