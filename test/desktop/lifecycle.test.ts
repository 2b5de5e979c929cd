/** Tray-app lifecycle rules and the login item, without Electron. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHides, createQuitCoordinator, startsHidden } from '../../main/desktop/lifecycle.js';
import { autostartEntry, autostartFile, launchCommand, loginItemSettings, setLinuxAutostart } from '../../main/desktop/login-item.js';
import { tempDir } from '../support/temp-dir.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

describe('quitting', () => {
  it('holds the first quit until the engine has stopped, then quits once', async () => {
    let release!: () => void;
    const stopped = new Promise<void>((r) => (release = r));
    let quits = 0;
    let prevented = 0;
    const q = createQuitCoordinator({ stop: () => stopped, quit: () => quits++ });
    expect(q.quitting).toBe(false);
    expect(closeHides(q.quitting)).toBe(true);

    q.onBeforeQuit(() => prevented++);
    q.onBeforeQuit(() => prevented++); // a second Quit while stopping is held too
    expect(q.quitting).toBe(true);
    expect(closeHides(q.quitting)).toBe(false);
    expect(prevented).toBe(2);
    expect(quits).toBe(0);

    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(quits).toBe(1);
    q.onBeforeQuit(() => prevented++); // the real quit goes through
    expect(prevented).toBe(2);
  });

  it('quits anyway when stopping fails or hangs, and says so', async () => {
    const problems: string[] = [];
    let quits = 0;
    const failing = createQuitCoordinator({ stop: () => Promise.reject(new Error('journal busy')), quit: () => quits++, onStopProblem: (p) => problems.push(p) });
    failing.onBeforeQuit(() => {});
    const hanging = createQuitCoordinator({ stop: () => new Promise(() => {}), quit: () => quits++, onStopProblem: (p) => problems.push(p), timeoutMs: 30 });
    hanging.onBeforeQuit(() => {});
    await new Promise((r) => setTimeout(r, 80));
    expect(quits).toBe(2);
    expect(problems).toEqual(['stopping failed: journal busy', 'the engine did not stop within 30 ms; quitting anyway']);
  });

  it('starts hidden only when launched at login', () => {
    expect(startsHidden(['/opt/Pinebridge/pinebridge'])).toBe(false);
    expect(startsHidden(['/opt/Pinebridge/pinebridge', '--hidden'])).toBe(true);
    expect(startsHidden(['electron', '.'], true)).toBe(true);
  });
});

describe('start at login', () => {
  it('asks Electron for a hidden login item (macOS, Windows)', () => {
    expect(loginItemSettings(true)).toEqual({ openAtLogin: true, args: ['--hidden'] });
    expect(loginItemSettings(false, ['/home/me/pinebridge'])).toEqual({ openAtLogin: false, args: ['/home/me/pinebridge', '--hidden'] });
  });

  it('writes and removes an XDG autostart entry on Linux', () => {
    const d = tempDir();
    dirs.push(d);
    const env = { XDG_CONFIG_HOME: d.path };
    const file = autostartFile(env);
    expect(file).toBe(join(d.path, 'autostart', 'pinebridge.desktop'));

    setLinuxAutostart(true, '/opt/Pinebridge/pinebridge', env);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Pinebridge\n');
    expect(entry).toContain('\nExec=/opt/Pinebridge/pinebridge --hidden\n');

    setLinuxAutostart(false, '/opt/Pinebridge/pinebridge', env);
    expect(existsSync(file)).toBe(false);
    setLinuxAutostart(false, '/opt/Pinebridge/pinebridge', env); // already gone: fine
  });

  it('starts the AppImage itself, quoting paths for the Exec key', () => {
    expect(launchCommand('/tmp/.mount_PinebrXYZ/pinebridge', { APPIMAGE: '/home/me/Apps/Pinebridge-0.1.0.AppImage' })).toBe(
      '/home/me/Apps/Pinebridge-0.1.0.AppImage --hidden',
    );
    expect(launchCommand('/home/me/My Apps/elec"tron', {}, ['/home/me/$proj'])).toBe('"/home/me/My Apps/elec\\"tron" "/home/me/\\$proj" --hidden');
    expect(autostartEntry('x --hidden').split('\n')).toContain('Exec=x --hidden');
  });
});
