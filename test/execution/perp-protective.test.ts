import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange } from '../../main/engine/venues/ccxt-setup.js';
import { CcxtVenue } from '../../main/engine/venues/ccxt-venue.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { alertBody, FAST, startExec, type ExecHarness } from './exec-harness.js';

/**
 * Protective orders on Binance USDⓈ-M perpetuals (real ccxt `binanceusdm`, real HTTP, real
 * SQLite): a stop-loss / take-profit is an algo (conditional) order there, in a book of its own.
 * Pinebridge must look it up, cancel it and follow its fill in that book: asked in the plain
 * book, a lost answer looks like "never placed" and a cancel like "already gone" (the stop stays).
 */
const PERP = 'BTC/USDT:USDT';
async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const perpAlert = (over: Record<string, unknown>) => alertBody({ symbol: 'BINANCE:BTCUSDT.P', price: '65000', ...over });

describe("Pinebridge's ccxt venue: trigger orders on binanceusdm", () => {
  it('finds, lists and cancels an algo order by clientOrderId in the trigger book; once triggered, reads the fill of the order it placed', async () => {
    const sim = await startExchangeSimulator();
    const exchange = await createExchange({
      exchangeId: 'binanceusdm', mode: 'live', credentials: { apiKey: sim.apiKey, secret: sim.secret }, exchangeUrl: sim.url, timeoutMs: 2000, recvWindowMs: 5000,
    });
    const v = new CcxtVenue(exchange, { account: 'perp', mode: 'live', marketsRefreshMs: 60_000, now: Date.now });
    try {
      await v.loadMarkets();
      await v.createOrder({ symbol: PERP, side: 'buy', type: 'market', amount: 0.02, clientOrderId: 'pb-e-0' });
      const stop = await v.createOrder({ symbol: PERP, side: 'sell', type: 'stop_loss', amount: 0.01, triggerPrice: 63_000, reduceOnly: true, clientOrderId: 'pb-e-100' });
      const [algo] = sim.futures.algoOrdersByClientId('pb-e-100');
      expect(stop).toMatchObject({ id: String(algo!.algoId), clientOrderId: 'pb-e-100', status: 'open' });

      expect(await v.fetchOrderByClientId(PERP, 'pb-e-100', { trigger: true })).toMatchObject({ id: stop.id, status: 'open', amount: 0.01, filled: 0 });
      // The plain book has no such order: what every look-up was before trigger orders were told apart.
      expect(await v.fetchOrderByClientId(PERP, 'pb-e-100')).toBeNull();
      expect((await v.fetchOpenOrders(PERP, { trigger: true })).map((o) => o.clientOrderId)).toEqual(['pb-e-100']);
      expect(await v.fetchOpenOrders(PERP)).toEqual([]);

      const take = await v.createOrder({ symbol: PERP, side: 'sell', type: 'take_profit', amount: 0.01, triggerPrice: 70_000, reduceOnly: true, clientOrderId: 'pb-e-101' });
      expect(await v.cancelOrder(PERP, 'pb-e-101', { trigger: true })).toMatchObject({ id: take.id, clientOrderId: 'pb-e-101', status: 'canceled' });
      expect(sim.futures.algoOrdersByClientId('pb-e-101')[0]!.algoStatus).toBe('CANCELED');
      expect(await v.cancelOrder(PERP, 'pb-e-101', { trigger: true })).toBeNull();

      sim.futures.setPrice('BTCUSDT', 62_900);
      const actualId = sim.futures.algoOrdersByClientId('pb-e-100')[0]!.actualOrderId;
      const fired = await v.fetchOrderByClientId(PERP, 'pb-e-100', { trigger: true });
      // The plain order's id (its trades carry it), our clientOrderId, and its fill.
      expect(fired).toMatchObject({ id: String(actualId), clientOrderId: 'pb-e-100', status: 'closed', filled: 0.01, average: 62_900 });
      const trades = await v.fetchOrderTrades(PERP, fired!.id);
      expect(trades.map((t) => [t.amount, t.price, t.fee])).toEqual([[0.01, 62_900, { cost: 0.3145, currency: 'USDT' }]]);
      expect(await v.fetchOpenOrders(PERP, { trigger: true })).toEqual([]);
    } finally {
      await v.close();
      await sim.close();
    }
  });
});

