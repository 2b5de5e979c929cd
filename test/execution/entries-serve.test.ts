import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually, listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { held, send } from './tv-support.js';

/**
 * Issue 16 item 3 (order types and time in force) through `pinebridge serve`: `order_type` stop
 * (stop-market) and stop_limit entries that rest until the price reaches `stop_price`, then fill
 * and get their protective orders; `time_in_force` post_only refused where it would take, ioc
 * ending unfilled. Live: real ccxt `binanceusdm` against the simulator (STOP_MARKET / STOP algo
 * orders, GTX, -5022); paper: the same alerts on a paper account of the same server.
 */
const PERP = 'BTC/USDT:USDT';
const PRICE = 65_000;

describe('stop and stop-limit entries, time in force, through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-entries-');
  const orders = (alertId: string) => listOrders(child, alertId);
  const byPurpose = (list: OrderDto[], purpose: string) => list.filter((o) => o.purpose === purpose);
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'perp', symbol: 'BINANCE:BTCUSDT.P', ...body });
  const paper = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'pp', symbol: 'BINANCE:BTCUSDT.P', ...body });
  /** A price seen by paper (an alert with nothing to do: a cancel of a strategy with no orders). */
  const paperPrice = (price: number) => paper('ticker', { action: 'cancel', price });

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, futures: { balances: { USDT: 10_000 } } });
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [
        { name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url },
        { name: 'pp', mode: 'paper' },
      ],
      paper: { balances: { USDT: 10_000 }, feeRate: 0, slippageBps: 0, leverage: 1, markets: 'snapshot' },
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

  it('live: a stop (stop-market) buy rests as a STOP_MARKET algo order, fills when the price rises through it, then gets its stop-loss', async () => {
    const r = await live('brk', { action: 'buy', quantity: '0.01', order_type: 'stop', stop_price: 66_000, price: PRICE, stop_loss: 64_000 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(r.alert!.reason).toMatch(/^stop buy 0.01 BTC\/USDT:USDT at 66000 placed/);
    const id = `pb${r.alert!.id}-0`;
    expect(sim.futures.algoOrdersByClientId(id)).toEqual([expect.objectContaining({ orderType: 'STOP_MARKET', side: 'BUY', quantity: 0.01, triggerPrice: 66_000, reduceOnly: false, algoStatus: 'NEW' })]);
    // Not filled before the stop: no position, no stop-loss yet.
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    expect(byPurpose(await orders(r.alert!.id), 'stop_loss')).toEqual([]);

    sim.futures.setPrice('BTCUSDT', 66_200);
    const filled = await eventually(async () => {
      const list = await orders(r.alert!.id);
      const entry = byPurpose(list, 'entry')[0];
      return entry?.status === 'filled' && byPurpose(list, 'stop_loss')[0]?.status === 'open' ? list : undefined;
    }, 20_000, 'the stop entry filled and its stop-loss placed');
    expect(byPurpose(filled, 'entry')[0]).toMatchObject({ type: 'stop_loss', filled: 0.01, average: 66_200, triggerPrice: 66_000 });
    expect(await held(child, 'brk', PERP)).toBeCloseTo(0.01, 10);
    const sl = byPurpose(filled, 'stop_loss')[0]!;
    expect(sim.futures.algoOrdersByClientId(sl.clientOrderId)).toEqual([expect.objectContaining({ orderType: 'STOP_MARKET', side: 'SELL', triggerPrice: 64_000, reduceOnly: true })]);
    expect((await live('brk', { action: 'close', price: 66_200 })).alert!.status).toBe('executed');
    sim.futures.setPrice('BTCUSDT', PRICE);
  });

  it('live: a stop_limit sell rests as a STOP algo order; at the stop it places its limit, which fills', async () => {
    const r = await live('brkdn', { action: 'sell', quantity: '0.01', order_type: 'stop_limit', stop_price: 64_000, price: 63_900 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = `pb${r.alert!.id}-0`;
    expect(sim.futures.algoOrdersByClientId(id)).toEqual([expect.objectContaining({ orderType: 'STOP', side: 'SELL', price: 63_900, triggerPrice: 64_000, algoStatus: 'NEW' })]);
    sim.futures.setPrice('BTCUSDT', 63_950);
    const entry = await eventually(async () => {
      const o = byPurpose(await orders(r.alert!.id), 'entry')[0];
      return o?.status === 'filled' ? o : undefined;
    }, 20_000, 'the stop-limit entry filled');
    expect(entry).toMatchObject({ type: 'stop_limit', price: 63_900, triggerPrice: 64_000, filled: 0.01 });
    expect(await held(child, 'brkdn', PERP)).toBeCloseTo(-0.01, 10);
    expect((await live('brkdn', { action: 'close', price: 63_950 })).alert!.status).toBe('executed');
    sim.futures.setPrice('BTCUSDT', PRICE);
  });

  it('live: a post_only limit that would take is refused by the exchange (GTX, -5022), and nothing rests', async () => {
    const before = sim.futures.orders().length;
    const r = await live('maker', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 66_000, time_in_force: 'post_only' });
    expect(r.alert!.status).toBe('failed');
    expect(r.alert!.reason).toMatch(/^Not executed: limit buy 0.01 BTC\/USDT:USDT at 66000 post_only refused: .*Post Only order will be rejected.*-5022/);
    const sent = sim.requests().filter((q) => q.method === 'POST' && q.path === '/fapi/v1/order').at(-1)!;
    expect(sent.params).toMatchObject({ type: 'LIMIT', timeInForce: 'GTX', price: '66000' });
    expect(sent.code).toBe(-5022);
    expect(sim.futures.orders().length).toBe(before);
    // The same on the maker side of the book rests.
    const ok = await live('maker', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 64_000, time_in_force: 'post_only' });
    expect(ok.alert!.status, ok.alert!.reason ?? '').toBe('executed');
    expect(sim.futures.ordersByClientId(`pb${ok.alert!.id}-0`)).toEqual([expect.objectContaining({ type: 'LIMIT', timeInForce: 'GTX', status: 'NEW' })]);
    expect((await live('maker', { action: 'cancel' })).alert!.status).toBe('executed');
  });

  it('paper: a stop buy rests until a later price reaches it, then fills and places its stop-loss', async () => {
    expect((await paperPrice(PRICE)).alert!.status).toBe('skipped');
    const r = await paper('pbrk', { action: 'buy', quantity: '0.01', order_type: 'stop', stop_price: 66_000, price: PRICE, stop_loss: 64_000 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(byPurpose(await orders(r.alert!.id), 'entry')[0]).toMatchObject({ type: 'stop_loss', status: 'open', triggerPrice: 66_000 });
    await paperPrice(65_900);
    expect(byPurpose(await orders(r.alert!.id), 'entry')[0]!.status).toBe('open');
    await paperPrice(66_100);
    const list = await eventually(async () => {
      const l = await orders(r.alert!.id);
      return byPurpose(l, 'stop_loss')[0]?.status === 'open' ? l : undefined;
    }, 20_000, 'the paper stop entry filled and its stop-loss placed');
    expect(byPurpose(list, 'entry')[0]).toMatchObject({ status: 'filled', filled: 0.01, average: 66_100 });
    expect(byPurpose(list, 'stop_loss')[0]).toMatchObject({ side: 'sell', triggerPrice: 64_000 });
    expect(await held(child, 'pbrk', PERP)).toBeCloseTo(0.01, 10);
  });

  it('paper: a stop_limit sell becomes a resting limit at its stop and fills at its limit', async () => {
    await paperPrice(PRICE);
    const r = await paper('pbrkdn', { action: 'sell', quantity: '0.01', order_type: 'stop_limit', stop_price: 64_000, price: 63_900 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    // Through the stop but below the limit: the limit rests.
    await paperPrice(63_800);
    expect(byPurpose(await orders(r.alert!.id), 'entry')[0]).toMatchObject({ status: 'open', filled: 0 });
    await paperPrice(63_950);
    const entry = await eventually(async () => {
      const o = byPurpose(await orders(r.alert!.id), 'entry')[0];
      return o?.status === 'filled' ? o : undefined;
    }, 20_000, 'the paper stop-limit filled');
    expect(entry).toMatchObject({ filled: 0.01, average: 63_900 });
    expect(await held(child, 'pbrkdn', PERP)).toBeCloseTo(-0.01, 10);
  });

  it('paper: post_only that would take is refused; ioc that cannot fill now ends expired; a stop the price is already past is refused', async () => {
    await paperPrice(PRICE);
    const taker = await paper('pmaker', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 66_000, time_in_force: 'post_only' });
    expect(taker.alert!.status).toBe('failed');
    expect(taker.alert!.reason).toMatch(/post-only buy at 66000 would take liquidity \(price 65000\), so it was not placed/);
    const ioc = await paper('pioc', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 60_000, time_in_force: 'ioc' });
    expect(byPurpose(await orders(ioc.alert!.id), 'entry')[0]).toMatchObject({ status: 'expired', filled: 0 });
    expect(await held(child, 'pioc', PERP)).toBe(0);
    const past = await paper('ppast', { action: 'buy', quantity: '0.01', order_type: 'stop', stop_price: 64_000, price: PRICE });
    expect(past.alert!.status).toBe('failed');
    expect(past.alert!.reason).toMatch(/would trigger immediately/);
  });

  it('expire_after: an unfilled entry is cancelled at its deadline and its stop-loss is never placed (paper and live)', async () => {
    await paperPrice(PRICE);
    const p = await paper('pexp', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 60_000, expire_after: 1, stop_loss: 58_000 });
    const l = await live('lexp', { action: 'buy', quantity: '0.01', order_type: 'stop', stop_price: 67_000, price: PRICE, expire_after: 1, stop_loss: 64_000 });
    for (const r of [p, l]) expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    for (const r of [p, l]) {
      const entry = await eventually(async () => {
        const o = byPurpose(await orders(r.alert!.id), 'entry')[0];
        return o?.status === 'expired' ? o : undefined;
      }, 20_000, 'the entry expired');
      expect(entry).toMatchObject({ filled: 0, errorCode: 'expire_after', errorMessage: 'not filled within expire_after (1 s): cancelled, no stop-loss or take-profit placed' });
      expect((await orders(r.alert!.id)).map((o) => o.purpose)).toEqual(['entry']);
    }
    expect(sim.futures.algoOrdersByClientId(`pb${l.alert!.id}-0`).map((a) => a.algoStatus)).toEqual(['CANCELED']);
    // Later prices through the old levels fill nothing.
    await paperPrice(59_000);
    sim.futures.setPrice('BTCUSDT', 67_500);
    expect(await held(child, 'pexp', PERP)).toBe(0);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    sim.futures.setPrice('BTCUSDT', PRICE);
  });

  it('expire_after holds across a restart: an entry whose deadline passed while the server was down is cancelled at start', async () => {
    await paperPrice(PRICE);
    const r = await paper('prst', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 60_000, expire_after: 2, take_profit: 62_000 });
    expect(byPurpose(await orders(r.alert!.id), 'entry')[0]!.status).toBe('open');
    await child.stop();
    await new Promise((res) => setTimeout(res, 2_500));
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
    const entry = await eventually(async () => {
      const o = byPurpose(await orders(r.alert!.id), 'entry')[0];
      return o?.status === 'expired' ? o : undefined;
    }, 20_000, 'the entry expired after the restart');
    expect(entry).toMatchObject({ filled: 0, errorCode: 'expire_after' });
    await paperPrice(59_000);
    expect(await held(child, 'prst', PERP)).toBe(0);
    expect((await orders(r.alert!.id)).map((o) => o.purpose)).toEqual(['entry']);
  });

  it('limit_offset moves a limit towards the maker side: a buy below the alert\'s price, a sell above (percent or amount)', async () => {
    await paperPrice(PRICE);
    const buy = await paper('poff', { action: 'buy', quantity: '0.01', order_type: 'limit', price: PRICE, limit_offset: '0.1%' });
    expect(byPurpose(await orders(buy.alert!.id), 'entry')[0]).toMatchObject({ side: 'buy', price: 64_935, status: 'open' });
    const sell = await live('loff', { action: 'sell', quantity: '0.01', order_type: 'limit', price: PRICE, limit_offset: 25 });
    expect(sell.alert!.status, sell.alert!.reason ?? '').toBe('executed');
    expect(sim.futures.ordersByClientId(`pb${sell.alert!.id}-0`)).toEqual([expect.objectContaining({ type: 'LIMIT', side: 'SELL', price: 65_025, status: 'NEW' })]);
    const tooFar = await paper('poff2', { action: 'buy', quantity: '0.01', order_type: 'limit', price: 100, limit_offset: 150 });
    expect(tooFar.alert!.status).toBe('failed');
    expect(tooFar.alert!.reason).toMatch(/limit_offset moves the buy limit to -50: send a smaller offset/);
    for (const [s, send] of [['poff', paper], ['loff', live]] as const) expect((await send(s, { action: 'cancel' })).alert!.status).toBe('executed');
  });

  it('answers a stop without stop_price with a 400, and time_in_force on a market order with a warning', async () => {
    const missing = await paper('x', { action: 'buy', quantity: '0.01', order_type: 'stop', price: PRICE });
    expect(missing.status).toBe(400);
    expect(missing.answer.error!.message).toMatch(/order_type stop needs stop_price/);
    const market = await paper('x', { action: 'buy', quantity: '0.001', price: PRICE, time_in_force: 'fok' });
    expect(market.answer.warnings).toEqual(['time_in_force is not used on a market order: ignored']);
    const late = await paper('x', { action: 'buy', quantity: '0.001', price: PRICE, expire_after: 30 });
    expect(late.answer.warnings).toEqual(['expire_after is not used on a market order: ignored (it fills at once)']);
  });
});
