import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, EXACT_PAPER, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * Paper mode, breaker at one failure: the setup mistakes the issue names (a short entry on spot, a
 * unknown symbol, a USD-quoted symbol, no price for a market order, insufficient paper balance)
 * fail their alert with a reason a person can act on, and the breaker does not open.
 */
describe('circuit breaker in paper: setup mistakes do not count', () => {
  let h: RiskHarness;
  beforeAll(async () => {
    h = await startRisk({ overrides: { ...EXACT_PAPER, breaker: { maxFailures: 1, windowSec: 600, coolDownSec: 0 } } });
  });
  afterAll(async () => h?.close());

  it.each([
    ['a short entry on spot', { action: 'sell', quantity: '0.01', price: '65000' }],
    ['an unknown symbol', { symbol: 'BINANCE:NOSUCHCOINUSDT', quantity: '0.01', price: '65000' }],
    ['a USD-quoted symbol', { symbol: 'COINBASE:BTCUSD', quantity: '0.01', price: '65000' }],
    ['a market order with no price', { symbol: 'BINANCE:ETHUSDT', quantity: '0.01' }],
    ['more than the paper balance', { quantity: '100', price: '65000' }],
  ])('%s fails its alert with its reason and leaves the breaker closed', async (_name, over) => {
    const a = await h.run(buy({ strategy: 'setup', ...over }));
    expect(['failed', 'skipped'], `${a.status}: ${a.reason}`).toContain(a.status);
    expect(a.reason).toBeTruthy();
    expect((await h.engine.api.getBreakers({})).find((b) => b.account === 'main') ?? { state: 'closed' }).toMatchObject({ state: 'closed' });
    // Trading goes on.
    const ok = await h.run(buy({ strategy: 'fine', quantity: '0.001', price: '65000' }));
    expect(ok.status, ok.reason ?? '').toBe('executed');
  });
});
