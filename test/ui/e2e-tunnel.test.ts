/**
 * The tunnel choices in real Chromium against a real `pinebridge serve` and the local tunnel
 * server: a saved subdomain the server does not grant shows the URL-changed banner (new URL, copy
 * button); "my own URL" at http://127.0.0.1 is refused with the reason; choosing "no tunnel" stops
 * localtunnel (no registration after it). Screenshots go to test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTunnelServer, type TestTunnelServer } from '../support/tunnel-server.js';
import { launchChromium, screenshot, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const SAVED = 'pb-uitestsavedsubdomain01';
let tunnels: TestTunnelServer;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  // The server keeps handing out other names: this install's saved one is "taken".
  [tunnels, browser] = await Promise.all([startTunnelServer({ honorSubdomain: false }), launchChromium()]);
  serve = await startServe({
    args: ['--tunnel', 'localtunnel'],
    settings: {
      setupCompletedAt: Date.now(),
      tunnel: { provider: 'localtunnel', host: tunnels.url, subdomain: SAVED, probeIntervalSec: 3600, reclaimIntervalSec: 3600 },
    },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  pageErrors = watchErrors(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await tunnels?.close();
});

describe.sequential('tunnel choices in the UI, in Chromium', () => {
  it('says "your webhook URL changed" with the new URL and a copy button when the saved subdomain is not granted', async () => {
    await page.goto(`${serve.controlUrl}/`);
    await page.getByLabel('Control token').fill(serve.token);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    const banner = page.getByTestId('url-changed');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Your webhook URL changed: update your TradingView alerts');
    expect(await banner.textContent()).toContain(SAVED);
    const id = tunnels.clientIds()[0]!;
    expect(id).not.toBe(SAVED);
    expect(await page.getByTestId('url-changed-url').textContent()).toBe(`${tunnels.publicUrlFor(id)}/webhook`);
    await expect(banner.getByRole('button', { name: 'Copy' }).isVisible()).resolves.toBe(true);
    await screenshot(page, '40-url-changed-banner');
  });

  it('refuses http://127.0.0.1 as my own URL, saying why', async () => {
    await page.goto(`${serve.controlUrl}/#/settings`);
    await page.getByLabel('Public URL from').selectOption('manual');
    await page.getByLabel('Public https URL').fill('http://127.0.0.1:8787');
    await page.getByRole('button', { name: 'Save and start' }).click();
    const error = page.locator('.tunnel-panel [role="alert"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/must start with https:\/\/ \(TradingView only posts to HTTPS\)/);
    await screenshot(page, '41-own-url-refused');
    // Nothing changed: localtunnel still runs.
    expect(tunnels.clientCount()).toBe(1);
  });

  it('"no tunnel" stops localtunnel at once, and the banner goes', async () => {
    await page.getByLabel('Public URL from').selectOption('none');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('public-url').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    await expect.poll(() => page.getByTestId('tunnel-status').count()).toBe(0);
    // Nothing asks the tunnel server for a tunnel any more, even once it would grant the saved name.
    const asked = tunnels.registrations.length;
    tunnels.honorSubdomain = true;
    await new Promise((r) => setTimeout(r, 3000));
    expect(tunnels.registrations.length).toBe(asked);
    await page.goto(`${serve.controlUrl}/#/`);
    await page.getByLabel('Tunnel').waitFor();
    expect(await page.getByTestId('url-changed').count()).toBe(0);
    await screenshot(page, '42-no-tunnel');
    expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
