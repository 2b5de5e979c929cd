/**
 * End to end in real Chromium against a real `pinebridge serve` (paper mode): token hand-off,
 * the setup wizard to a test alert, live alerts and logs, pause, the live-mode confirmation.
 * Screenshots of each screen go to test-artifacts/screenshots/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { launchChromium, safeScreenshot, screenshot, SCREENSHOT_DIR, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

const SCREENS = process.env.PINEBRIDGE_SCREENS_DIR ?? join(SCREENSHOT_DIR, 'paper');
const secrets = () => ({ 'webhook secret': serve.webhookSecret(), 'control token': serve.token });
/** The Orders screen's last column (the one lost at 800x600 before issue 17). */
const LAST_ORDERS_COLUMN = 'Alert';

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(8000);
  pageErrors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

const alert = (over: Record<string, unknown> = {}) => ({
  secret: serve.webhookSecret(),
  strategy: 'ma-cross',
  action: 'buy',
  symbol: 'BINANCE:BTCUSDT',
  quantity: '0.001',
  price: '64000',
  id: `e2e-${Math.random().toString(36).slice(2)}`,
  ...over,
});

/** How far the page scrolls sideways, and the outermost elements sticking out (nav tabs scroll on their own). */
const WIDEST = `(() => {
  const W = document.documentElement.clientWidth;
  const culprits = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    const r = el.getBoundingClientRect();
    if (r.right > W + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > W + 1)) culprits.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  }
  return { by: document.documentElement.scrollWidth - W, culprits: culprits.slice(0, 6) };
})()`;

