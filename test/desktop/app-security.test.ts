/**
 * The window's security rules without the Electron binary: what the pinebridge:// protocol
 * serves, what may open or navigate, which permissions are granted, and the BrowserWindow
 * options (a type-only Electron import: checked by tsc against electron.d.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP, isAppUrl, navigationAllowed, openRequestAction, permissionAllowed, resolveAppAsset } from '../../main/desktop/app-url.js';
import { mainWindowOptions } from '../../main/desktop/window-options.js';
import { tempDir } from '../support/temp-dir.js';

describe('pinebridge:// protocol', () => {
  const dir = tempDir();
  const root = join(dir.path, 'renderer-dist');
  beforeAll(() => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Pinebridge</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir.path, 'secret.txt'), 'outside the renderer');
  });
  afterAll(() => dir.cleanup());

  it('serves index.html with a strict CSP, and assets with their type', () => {
    const index = resolveAppAsset(root, 'pinebridge://app/index.html');
    expect(index).toMatchObject({ path: join(root, 'index.html'), mime: 'text/html; charset=utf-8' });
    expect(index?.headers['Content-Security-Policy']).toBe(APP_CSP);
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).toContain("object-src 'none'");
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(resolveAppAsset(root, 'pinebridge://app/')?.path).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'pinebridge://app/assets/index-abc.js')).toMatchObject({ mime: 'text/javascript; charset=utf-8' });
    // Client-side routes fall back to the app; missing files with an extension do not.
    expect(resolveAppAsset(root, 'pinebridge://app/settings/notifications')?.path).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'pinebridge://app/assets/missing.js')).toBeNull();
  });

  it.each([
    'pinebridge://app/../secret.txt',
    'pinebridge://app/%2e%2e/secret.txt',
    'pinebridge://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'pinebridge://app/..%5csecret.txt',
    'pinebridge://app/index.html%00.js',
    'pinebridge://app/%E0%A4%A',
    'pinebridge://other/index.html',
    'pinebridge://app:8080/index.html',
    'file:///etc/passwd',
    'https://app/index.html',
  ])('refuses %s', (url) => {
    const r = resolveAppAsset(root, url);
    expect(r === null || r.path === join(root, 'index.html')).toBe(true);
    expect(r?.path).not.toBe(join(dir.path, 'secret.txt'));
  });

  it('lets http(s) links open in the browser, nothing else, and never navigates away', () => {
    expect(openRequestAction('https://www.tradingview.com/support/')).toBe('open-in-browser');
    expect(openRequestAction('http://example.com')).toBe('open-in-browser');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'pinebridge://app/index.html', 'smb://host/share', 'not a url']) {
      expect(openRequestAction(url)).toBe('deny');
    }
    expect(navigationAllowed('pinebridge://app/index.html#/logs')).toBe(true);
    expect(navigationAllowed('https://evil.example/')).toBe(false);
    expect(navigationAllowed('file:///home/me/')).toBe(false);
    // Chromium hands us canonical (lower-case) URLs for a standard scheme: anything else is not ours.
    expect(isAppUrl('pinebridge://APP/index.html')).toBe(false);
  });

  it('denies every permission except clipboard writes from our own page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'pinebridge://app/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial', 'usb', 'fullscreen']) {
      expect(permissionAllowed(p, 'pinebridge://app/index.html')).toBe(false);
    }
  });
});

describe('dashboard window options', () => {
  it('isolates, sandboxes and hides the window', () => {
    const o = mainWindowOptions('/app/dist/main/desktop/preload.cjs', { devTools: false });
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/main/desktop/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });
});
