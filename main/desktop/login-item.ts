/**
 * "Start at login, hidden in the tray". macOS and Windows: Electron's login item. Linux has no
 * such API in Electron: an XDG autostart entry (~/.config/autostart/pinebridge.desktop) does it.
 * Plain Node, so the Linux part and the settings passed to Electron are tested without the binary.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HIDDEN_FLAG } from './lifecycle.js';

/**
 * What `app.setLoginItemSettings` gets on macOS and Windows. `appArgs`: what must precede our flag
 * when the executable is not the packaged app (in development, the app folder for `electron`).
 */
export function loginItemSettings(enabled: boolean, appArgs: readonly string[] = []): { openAtLogin: boolean; args: string[] } {
  // Windows passes `args` to the started app; macOS ignores them and reports `wasOpenedAtLogin`.
  return { openAtLogin: enabled, args: [...appArgs, HIDDEN_FLAG] };
}

export function autostartFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart', 'pinebridge.desktop');
}

/**
 * The command that starts this app again. In an AppImage, `execPath` points into a temporary
 * mount that is gone after exit: the AppImage file itself ($APPIMAGE) is what to run.
 */
export function launchCommand(execPath: string, env: NodeJS.ProcessEnv = process.env, appArgs: readonly string[] = []): string {
  const exe = env.APPIMAGE || execPath;
  return [exe, ...appArgs].map(quoteExec).join(' ') + ` ${HIDDEN_FLAG}`;
}

/** The Exec= quoting of the Desktop Entry spec: reserved characters inside double quotes. */
function quoteExec(arg: string): string {
  if (/^[A-Za-z0-9_./+-]+$/.test(arg)) return arg;
  return `"${arg.replace(/([\\"`$])/g, '\\$1')}"`;
}

export function autostartEntry(command: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Pinebridge',
    'Comment=TradingView alerts to exchange orders (starts in the tray)',
    `Exec=${command}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the Linux autostart entry. */
export function setLinuxAutostart(enabled: boolean, execPath: string, env: NodeJS.ProcessEnv = process.env, appArgs: readonly string[] = []): void {
  const file = autostartFile(env);
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, autostartEntry(launchCommand(execPath, env, appArgs)), { mode: 0o644 });
}
