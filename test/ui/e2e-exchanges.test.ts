/**
 * The exchange picker, the live opt-in and "Check this exchange", in real Chromium against
 * `pinebridge serve` (testnet, real ccxt) and the Binance simulator: the exchange is picked from
 * a searchable list of ccxt ids with their support level ("Binance" finds binance, "binanse"
 * suggests binance and cannot be saved); live mode on an untested exchange is refused until the
 * checkbox naming the risk is ticked; the wizard's probe places, finds and cancels orders on the
 * exchange and reports each step.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { launchChromium, screenshot, watchErrors } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let sim: Simulator;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  [sim, browser] = await Promise.all([startExchangeSimulator({ balances: { USDT: 10_000 }, prices: { BTCUSDT: 65_000 } }), launchChromium()]);
  serve = await startServe({ mode: 'testnet', args: ['--exchange-url', sim.url], env: { PINEBRIDGE_API_KEY: sim.apiKey, PINEBRIDGE_API_SECRET: sim.secret } });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  pageErrors = watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await sim?.close();
});

const settings = async (): Promise<{ exchange: string; mode: string; allowUntestedExchange?: boolean }> => {
  const res = await fetch(`${serve.controlUrl}/api/getSettings`, { method: 'POST', headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' }, body: '{}' });
  return ((await res.json()) as { result: { exchange: string; mode: string; allowUntestedExchange?: boolean } }).result;
};

describe.sequential('choosing the exchange, in Chromium', () => {
  it('finds "Binance" as binance in the list, with its support level', async () => {
    await page.goto(`${serve.controlUrl}/#token=${encodeURIComponent(serve.token)}`);
    await page.getByTestId('wizard-step-1').waitFor();
    const box = page.getByRole('combobox', { name: 'Exchange' });
    await box.fill('Binance');
    const first = page.getByRole('listbox', { name: 'Exchange choices' }).getByRole('option').first();
    await expect.poll(() => first.textContent()).toMatch(/^binance\s*Binance\s*verified$/);
    await screenshot(page, '60-exchange-picker-binance');
    await first.click();
    expect(await box.inputValue()).toBe('binance');
    expect(await page.getByTestId('exchange-chosen').textContent()).toMatch(/Binance \(binance\): verified/);
  });

  it('suggests binance for "binanse" and cannot save the typo', async () => {
    const box = page.getByRole('combobox', { name: 'Exchange' });
    await box.fill('binanse');
    const notFound = page.getByTestId('exchange-not-found');
    await expect.poll(() => notFound.textContent()).toMatch(/ccxt has no exchange "binanse"\. Did you mean binance/);
    expect(await page.getByRole('button', { name: 'Save exchange' }).isDisabled()).toBe(true);
    await screenshot(page, '61-exchange-picker-typo');
    // The engine refuses it too, with the near id.
    const res = await fetch(`${serve.controlUrl}/api/updateSettings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ patch: { exchange: 'binanse' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/ccxt has no exchange "binanse": did you mean binance/);
    expect((await settings()).exchange).toBe('binance');
    await notFound.getByRole('button', { name: 'binance' }).click();
    expect(await box.inputValue()).toBe('binance');
    expect(await page.getByRole('button', { name: 'Save exchange' }).isDisabled()).toBe(false);
  });

  it("checks the exchange from the wizard's keys step: every step reported, nothing left open", async () => {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('wizard-step-2').waitFor();
    await page.getByRole('button', { name: 'Check this exchange' }).click();
    const report = page.getByTestId('probe-report');
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toMatch(/binance testnet passed every check on BTC\/USDT; nothing was left open/);
    const text = (await report.textContent())!;
    for (const step of ['place limit', 'lookup', 'lookup unknown', 'cancel', 'trigger', 'cleanup']) expect(text).toContain(step);
    await screenshot(page, '62-wizard-probe');
    const probed = sim.orders().filter((o) => o.clientOrderId.startsWith('pbprobe'));
    expect(probed.length).toBe(2);
    expect(probed.every((o) => o.status === 'CANCELED')).toBe(true);
    await page.getByRole('button', { name: 'Back' }).click();
  });

  it('live on an untested exchange is refused until the checkbox naming the risk is ticked', async () => {
    const box = page.getByRole('combobox', { name: 'Exchange' });
    await box.fill('bitstamp');
    await page.getByRole('option', { name: /^bitstamp/ }).click();
    const warning = page.getByTestId('untested-warning');
    await expect.poll(() => warning.textContent()).toMatch(/bitstamp is untested in Pinebridge/);
    expect(await warning.textContent()).toContain('a lost answer may not be recoverable');
    await page.getByRole('button', { name: 'Save exchange' }).click();
    await expect.poll(async () => (await settings()).exchange).toBe('bitstamp');

    const goLive = async () => {
      await page.getByRole('radio', { name: /Live/ }).click();
      await page.getByRole('textbox', { name: /LIVE/ }).fill('LIVE');
      await page.getByRole('button', { name: 'Switch to live' }).click();
    };
    await goLive();
    await expect.poll(() => page.locator('.mode-chooser [role=alert]').textContent()).toMatch(/Live trading on bitstamp .* needs an explicit opt-in/);
    expect((await settings()).mode).toBe('testnet');
    await screenshot(page, '63-live-untested-refused');

    await warning.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Save exchange' }).click();
    await expect.poll(async () => (await settings()).allowUntestedExchange).toBe(true);
    await goLive();
    await expect.poll(async () => (await settings()).mode).toBe('live');
    // The refused switch to live is a 400 the browser logs; nothing else went wrong.
    expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
