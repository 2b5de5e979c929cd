import { afterEach, describe, expect, it } from 'vitest';
import { alertBody, startExec, type ExecHarness } from './exec-harness.js';

describe('paper venue through the engine', () => {
  let h: ExecHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('fills a market buy at the alert price plus slippage, charges the fee, and moves the ledger', async () => {
    h = await startExec({ overrides: { paper: { balances: { USDT: 10_000 }, feeRate: 0.001, slippageBps: 10 } } });
    const a = await h.run(alertBody({ quantity: '0.1', price: '60000' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    const [i] = h.intents(a.id);
    expect(i).toMatchObject({ status: 'filled', side: 'buy', amount: 0.1, filled: 0.1, clientOrderId: `pb${a.id}-0` });
    expect(i!.average).toBeCloseTo(60060, 6);
    const b = await h.balances();
    expect(b.BTC!.free).toBeCloseTo(0.1, 10);
    expect(b.USDT!.free).toBeCloseTo(10_000 - 6006 - 6.006, 6);
    expect(h.position('ma-cross', 'BTC/USDT')).toMatchObject({ qty: 0.1 });
    expect(h.events.map((e) => e.type)).toEqual(expect.arrayContaining(['order.sent', 'order.filled', 'alert.executed', 'position.updated']));
  });
});
