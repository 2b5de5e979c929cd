/**
 * The one truthful status, end to end in real Chromium against `pinebridge serve` (testnet, real
 * ccxt) and the exchange simulator: the header says the webhook is not reachable from TradingView
 * (no tunnel); setup mistakes fail their alerts without touching the breaker; a faulty exchange
 * opens it, live in the header and the account card (its count going up), and Reset in the card
 * re-arms it; the exchange going away shows as "Exchange unreachable". Screenshots at 1280x800 and
 * 800x600 (PINEBRIDGE_SCREENS_DIR, default test-artifacts/screenshots/status), each checked first
 * for visible secrets.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { launchChromium, safeScreenshot, SCREENSHOT_DIR, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const SCREENS = process.env.PINEBRIDGE_SCREENS_DIR ?? join(SCREENSHOT_DIR, 'status');
let sim: Simulator;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [sim, browser] = await Promise.all([startExchangeSimulator({ balances: { USDT: 1000 }, prices: { BTCUSDT: 65_000 } }), launchChromium()]);
  serve = await startServe({
    mode: 'testnet',
    args: ['--exchange-url', sim.url],
    env: { PINEBRIDGE_API_KEY: DEFAULT_API_KEY, PINEBRIDGE_API_SECRET: DEFAULT_SECRET },
    settings: {
      setupCompleted: true,
      breaker: { maxFailures: 2, windowSec: 600, coolDownSec: 0 },
      readiness: { venueProbeSec: 1 },
      reconciliation: { intervalSec: 0 },
      execution: { exchangeTimeoutMs: 1000, recvWindowMs: 1000, backoffMs: 20, maxBackoffMs: 100 },
    },
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
  pageErrors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await sim?.close();
});

const state = () => page.getByTestId('engine-state');
const card = () => page.getByTestId('account-card-main');
const secrets = () => ({ 'webhook secret': serve.webhookSecret(), 'control token': serve.token, 'API key': DEFAULT_API_KEY, 'API secret': DEFAULT_SECRET });
async function shots(name: string): Promise<void> {
  await safeScreenshot(page, SCREENS, `${name}-1280x800`, secrets());
  await page.setViewportSize({ width: 800, height: 600 });
  await safeScreenshot(page, SCREENS, `${name}-800x600`, secrets());
  await page.setViewportSize({ width: 1280, height: 800 });
}
let n = 0;
const alert = (over: Record<string, unknown>) =>
  serve.postAlert({ secret: serve.webhookSecret(), strategy: 'status-e2e', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: `status-${++n}`, ...over });

describe.sequential('the header and the account card tell the truth, in Chromium', { timeout: 60_000 }, () => {
  it('with no tunnel: "Not reachable from TradingView", and the card shows the exchange answering', async () => {
    await page.goto(`${serve.controlUrl}/#token=${encodeURIComponent(serve.token)}`);
    // A fresh data dir opens the wizard; this test is about the dashboard.
    await page.getByRole('button', { name: 'Skip setup' }).click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => state().textContent()).toBe('Not reachable from TradingView (no public URL)');
    expect(await state().getAttribute('title')).toMatch(/TradingView cannot post to this computer/);
    await expect.poll(() => card().getByTestId('account-reach').textContent()).toMatch(/answers/);
    expect(await card().textContent()).toMatch(/binance.*testnet/);
    await shots('30-dashboard-no-public-url');
  });

  it('setup mistakes fail their alerts with their reasons and leave the breaker closed', async () => {
    for (const over of [{ quantity: '0.02' }, { quantity: '0.02' }, { symbol: 'BINANCE:NOSUCHCOINUSDT' }]) expect((await alert(over)).status).toBe(200);
    await expect.poll(() => page.getByTestId('alerts-table').locator('tbody tr').first().textContent()).toMatch(/failed/);
    await expect.poll(async () => (await page.getByTestId('alerts-table').locator('tbody tr', { hasText: 'failed' }).count())).toBe(3);
    // 0.02 BTC is 1,300 USDT: within the limits, refused by the exchange for the balance (1,000 USDT).
    expect(await page.getByTestId('alerts-table').locator('tbody tr', { hasText: 'failed' }).first().textContent()).toMatch(/has no market/);
    expect(await page.getByTestId('alerts-table').textContent()).toMatch(/insufficient balance/i);
    expect(await card().getByTestId('breaker-failures').textContent()).toBe('0 recent failures');
    expect(await state().getAttribute('data-kind')).toBe('no_public_url');
  });

  it('a faulty exchange opens the breaker: the count goes up live, then the header and the card say halted', async () => {
    sim.injectFault({ kind: 'exchangeError', method: 'POST', path: '/api/v3/order', code: -1099, msg: 'Not found, unauthenticated, or unauthorized.', times: 2 });
    await alert({});
    await expect.poll(() => card().getByTestId('breaker-failures').textContent()).toBe('1 recent failure');
    expect(await card().getByTestId('breaker-last-failure').textContent()).toMatch(/^Last failure: market buy 0\.001 BTC\/USDT: .*code -1099/);
    expect(await card().getByTestId('breaker-last-failure').textContent()).not.toMatch(/\[pb/);
    await alert({});
    await expect.poll(() => state().textContent()).toBe('Halted (breaker on account main)');
    await expect.poll(() => card().getByTestId('account-breaker').textContent()).toMatch(/open: halted.*2 recent failures/);
    // The dashboard's Trading card no longer says a green "Trading on" while nothing trades.
    expect(await page.locator('section[aria-label="Trading"] [data-testid="trading-switch"]').textContent()).toContain('Switched on, not trading');
    await shots('31-dashboard-halted');
  });

  it('Reset in the card re-arms it: the header goes back, the next alert trades', async () => {
    await card().getByRole('button', { name: 'Reset breaker of main' }).click();
    await expect.poll(() => state().textContent()).toBe('Not reachable from TradingView (no public URL)');
    await expect.poll(() => card().getByTestId('account-breaker').textContent()).toMatch(/armed \(closed\)/);
    const before = sim.orders().length;
    await alert({});
    await expect.poll(() => sim.orders().length).toBe(before + 1);
  });

  it('the exchange going away shows as "Exchange unreachable" in the header and the card', async () => {
    await sim.close();
    await expect.poll(() => state().textContent(), { timeout: 20_000 }).toBe('Exchange unreachable');
    await expect.poll(() => card().getByTestId('account-reach').textContent()).toMatch(/unreachable/);
    await shots('32-dashboard-exchange-unreachable');
  });

  it('had no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