describe.sequential('the UI over pinebridge serve, in Chromium', () => {
  it('asks for the control token, refuses a wrong one, keeps the right one for the tab', async () => {
    await page.goto(`${serve.controlUrl}/`);
    await page.getByLabel('Control token').waitFor();
    await screenshot(page, '01-token-gate');
    await page.getByLabel('Control token').fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    await page.getByText('That token was refused').waitFor();
    await page.getByLabel('Control token').fill(serve.token);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    // First run: straight into the setup wizard.
    await page.getByTestId('wizard-step-1').waitFor();
    expect(await page.evaluate('sessionStorage.getItem("pinebridge.controlToken")')).toBe(serve.token);
    expect(await page.getByTestId('mode-badge').first().textContent()).toBe('PAPER');
    pageErrors.length = 0; // the refused token's 401 was expected
  });

  it('walks the setup wizard to a test alert through the webhook', async () => {
    await screenshot(page, '02-wizard-mode');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Paper mode needs no exchange keys').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('wizard-step-3').waitFor();
    await expect.poll(() => page.getByTestId('public-url').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    await screenshot(page, '03-wizard-tunnel');
    await page.getByRole('button', { name: 'Continue without a tunnel' }).click();

    await page.getByLabel('Strategy name').fill('ma-cross');
    await page.getByLabel('Quantity per order').fill('0.001');
    await screenshot(page, '04-wizard-strategy');
    await page.getByRole('button', { name: 'Save and continue' }).click();

    const region = page.getByRole('region', { name: /TradingView alert/ });
    const message = region.getByLabel('Alert message');
    await message.waitFor();
    // The secret is masked on screen by default: a screenshot of this step shows no secret.
    expect(await message.textContent()).toContain('"secret": "••••••••"');
    await safeScreenshot(page, SCREENS, '05-wizard-alert-message-masked', secrets());
    // Copy gives the real message (with the secret), though the screen shows the mask.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.controlUrl });
    await region.getByRole('button', { name: 'Copy message' }).click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toContain('"secret"');
    const copied = JSON.parse(await page.evaluate<string>('navigator.clipboard.readText()')) as Record<string, string>;
    expect(copied.secret).toBe(serve.webhookSecret());
    // Reveal shows it; the revealed text is the message Copy gave.
    // (the first Reveal is the alert message's; the Pine snippet's is in the closed details below)
    await region.getByRole('button', { name: 'Reveal secret' }).first().click();
    const text = (await message.textContent()) ?? '';
    expect(text).toContain(serve.webhookSecret());
    // Revealed, the page shows the secret: safeScreenshot refuses it (the check above is a real one).
    await expect(safeScreenshot(page, SCREENS, '05-wizard-alert-message-revealed', secrets())).rejects.toThrow('the page shows the webhook secret');
    const parsed = JSON.parse(text) as Record<string, string>;
    expect(parsed).toEqual(copied);
    // The robust form: the order's contracts and where the strategy ends up; the strategy's quantity is its default size.
    expect(parsed).toMatchObject({
      strategy: 'ma-cross',
      contracts: '{{strategy.order.contracts}}',
      market_position: '{{strategy.market_position}}',
      position_size: '{{strategy.position_size}}',
      price: '{{close}}',
      symbol: '{{exchange}}:{{ticker}}',
      secret: serve.webhookSecret(),
    });
    expect(await page.getByTestId('robust-fields-why').textContent()).toMatch(/reversal trades to the new side/);
    await screenshot(page, '05-wizard-alert-message');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel(/Price for the test/).fill('64000');
    await page.getByRole('button', { name: 'Send a test alert' }).click();
    const result = page.getByTestId('test-alert-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/answered HTTP 200/);
    expect(await result.textContent()).toContain('"status":"accepted"');
    await screenshot(page, '06-wizard-test-alert');
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByRole('heading', { name: 'Last alerts' }).waitFor();
  });

  it('shows an alert posted to the webhook on the dashboard and in the live log, without a reload', async () => {
    // The wizard's test alert is listed first; then one posted from outside appears on top.
    await page.getByTestId('alerts-table').locator('tbody tr').first().waitFor();
    const posted = await serve.postAlert(alert({ action: 'sell', quantity: '0.002' }));
    expect(posted.status).toBe(200);
    const top = page.getByTestId('alerts-table').locator('tbody tr').first();
    await expect.poll(() => top.textContent()).toMatch(/ma-crosssell/);
    await screenshot(page, '07-dashboard');

    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByTestId('log-box').waitFor();
    await serve.postAlert(alert({ action: 'buy', symbol: 'BINANCE:ETHUSDT' }));
    await page.getByTestId('log-line').filter({ hasText: 'alert accepted: buy BINANCE:ETHUSDT' }).waitFor();
    await page.getByLabel('Search logs').fill('ETHUSDT');
    await expect.poll(() => page.getByTestId('log-line').count()).toBeGreaterThan(0);
    for (const line of await page.getByTestId('log-line').allTextContents()) expect(line).toContain('ETHUSDT');
    const all = (await page.getByTestId('log-box').textContent()) ?? '';
    expect(all).not.toContain(serve.webhookSecret());
    expect(all).not.toContain(serve.token);
    await screenshot(page, '08-logs');
  });

  it('shows the paper order, the position and the realized P&L appear live as alerts fill', async () => {
    await page.getByRole('link', { name: 'Positions' }).click();
    // The wizard's test alert bought 0.001 BTC, the sell of 0.002 after it sold that down to flat
    // (spot cannot be short), and the ETH buy holds 0.001 ETH in paper mode.
    await page.getByTestId('positions-table').locator('tbody tr', { hasText: 'ETH/USDT' }).waitFor();
    expect(await page.getByTestId('positions-table').locator('tbody tr', { hasText: 'BTC/USDT' }).count()).toBe(0);
    const sol = page.getByTestId('positions-table').locator('tbody tr', { hasText: 'SOL/USDT' });
    expect(await sol.count()).toBe(0);
    expect((await serve.postAlert(alert({ symbol: 'BINANCE:SOLUSDT', quantity: '2', price: '150' }))).status).toBe(200);
    await sol.waitFor();
    expect(await sol.locator('td').nth(3).textContent()).toBe('2');
    // The paper book: 10 000 USDT to start, less what the buys cost.
    await expect.poll(() => page.getByTestId('balances-table').locator('tbody tr', { hasText: 'SOL' }).textContent()).toContain('2');
    await screenshot(page, '08a-positions');

    await page.getByRole('link', { name: 'Orders' }).click();
    const order = page.getByTestId('orders-table').locator('tbody tr', { hasText: 'SOL/USDT' }).first();
    await order.waitFor();
    expect(await order.textContent()).toMatch(/buy/);
    await screenshot(page, '08b-orders');

    await page.getByRole('link', { name: 'P&L chart' }).click();
    await page.getByTestId('pnl-chart').waitFor();
    expect((await serve.postAlert(alert({ symbol: 'BINANCE:SOLUSDT', action: 'close', quantity: undefined, price: '160' }))).status).toBe(200);
    // Bought 2 at ~150, sold at ~160: about +19 after fees and slippage, shown without a reload.
    await expect.poll(async () => Number(((await page.locator('.big-figure .gain').textContent()) ?? '').replace(/[^\d.]/g, '')), { timeout: 8000 }).toBeGreaterThan(15);
    expect(await page.getByTestId('fills-table').locator('tbody tr', { hasText: 'SOL/USDT' }).count()).toBe(2);
    expect(await page.getByTestId('pnl-chart').locator('canvas').count()).toBeGreaterThan(0);
    await screenshot(page, '08c-pnl-chart');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download trades (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n').filter((l) => l.includes('SOL/USDT'))).toHaveLength(2);
  });

  it('pauses trading from the header; the next alert is journaled but not executed', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('switch', { name: /Trading on/ }).first().click();
    await page.getByRole('switch', { name: /Trading paused/ }).first().waitFor();
    const posted = await serve.postAlert(alert({ action: 'buy' }));
    expect(posted.status).toBe(200);
    const row = page.getByTestId('alerts-table').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toMatch(/skipped.*trading is paused/);
    await screenshot(page, '09-dashboard-paused');
    await page.getByRole('switch', { name: /Trading paused/ }).first().click();
    await page.getByRole('switch', { name: /Trading on/ }).first().waitFor();
  });

  it('opens an alert: as received with the secret removed, how it was read, the reason', async () => {
    await page.getByTestId('alerts-table').locator('tbody tr').first().getByRole('link').click();
    await page.getByTestId('alert-reason').waitFor();
    const received = (await page.getByLabel('As received (secret removed)').textContent()) ?? '';
    expect(received).toContain('"strategy": "ma-cross"');
    expect(received).not.toContain(serve.webhookSecret());
    expect(await page.getByTestId('alert-reason').textContent()).toContain('trading is paused');
    await screenshot(page, '10-alert-detail');
  });

  it('asks for explicit confirmation before switching to live, and shows live unmistakably', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    // One word for where keys go: serve runs without a keychain here (PINEBRIDGE_NO_KEYCHAIN=1).
    await page.getByText('keys kept in the file store').waitFor();
    await page.getByRole('radio', { name: /Live/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to LIVE trading?' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Switch to live' });
    expect(await confirm.isDisabled()).toBe(true);
    await screenshot(page, '11-live-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('mode-badge').first().textContent()).toBe('PAPER');

    await page.getByRole('radio', { name: /Live/ }).click();
    await dialog.getByLabel('Type LIVE to confirm').fill('live');
    await confirm.click();
    await expect.poll(() => page.getByTestId('mode-badge').first().textContent()).toBe('LIVE · REAL MONEY');
    await screenshot(page, '12-settings-live');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByTestId('keys-warning').waitFor();
    expect(await page.getByTestId('keys-warning').textContent()).toContain('No live keys for main');
    expect(await page.getByText(/^LIVE TRADING — every accepted alert places a real order/).count()).toBe(1);
    await screenshot(page, '12b-dashboard-live');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: /Paper/ }).click();
    await expect.poll(() => page.getByTestId('mode-badge').first().textContent()).toBe('PAPER');
    await screenshot(page, '13-settings');
  });

  it('adds an account trading in its own mode; putting it on live asks for LIVE typed; the dashboard and the keys warning say so', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const aliases = page.getByRole('group', { name: 'Account aliases' });
    await aliases.getByRole('button', { name: 'Add account' }).click();
    await aliases.getByLabel('Account 1 name').fill('swing');
    await aliases.getByLabel('Account 1 mode').selectOption('testnet');
    await aliases.getByRole('button', { name: 'Save accounts' }).click();
    await aliases.getByText('Saved.').waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByTestId('account-mode').textContent()).toBe('Account swing trades testnet');
    await expect.poll(() => page.getByTestId('keys-warning').textContent()).toContain('No testnet keys for swing (testnet)');
    expect(await page.getByTestId('mode-badge').first().textContent()).toBe('PAPER');

    await page.getByRole('link', { name: 'Settings' }).click();
    await aliases.getByLabel('Account 1 mode').selectOption('live');
    await aliases.getByRole('button', { name: 'Save accounts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Put an account on LIVE trading?' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Trade live on it' });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await dialog.textContent()).toContain('every accepted alert for swing places a real order with real money');
    await dialog.getByLabel('Type LIVE to confirm').fill('LIVE');
    await confirm.click();
    await screenshot(page, '13b-settings-account-live');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByTestId('account-mode').textContent()).toBe('Account swing trades live');
    await expect.poll(() => page.getByTestId('keys-warning').textContent()).toContain('No live keys for swing (live)');

    // Back to the app's mode: nothing left to warn about.
    await page.getByRole('link', { name: 'Settings' }).click();
    await aliases.getByLabel('Account 1 mode').selectOption('');
    await aliases.getByRole('button', { name: 'Save accounts' }).click();
    await aliases.getByText('Saved.').waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Last alerts' }).waitFor();
    await expect.poll(() => page.getByTestId('keys-warning').count()).toBe(0);
    expect(await page.getByTestId('account-mode').count()).toBe(0);
  });

  it('is usable with the keyboard alone: skip link first, then the trading switch toggles with Space', async () => {
    await page.evaluate('location.hash = "#/"');
    await page.reload();
    await page.getByRole('heading', { name: 'Last alerts' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    let role: unknown = null;
    for (let i = 0; i < 10 && role !== 'switch'; i++) {
      await page.keyboard.press('Tab');
      role = await page.evaluate('document.activeElement?.getAttribute("role")');
    }
    expect(role).toBe('switch');
    await page.keyboard.press('Space');
    await page.getByRole('switch', { name: /Trading paused/ }).first().waitFor();
    await page.keyboard.press('Space');
    await page.getByRole('switch', { name: /Trading on/ }).first().waitFor();
  });

  it('is readable in a small window: no sideways scrolling on any screen', async () => {
    await page.setViewportSize({ width: 420, height: 760 });
    for (const [hash, name] of [
      ['#/', 'small-dashboard'],
      ['#/logs', 'small-logs'],
      ['#/alerts', 'small-alerts'],
      ['#/settings', 'small-settings'],
      ['#/setup', 'small-setup'],
    ] as const) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      await page.getByRole('main').locator('h1, h2').first().waitFor();
      await page.waitForTimeout(150);
      const overflow = (await page.evaluate(WIDEST)) as { by: number; culprits: string[] };
      expect(overflow.by, `${hash}: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the Orders table whole at 800x600: its last column is in view or scrolls into view inside the table', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.evaluate('location.hash = "#/orders"');
    const table = page.getByTestId('orders-table');
    await table.locator('tbody tr').first().waitFor();
    const last = table.locator('thead th').last();
    expect(await last.textContent()).toBe(LAST_ORDERS_COLUMN);
    await last.scrollIntoViewIfNeeded();
    // Visible where it is: inside the viewport and not clipped by a card (the topmost element at its centre is the header cell).
    const seen = (await page.evaluate(`(() => {
      const th = document.querySelector('[data-testid="orders-table"] thead th:last-child');
      const r = th.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { left: r.left, right: r.right, width: document.documentElement.clientWidth, hit: !!hit && th.contains(hit) };
    })()`)) as { left: number; right: number; width: number; hit: boolean };
    expect(seen.left).toBeGreaterThanOrEqual(0);
    expect(seen.right).toBeLessThanOrEqual(seen.width);
    expect(seen.hit).toBe(true);
    // The page itself does not scroll sideways: only the table's own box does.
    const overflow = (await page.evaluate(WIDEST)) as { by: number; culprits: string[] };
    expect(overflow.by, overflow.culprits.join(', ')).toBeLessThanOrEqual(0);
    await safeScreenshot(page, SCREENS, 'orders-800x600', secrets());
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
