/**
 * The alert detail in real Chromium over a real `pinebridge serve` (paper): every order a
 * take-profit ladder alert made (entry, each level, each stop for the rest) with its role,
 * trigger and state, updated as the levels fill.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe({ settings: { paper: { feeRate: 0, slippageBps: 0 } } }), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(8000);
  pageErrors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

const post = async (over: Record<string, unknown>) => {
  const r = await serve.postAlert({ secret: serve.webhookSecret(), symbol: 'BINANCE:BTCUSDT', id: `e2e-${Math.random().toString(36).slice(2)}`, ...over });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body as { alertId: string }).alertId;
};

/** Each row of the alert's orders table: role, trigger, status. */
const rows = () =>
  page.getByTestId('orders-table').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim());
      return `${cells[5]} | ${cells[6]} | ${cells[8]} | ${cells[9]}`;
    }),
  );

describe.sequential('a take-profit ladder in the alert detail, in Chromium', () => {
  it('lists the entry, each level and the stop with their states, and the replaced stop once TP1 filled', async () => {
    const id = await post({ strategy: 'ladder-ui', action: 'buy', quantity: '0.03', price: '64000', stop_loss: '2%', take_profit: [{ price: '1%', size: '50%' }, { price: '2%', size: '50%' }] });
    await page.goto(`${serve.controlUrl}/`);
    await page.getByLabel('Control token').fill(serve.token);
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    await page.getByTestId('mode-badge').first().waitFor();
    await page.goto(`${serve.controlUrl}/#/alerts/${encodeURIComponent(id)}`);
    await expect.poll(rows, { timeout: 10_000 }).toEqual(
      expect.arrayContaining([
        'entry | — | 0.03 @ 64,000 | filled',
        'take-profit 1 of 2 | 64,640 | 0 | open',
        'take-profit 2 of 2 | 65,280 | 0 | open',
        'stop-loss | 62,720 | 0 | open',
      ]),
    );
    // TP1 fills at the next price: the stop for the rest replaces the first one.
    await post({ strategy: 'ticker', action: 'cancel', price: '64700' });
    await page.reload();
    await expect.poll(rows, { timeout: 10_000 }).toEqual(
      expect.arrayContaining([
        'take-profit 1 of 2 | 64,640 | 0.015 @ 64,700 | filled',
        'stop-loss | 62,720 | 0 | cancelled',
        'stop-loss (rest after TP 1) | 62,720 | 0 | open',
      ]),
    );
    await screenshot(page, 'ladder-alert-detail');
    expect(pageErrors).toEqual([]);
  });
});
