/** The tray icon and its menu, rebuilt from tray-model.ts whenever what it shows changes. */
import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { sameModel, TRAY_ICONS, type TrayAction, type TrayIcon, type TrayMenuItem, type TrayModel } from './tray-model.js';

export interface AppTray {
  render(model: TrayModel): void;
  destroy(): void;
}

/** `iconsDir` holds tray-<state>.png and tray-<state>@2x.png (Electron picks the @2x on HiDPI). */
export function createAppTray(iconsDir: string, onAction: (action: TrayAction) => void, initial: TrayModel): AppTray {
  const images = new Map<TrayIcon, NativeImage>(TRAY_ICONS.map((s) => [s, nativeImage.createFromPath(join(iconsDir, `tray-${s}.png`))]));
  const tray = new Tray(images.get(initial.icon) ?? nativeImage.createEmpty());
  let shown: TrayModel | null = null;

  const toItem = (item: TrayMenuItem): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      id: item.id,
      type: item.type,
      label: item.label,
      enabled: item.enabled ?? true,
      ...(item.type === 'checkbox' ? { checked: item.checked ?? false } : {}),
      ...(action ? { click: () => onAction(action) } : {}),
    };
  };

  const render = (model: TrayModel) => {
    if (sameModel(shown, model)) return;
    if (!shown || shown.icon !== model.icon) tray.setImage(images.get(model.icon) ?? nativeImage.createEmpty());
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(model.menu.map(toItem)));
    shown = model;
  };

  // Windows: a left click opens the dashboard (the menu is on the right button).
  if (process.platform === 'win32') tray.on('click', () => onAction({ type: 'open-dashboard' }));
  render(initial);
  return { render, destroy: () => tray.destroy() };
}