describe('protective orders through the engine on binanceusdm', () => {
  let sim: Simulator;
  let h: ExecHarness;
  const algos = (alertId: string, leg: number) => sim.futures.algoOrdersByClientId(`pb${alertId}-${leg}`);

  beforeAll(async () => {
    sim = await startExchangeSimulator({ futures: { balances: { USDT: 10_000 } } });
    h = await startExec({ sim, exchange: 'binanceusdm', overrides: FAST });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it("a stop-loss whose answer is lost is found by its clientOrderId, not sent again; a close cancels it on the exchange", async () => {
    sim.futures.setPrice('BTCUSDT', 65_000);
    // The exchange creates the stop, then the connection dies before its answer.
    const lost = sim.injectFault({ kind: 'drop', method: 'POST', path: '/fapi/v1/algoOrder', execute: true });
    const entry = await h.run(perpAlert({ strategy: 'perp-lost', quantity: '0.01', stop_loss: '63000' }));
    expect(entry.status, entry.reason ?? '').toBe('executed');
    expect(lost.applied()).toBe(1);
    const [stop] = algos(entry.id, 100);
    expect(algos(entry.id, 100)).toHaveLength(1);
    expect(stop).toMatchObject({ orderType: 'STOP_MARKET', side: 'SELL', quantity: 0.01, triggerPrice: 63_000, reduceOnly: true, algoStatus: 'NEW' });
    expect(sim.requests({ method: 'POST', path: '/fapi/v1/algoOrder' }).filter((r) => r.params.clientAlgoId === `pb${entry.id}-100`)).toHaveLength(1);
    const sl = h.intents(entry.id).find((i) => i.purpose === 'stop_loss');
    expect(sl).toMatchObject({ type: 'stop_loss', status: 'open', exchangeOrderId: String(stop!.algoId), attempts: 1 });

    const close = await h.run(perpAlert({ strategy: 'perp-lost', action: 'close' }));
    expect(close.status, close.reason ?? '').toBe('executed');
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    // Nothing left to trigger later: the stop is cancelled on the exchange, and the journal says so.
    expect(sim.futures.openAlgoOrders()).toEqual([]);
    expect(algos(entry.id, 100)[0]!.algoStatus).toBe('CANCELED');
    expect(h.intents(entry.id).find((i) => i.purpose === 'stop_loss')).toMatchObject({ status: 'cancelled', errorCode: null });
    expect(h.position('perp-lost', PERP).qty).toBe(0);
  });

  it('a stop-loss that triggers flattens the position: the ledger records its fill and the take-profit is cancelled', async () => {
    sim.futures.setPrice('BTCUSDT', 65_000);
    const entry = await h.run(perpAlert({ strategy: 'perp-stop', quantity: '0.01', stop_loss: '63000', take_profit: '70000' }));
    expect(entry.status, entry.reason ?? '').toBe('executed');
    expect([...algos(entry.id, 100), ...algos(entry.id, 101)].map((a) => [a.orderType, a.algoStatus])).toEqual([
      ['STOP_MARKET', 'NEW'],
      ['TAKE_PROFIT_MARKET', 'NEW'],
    ]);

    sim.futures.setPrice('BTCUSDT', 62_900);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    const actualId = algos(entry.id, 100)[0]!.actualOrderId;
    // The order tracker polls the stop in the trigger book and follows it to the order it placed.
    await waitFor(() => h.intents(entry.id).find((i) => i.purpose === 'take_profit')?.status === 'cancelled');
    expect(h.intents(entry.id).find((i) => i.purpose === 'stop_loss')).toMatchObject({
      status: 'filled', filled: 0.01, average: 62_900, exchangeOrderId: String(actualId), fee: 0.3145, feeCurrency: 'USDT',
    });
    expect(algos(entry.id, 101)[0]!.algoStatus).toBe('CANCELED');
    expect(sim.futures.openAlgoOrders()).toEqual([]);
    const p = h.position('perp-stop', PERP);
    expect(p.qty).toBe(0);
    expect(p.realizedPnl).toBeCloseTo(-21, 8);
    expect(p.fees).toBeCloseTo(0.325 + 0.3145, 8);
  });
});
