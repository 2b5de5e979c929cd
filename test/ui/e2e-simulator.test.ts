/**
 * End to end in real Chromium against `pinebridge serve`, the Binance-compatible exchange
 * simulator (testnet mode, real ccxt) and the local localtunnel server: the wizard with real key
 * checks and a real tunnel, then alerts becoming exchange orders and positions live, and pause.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { startTunnelServer, type TestTunnelServer } from '../support/tunnel-server.js';
import { launchChromium, screenshot, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let sim: Simulator;
let tunnels: TestTunnelServer;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [sim, tunnels, browser] = await Promise.all([
    startExchangeSimulator({ balances: { USDT: 10_000 }, prices: { BTCUSDT: 65_000 } }),
    startTunnelServer(),
    launchChromium(),
  ]);
  serve = await startServe({ mode: null, args: ['--exchange-url', sim.url], settings: { tunnel: { host: tunnels.url } } });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  pageErrors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await Promise.all([sim?.close(), tunnels?.close()]);
});

const ordersOnExchange = () => sim.orders().length;

describe.sequential('first run to testnet orders, in Chromium', () => {
  it('takes the token from the link serve prints and opens the wizard', async () => {
    await page.goto(`${serve.controlUrl}/#token=${encodeURIComponent(serve.token)}`);
    await page.getByTestId('wizard-step-1').waitFor();
    expect(page.url()).not.toContain(serve.token);
    await page.getByRole('radio', { name: /Testnet/ }).click();
    await expect.poll(() => page.getByTestId('mode-badge').first().textContent()).toBe('TESTNET');
    await page.getByRole('button', { name: 'Next' }).click();
  });

  it('saves keys to the secret store and checks them with the exchange, showing its refusal plainly', async () => {
    // serve runs without a keychain here (PINEBRIDGE_NO_KEYCHAIN=1): the form names the file store, not a keychain.
    const hint = page.locator('.keys-form .hint');
    await expect.poll(() => hint.textContent()).toContain('They are stored in the file store (0600 files in the data folder');
    expect(await hint.textContent()).not.toMatch(/keychain and never/);
    // The exchange cannot be reached: the check says so (not "refused"), and the keys stay unchecked.
    sim.setReachable(false);
    await page.getByLabel('API key').fill(DEFAULT_API_KEY);
    await page.getByLabel('API secret').fill(DEFAULT_SECRET);
    await page.getByRole('button', { name: /Save testnet keys and check/ }).click();
    const check = page.getByTestId('key-check');
    await check.waitFor();
    await expect.poll(() => check.textContent(), { timeout: 20_000 }).toMatch(/binance could not be reached, so the keys are not checked.*saved as unchecked/);
    expect(await check.textContent()).not.toMatch(/refused/);
    await screenshot(page, '19-wizard-keys-unreachable');
    sim.setReachable(true);

    await page.getByLabel('API key').fill(DEFAULT_API_KEY);
    await page.getByLabel('API secret').fill('not-the-secret-0000000000000000');
    await page.getByRole('button', { name: /Save testnet keys and check/ }).click();
    await expect.poll(() => check.textContent()).toMatch(/binance refused the keys.*Signature/);
    await screenshot(page, '20-wizard-keys-refused');

    await page.getByLabel('API secret').fill(DEFAULT_SECRET);
    await page.getByLabel('API key').fill(DEFAULT_API_KEY);
    await page.getByRole('button', { name: /Save testnet keys and check/ }).click();
    await expect.poll(() => check.textContent()).toMatch(/binance accepted the keys.*USDT 10000/);
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await screenshot(page, '21-wizard-keys-accepted');
    await page.getByRole('button', { name: 'Next' }).click();
  });

  it('starts the tunnel, shows the public URL and passes the self-test', async () => {
    await page.getByLabel('Public URL from').selectOption('localtunnel');
    await page.getByRole('button', { name: 'Save and start' }).click();
    await expect.poll(() => page.getByTestId('public-url').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[a-z0-9-]+\/webhook$/);
    await page.getByRole('button', { name: 'Self-test' }).click();
    await expect.poll(() => page.getByTestId('tunnel-status').textContent()).toMatch(/online.*self-test: \d/);
    await screenshot(page, '22-wizard-tunnel-online');
    await page.getByRole('button', { name: 'Next' }).click();
  });

  it('makes the strategy, shows its alert message with the public URL, and a test alert through the tunnel becomes a testnet order', async () => {
    await page.getByLabel('Strategy name').fill('sim-cross');
    await page.getByLabel('Quantity per order').fill('0.01');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    const howto = page.getByTestId('alert-message');
    await howto.waitFor();
    expect(await howto.textContent()).toMatch(/\/t\/[a-z0-9-]+\/webhook/);
    await page.getByRole('button', { name: 'Next' }).click();

    const before = ordersOnExchange();
    await page.getByLabel(/Price for the test/).fill('65000');
    await page.getByRole('button', { name: 'Send a test alert' }).click();
    const result = page.getByTestId('test-alert-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/\/t\/[a-z0-9-]+\/webhook answered HTTP 200/);
    await expect.poll(() => result.textContent()).toMatch(/executed/);
    expect(ordersOnExchange()).toBe(before + 1);
    expect(tunnels.requests.some((r) => r.path === '/webhook' && r.method === 'POST')).toBe(true);
    await screenshot(page, '23-wizard-test-order');
    await page.getByRole('button', { name: 'Finish setup' }).click();
  });

  it('turns an alert into an exchange order, a log line and a position, live', async () => {
    await page.getByRole('link', { name: 'Positions' }).click();
    const btc = page.getByTestId('positions-table').locator('tbody tr', { hasText: 'BTC/USDT' });
    await btc.waitFor();
    const qtyBefore = Number(await btc.locator('td').nth(3).textContent());
    const before = ordersOnExchange();
    const posted = await serve.postAlert({ secret: serve.webhookSecret(), strategy: 'sim-cross', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.02', price: '65000', id: 'sim-e2e-1' });
    expect(posted.status).toBe(200);
    await expect.poll(async () => Number(await btc.locator('td').nth(3).textContent())).toBeCloseTo(qtyBefore + 0.02 * 0.999, 8);
    expect(ordersOnExchange()).toBe(before + 1);
    expect(sim.orders().at(-1)).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', status: 'FILLED' });
    await screenshot(page, '24-positions-testnet');

    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByTestId('orders-table').locator('tbody tr').first().waitFor();
    expect(await page.getByTestId('orders-table').locator('tbody tr').first().textContent()).toContain(`order ${sim.orders().at(-1)!.orderId}`);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByTestId('log-line').filter({ hasText: /alert executed|order filled|bought/ }).first().waitFor();
    expect(await page.getByTestId('log-box').textContent()).not.toContain(DEFAULT_SECRET);
    await screenshot(page, '25-logs-testnet');
  });

  it('refuses the next alert while paused: journaled, answered, no exchange order', async () => {
    await page.getByRole('switch', { name: /Trading on/ }).first().click();
    await page.getByRole('switch', { name: /Trading paused/ }).first().waitFor();
    const before = ordersOnExchange();
    const posted = await serve.postAlert({ secret: serve.webhookSecret(), strategy: 'sim-cross', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.02', price: '65000', id: 'sim-e2e-2' });
    expect(posted.status).toBe(200);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByTestId('alerts-table').locator('tbody tr').first().textContent()).toMatch(/skipped.*trading is paused/);
    expect(ordersOnExchange()).toBe(before);
    await screenshot(page, '26-dashboard-testnet-paused');
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
