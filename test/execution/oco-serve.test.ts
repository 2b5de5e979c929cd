import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { ordersSettled, WEBHOOK_SECRET } from './serve-client.js';
import { held, send } from './tv-support.js';

/**
 * Issue 16 item 2 through `pinebridge serve --mode live` and real ccxt `binance` (spot) against
 * the simulator: a stop-loss with a take-profit becomes one OCO order list
 * (`POST /api/v3/orderList/oco`: STOP_LOSS below, LIMIT_MAKER above, the coins held once);
 * whichever executes, the other ends EXPIRED. Paper, which holds no coins for protective
 * orders, places both separately with the same outcome.
 */
const SPOT = 'BTC/USDT';
const PRICE = 65_000;

describe('Binance spot OCO, through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-oco-');
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, symbol: 'BINANCE:BTCUSDT', ...body });
  const paper = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'pp', symbol: 'BINANCE:BTCUSDT', ...body });
  const of = (list: OrderDto[], purpose: string) => list.find((o) => o.purpose === purpose)!;
  const settled = (alertId: string, check: (l: OrderDto[]) => boolean, what: string) => ordersSettled(child, alertId, check, what);

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, balances: { USDT: 100_000, BTC: 0 } });
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [{ name: 'pp', mode: 'paper' }],
      paper: { balances: { USDT: 100_000 }, feeRate: 0, slippageBps: 0, markets: 'snapshot' },
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

  it('a stop-loss with a take-profit is one OCO list holding the coins once; the take-profit filling expires the stop', async () => {
    const r = await live('oco', { action: 'buy', quantity: '0.01', price: PRICE, stop_loss: 64_000, take_profit: 66_000 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(r.alert!.reason).toMatch(/stop-loss and take-profit placed as one binance OCO order list/);
    const id = r.alert!.id;
    await settled(id, (l) => l.filter((o) => o.status === 'open').length === 2, 'both legs open');
    const [sl] = sim.ordersByClientId(`pb${id}-100`);
    const [tp] = sim.ordersByClientId(`pb${id}-101`);
    // What the account received: the buy's 0.1% fee was taken in BTC.
    const coins = 0.00999;
    expect(sl).toMatchObject({ type: 'STOP_LOSS', side: 'SELL', stopPrice: 64_000, origQty: coins, status: 'NEW' });
    expect(tp).toMatchObject({ type: 'LIMIT_MAKER', side: 'SELL', price: 66_000, origQty: coins, status: 'NEW' });
    expect(sl!.orderListId).toBeGreaterThan(0);
    expect(tp!.orderListId).toBe(sl!.orderListId);
    const oco = sim.requests({ method: 'POST', path: '/api/v3/orderList/oco' });
    expect(oco).toHaveLength(1);
    expect(oco[0]!.params).toMatchObject({ side: 'SELL', quantity: '0.00999', aboveType: 'LIMIT_MAKER', abovePrice: '66000', belowType: 'STOP_LOSS', belowStopPrice: '64000', aboveClientOrderId: `pb${id}-101`, belowClientOrderId: `pb${id}-100` });
    // The take-profit was never sent as an order of its own.
    expect(sim.requests({ method: 'POST', path: '/api/v3/order' }).filter((q) => q.params.newClientOrderId === `pb${id}-101`)).toEqual([]);
    // Both protect the same coins, held once: two separate orders could not both rest.
    expect(sim.balance('BTC')).toMatchObject({ locked: coins, free: 0 });

    sim.setPrice('BTCUSDT', 66_100);
    const list = await settled(id, (l) => of(l, 'take_profit').status === 'filled' && of(l, 'stop_loss').status === 'expired', 'the take-profit filled, the stop expired');
    expect(of(list, 'take_profit')).toMatchObject({ filled: coins, average: 66_000 });
    expect(sim.ordersByClientId(`pb${id}-100`)[0]!.status).toBe('EXPIRED');
    expect(await held(child, 'oco', SPOT)).toBeCloseTo(0, 10);
    expect(sim.balance('BTC').locked).toBe(0);
    sim.setPrice('BTCUSDT', PRICE);
  });

  it('the stop triggering expires the take-profit; a close cancels a whole list', async () => {
    const r = await live('oco2', { action: 'buy', quantity: '0.01', price: PRICE, stop_loss: 64_000, take_profit: 66_000 });
    const id = r.alert!.id;
    await settled(id, (l) => l.filter((o) => o.status === 'open').length === 2, 'both legs open');
    sim.setPrice('BTCUSDT', 63_900);
    await settled(id, (l) => of(l, 'stop_loss').status === 'filled' && of(l, 'take_profit').status === 'expired', 'the stop filled, the take-profit expired');
    expect(sim.ordersByClientId(`pb${id}-101`)[0]!.status).toBe('EXPIRED');
    expect(await held(child, 'oco2', SPOT)).toBeCloseTo(0, 10);
    sim.setPrice('BTCUSDT', PRICE);

    const c = await live('oco3', { action: 'buy', quantity: '0.01', price: PRICE, stop_loss: 64_000, take_profit: 66_000 });
    await settled(c.alert!.id, (l) => l.filter((o) => o.status === 'open').length === 2, 'both legs open');
    const closed = await live('oco3', { action: 'close', price: PRICE });
    expect(closed.alert!.status, closed.alert!.reason ?? '').toBe('executed');
    expect(sim.ordersByClientId(`pb${c.alert!.id}-100`)[0]!.status).toBe('CANCELED');
    expect(sim.ordersByClientId(`pb${c.alert!.id}-101`)[0]!.status).toBe('CANCELED');
    expect(await held(child, 'oco3', SPOT)).toBeCloseTo(0, 10);
  });

  it('paper: the same alert places both orders (paper holds no coins for them); the stop filling cancels the take-profit', async () => {
    await paper('ticker', { action: 'cancel', price: PRICE });
    const r = await paper('poco', { action: 'buy', quantity: '0.01', price: PRICE, stop_loss: 64_000, take_profit: 66_000 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = r.alert!.id;
    await settled(id, (l) => l.filter((o) => o.status === 'open').length === 2, 'both legs open');
    await paper('ticker', { action: 'cancel', price: 63_900 });
    await settled(id, (l) => of(l, 'stop_loss').status === 'filled' && of(l, 'take_profit').status === 'cancelled', 'the stop filled');
    expect(await held(child, 'poco', SPOT)).toBeCloseTo(0, 10);
  });
});
