/**
 * In real Chromium against a real `pinebridge serve` (paper): an alert's latency attribution on
 * its detail (TradingView's fire time to the fill) and as percentiles on the dashboard; the
 * "Live vs backtest" screen importing a TradingView list of trades through the file picker,
 * comparing it with the paper fills, and naming the line of a bad file.
 * Screenshots go to test-artifacts/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

const MIN = 60_000;
const STRATEGY = 'swing-bt';
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];
/** Whole minutes (TradingView's list is to the minute), in the past: the entry fired at M - 2 min, the exit at M. */
const M = Math.floor(Date.now() / MIN) * MIN - MIN;
const ids: string[] = [];

const utc = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
const CSV = [
  'Trade #,Type,Date/Time,Signal,Price USDT,Position size (qty),Position size (value),Net P&L USDT,Net P&L %,Run-up USDT,Run-up %,Drawdown USDT,Drawdown %,Cumulative P&L USDT,Cumulative P&L %',
  `1,Exit long,${utc(M)},Close entry(s) order Long,64500,0.01,645,3.71,0.58,5,0.78,-1,-0.16,3.71,0.04`,
  `1,Entry long,${utc(M - 2 * MIN)},Long,64000,0.01,640,3.71,0.58,5,0.78,-1,-0.16,3.71,0.04`,
].join('\n');

beforeAll(async () => {
  [serve, browser] = await Promise.all([
    startServe({
      settings: {
        setupCompletedAt: Date.now(),
        paper: { markets: 'snapshot' },
        limits: { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null, maxAlertAgeSec: null },
        strategies: [{ name: STRATEGY, account: 'main', symbol: 'BTCUSDT', quantity: '0.01', orderType: 'market' }],
      },
    }),
    launchChromium(),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(8000);
  pageErrors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

const alert = (action: 'buy' | 'sell', price: string, firedAt: number) => ({
  secret: serve.webhookSecret(),
  strategy: STRATEGY,
  action,
  symbol: 'BINANCE:BTCUSDT',
  quantity: '0.01',
  price,
  timenow: new Date(firedAt).toISOString(),
});

describe.sequential('latency attribution and live vs backtest in the UI', () => {
  it('opens the dashboard with the control token; two alerts fired by "TradingView" fill on paper', async () => {
    await page.goto(`${serve.controlUrl}/`);
    await page.getByLabel('Control token').fill(serve.token);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    await page.getByRole('heading', { name: 'Last alerts' }).waitFor();
    for (const [action, price, firedAt] of [
      ['buy', '64010', M - 2 * MIN + 2_000],
      ['sell', '64490', M + 1_000],
    ] as const) {
      const posted = await serve.postAlert(alert(action, price, firedAt));
      expect(posted.status).toBe(200);
      ids.push((posted.body as { alertId: string }).alertId);
    }
    const top = page.getByTestId('alerts-table').locator('tbody tr').first();
    await expect.poll(() => top.textContent(), { timeout: 10_000 }).toMatch(/sell.*executed|executed.*sell/i);
  });

  it("shows the alert's timeline: fired, received, answered, sent, acknowledged, filled, and TradingView's own delay", async () => {
    await page.goto(`${serve.controlUrl}/#/alerts/${ids[1]}`);
    const timeline = page.getByTestId('latency-timeline');
    await timeline.waitFor();
    await expect.poll(() => page.getByTestId('latency-filledAt').textContent()).toMatch(/^\+\d/);
    for (const step of ['receivedAt', 'answeredAt', 'sentAt', 'ackedAt', 'filledAt']) {
      expect(await page.getByTestId(`latency-${step}`).textContent(), step).toMatch(/^\+\d+(\.\d+)? (ms|s)$/);
    }
    expect(await timeline.locator('li.muted').count()).toBe(0);
    // Fired a minute or more before it was posted: TradingView's delay in seconds, at least 60.
    const total = (await page.getByTestId('latency-total').textContent()) ?? '';
    const delay = /TradingView's own delay ([\d.]+) s/.exec(total);
    expect(delay, total).not.toBeNull();
    expect(Number(delay![1])).toBeGreaterThanOrEqual(60);
    expect(Number(await page.getByTestId('latency-receivedAt').textContent().then((t) => /[\d.]+/.exec(t ?? '')?.[0]))).toBeGreaterThanOrEqual(60);
    await screenshot(page, '20-alert-latency');
  });

  it('shows percentiles of each step on the dashboard, for the last hour and day', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const table = page.getByTestId('latency-table');
    await table.waitFor();
    for (const segment of ['tradingview', 'answer', 'toOrder', 'exchange', 'fill', 'total']) {
      const cells = table.locator(`tr[data-segment="${segment}"] td`);
      await expect.poll(() => cells.first().textContent(), { message: segment }).toMatch(/p95 .* · n 2$/);
      expect(await cells.nth(1).textContent(), segment).toMatch(/p95 .* · n 2$/);
    }
    // TradingView's delay: both alerts fired at least a minute before they came.
    expect(await table.locator('tr[data-segment="tradingview"] td').first().textContent()).toMatch(/^\d+\.\d\d s/);
    await screenshot(page, '21-dashboard-latency');
  });

  it('imports the list of trades from the file picker and shows the trade matched, its slippage, on a table and a chart', async () => {
    await page.getByRole('link', { name: 'Live vs backtest' }).click();
    await page.getByText('No backtest imported').waitFor();
    await page.getByLabel('Strategy').selectOption(STRATEGY);
    await page.getByLabel('Chart time zone').selectOption('0');
    await page.getByLabel('List of trades file').setInputFiles({ name: 'swing-bt_BINANCE_BTCUSDT_2026-12-03.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'Import and compare' }).click();
    await page.getByTestId('backtest-table').waitFor();
    expect(await page.getByTestId('bt-trades').textContent()).toBe('1');
    expect(await page.getByTestId('bt-counts').textContent()).toBe('1 · 0 · 0');
    const row = page.getByTestId('backtest-table').locator('tbody tr');
    expect(await row.getAttribute('data-match')).toBe('matched');
    // Paper: 64010 + 5 bps = 64042.005 against 64000: 42.005 per BTC (6.6 bps), 0.42 on 0.01 BTC;
    // the exit 64490 - 5 bps = 64457.755 against 64500: 42.245 (6.5 bps), 0.42. Cost, then bps below it.
    expect(await row.getByTestId('entry-slippage').textContent()).toBe('−0.426.6 bps');
    expect(await row.getByTestId('exit-slippage').textContent()).toBe('−0.426.5 bps');
    expect(await page.getByTestId('bt-slippage').textContent()).toBe('−0.84'); // 0.42005 + 0.42245
    expect(await page.getByTestId('bt-pnl-diff').textContent()).toMatch(/^−\d+\.\d\d$/);
    expect(await page.getByTestId('backtest-chart').locator('canvas').count()).toBeGreaterThan(0);
    await screenshot(page, '22-live-vs-backtest');
  });

  it('refuses a bad file with the line that is wrong, and keeps the last import', async () => {
    const bad = CSV.replace('Entry long', 'Entry sideways');
    await page.getByLabel('List of trades file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Import and compare' }).click();
    const error = page.getByTestId('backtest-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('line 3: "Type" must be Entry long, Exit long, Entry short or Exit short, got "Entry sideways"');
    expect(await page.getByTestId('bt-counts').textContent()).toBe('1 · 0 · 0');
    await screenshot(page, '23-live-vs-backtest-bad-file');
    await page.setViewportSize({ width: 800, height: 600 });
    await screenshot(page, '24-live-vs-backtest-800');
    // The refused import's 400 is the one expected error.
    expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
