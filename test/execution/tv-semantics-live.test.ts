import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { WEBHOOK_SECRET } from './serve-client.js';
import { held, REVERSALS, send, wizardAlert } from './tv-support.js';

/**
 * Issue 12 in live mode through `pinebridge serve` against the simulator: real ccxt `binanceusdm`
 * for the account "perp" (BTCUSDT.P) and `binance` spot for "main". A reversing strategy ends at
 * TradingView's position after every fill (spot: flat for shorts), with and without
 * position_size, and every row of the semantics table does what the table says on a perpetual.
 */
const PERP = 'BTC/USDT:USDT';
const SPOT = 'BTC/USDT';
const PRICE = 65_000;

describe('TradingView semantics, live against the simulator (perpetuals and spot)', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-tv-live-');
  const strategies = ['rev-perp', 'rev-perp-nops', 'rows', 'tp'].map((name) => ({ name, account: 'perp', symbol: 'BINANCE:BTCUSDT.P', quantity: '0.01', orderType: 'market' as const }));
  const spotStrategies = ['rev-spot', 'rev-spot-nops'].map((name) => ({ name, account: 'main', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', orderType: 'market' as const }));
  const exchangePosition = () => sim.futures.position('BTCUSDT').positionAmt;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, balances: { USDT: 10_000 }, futures: { balances: { USDT: 10_000 } } });
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [{ name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url }],
      strategies: [...strategies, ...spotStrategies],
      reconciliation: { intervalSec: 0 },
      execution: FAST_EXECUTION,
    });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  for (const withSize of [true, false]) {
    it(`perpetual: the wizard's message of a reversing strategy ends at TradingView's position after each fill (${withSize ? 'with' : 'without'} position_size)`, async () => {
      const strategy = strategies[withSize ? 0 : 1]!;
      expect(exchangePosition()).toBe(0);
      for (const f of REVERSALS) {
        const sent = await send(child, wizardAlert(strategy, 'BTCUSDT.P', PRICE, withSize ? { ...f, positionSize: f.tv } : f));
        const a = sent.alert!;
        expect(a.status, a.reason ?? '').toBe('executed');
        expect(await held(child, strategy.name, PERP)).toBeCloseTo(f.tv, 10);
        expect(exchangePosition()).toBeCloseTo(f.tv, 10);
      }
      // Each reversal was ONE order of the difference that was not reduce-only (Binance refuses a
      // reduce-only order bigger than the position: -2022); the closes were reduce-only.
      const mine = sim.futures.orders().filter((o) => o.clientOrderId.startsWith('pb')).slice(-4);
      expect(mine.map((o) => [o.side, o.origQty, o.reduceOnly])).toEqual([
        ['BUY', 0.01, false],
        ['SELL', 0.02, false],
        ['BUY', 0.02, false],
        ['SELL', 0.01, true],
      ]);
    });

    it(`spot: the same strategy ends flat for its shorts and long again after (${withSize ? 'with' : 'without'} position_size)`, async () => {
      const strategy = spotStrategies[withSize ? 0 : 1]!;
      for (const f of REVERSALS) {
        const sent = await send(child, wizardAlert(strategy, 'BTCUSDT', PRICE, withSize ? { ...f, positionSize: f.tv } : f));
        const a = sent.alert!;
        expect(a.status, a.reason ?? '').toBe('executed');
        // A spot buy pays its fee in BTC: the ledger holds what the account received.
        expect(await held(child, strategy.name, SPOT)).toBeCloseTo(Math.max(f.tv, 0), 4);
        if (f.marketPosition === 'short') expect(a.reason).toMatch(/sold down to flat: BTC\/USDT is spot, which cannot be short/);
      }
      expect(await held(child, strategy.name, SPOT)).toBe(0);
    });
  }

  it('every row of the semantics table on a perpetual', async () => {
    const rows = (b: Record<string, unknown>) => send(child, { strategy: 'rows', symbol: 'BINANCE:BTCUSDT.P', price: PRICE, ...b });
    const step = async (b: Record<string, unknown>, row: string, status: string, position: number) => {
      const { alert } = await rows(b);
      expect((alert!.signal as { semantics: { row: string } }).semantics.row, JSON.stringify(b)).toBe(row);
      expect(alert!.status, `${JSON.stringify(b)}: ${alert!.reason}`).toBe(status);
      expect(await held(child, 'rows', PERP), JSON.stringify(b)).toBeCloseTo(position, 10);
      expect(exchangePosition(), JSON.stringify(b)).toBeCloseTo(position, 10);
      return alert!;
    };
    await step({ action: 'long', quantity: '0.01' }, 'long', 'executed', 0.01);
    const again = await step({ action: 'long', quantity: '0.01' }, 'long', 'skipped', 0.01);
    expect(again.reason).toMatch(/already long 0\.01 .*send add/);
    await step({ action: 'short', quantity: '0.01' }, 'short', 'executed', -0.01);
    const noLong = await step({ action: 'close_long' }, 'close-long', 'skipped', -0.01);
    expect(noLong.reason).toMatch(/no long position .*send buy or sell with a quantity/);
    await step({ action: 'close_short', quantity: '50%' }, 'close-short-part', 'executed', -0.005);
    await step({ action: 'close_short' }, 'close-short', 'executed', 0);
    await step({ action: 'close_short', quantity: '0.001' }, 'close-short-part', 'skipped', 0);
    await step({ action: 'add', quantity: '0.01' }, 'add', 'executed', 0.01);
    await step({ action: 'add', quantity: '0.01' }, 'add', 'executed', 0.02);
    // Partial exits: an amount, then a percent of the strategy's position (not of the balance).
    await step({ action: 'close', contracts: '0.004' }, 'close-part', 'executed', 0.016);
    await step({ action: 'exit', quantity: '50%' }, 'close-part', 'executed', 0.008);
    await step({ action: 'close_long', quantity: '0.002' }, 'close-long-part', 'executed', 0.006);
    await step({ action: 'close_long' }, 'close-long', 'executed', 0);
    await step({ action: 'close' }, 'close-all', 'skipped', 0);
    await step({ action: 'sell', quantity: '0.01' }, 'buy-sell', 'executed', -0.01);
    await step({ action: 'buy' }, 'buy-sell-default', 'executed', 0);
    await step({ action: 'buy', contracts: '0.01', market_position: 'long', prev_market_position: 'flat' }, 'market-side', 'executed', 0.01);
    await step({ action: 'buy', contracts: '0.01', market_position: 'flat' }, 'market-flat', 'executed', 0);
    await step({ action: 'position', position_size: '0.01' }, 'position-size', 'executed', 0.01);
    await step({ position_size: '-0.01' }, 'position-size', 'executed', -0.01);
    await step({ position: 0 }, 'position-size', 'executed', 0);
    await step({ market_position: 'short', market_position_size: '0.01' }, 'position-market-size', 'executed', -0.01);
    await step({ market_position: 'flat' }, 'position-market-size', 'executed', 0);
    // The exits were reduce-only, the entries and reversals not.
    expect(sim.futures.orders().filter((o) => o.clientOrderId.startsWith('pb') && o.reduceOnly).length).toBeGreaterThan(0);

    const missing = await rows({ action: 'position' });
    expect(missing.status).toBe(400);
    expect(missing.answer.error).toMatchObject({ code: 'missing_field', message: expect.stringMatching(/action "position" needs position_size/) });
  });

  it('TradersPost sentiment reverses and flattens like market_position', async () => {
    const tp = (b: Record<string, unknown>) => send(child, { ticker: 'BTCUSDT.P', strategy: 'tp', price: PRICE, ...b });
    expect((await tp({ action: 'buy', sentiment: 'bullish', quantity: 0.01 })).alert!.status).toBe('executed');
    expect(await held(child, 'tp', PERP)).toBeCloseTo(0.01, 10);
    const rev = await tp({ action: 'sell', sentiment: 'bearish', quantity: 0.02 });
    expect(rev.alert!.status, rev.alert!.reason ?? '').toBe('executed');
    expect(await held(child, 'tp', PERP)).toBeCloseTo(-0.01, 10);
    expect((await tp({ action: 'buy', sentiment: 'flat' })).alert!.status).toBe('executed');
    expect(await held(child, 'tp', PERP)).toBe(0);
    expect(exchangePosition()).toBe(0);
  });
});
