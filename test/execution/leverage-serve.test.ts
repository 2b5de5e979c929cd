import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Issue 16 item 4 through `pinebridge serve`: `leverage` and `margin_mode` per alert (and per
 * strategy in settings) set on the exchange before the entry, through real ccxt `binanceusdm`
 * against the simulator's USDⓈ-M endpoints (POST /fapi/v1/leverage, /fapi/v1/marginType), once
 * per change; "already set" (-4046) is success; a setting the exchange refuses refuses the alert
 * before any order. The same alerts on a paper account of the same server.
 */
const PERP = 'BTC/USDT:USDT';
const PRICE = 65_000;

describe('leverage and margin mode through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-leverage-');

  const marginRequests = () => sim.requests().filter((q) => q.method === 'POST' && (q.path === '/fapi/v1/leverage' || q.path === '/fapi/v1/marginType'));
  const orderCount = () => sim.futures.orders().length;
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'perp', symbol: 'BINANCE:BTCUSDT.P', price: PRICE, ...body });
  const position = async (account: string, strategy: string): Promise<PositionDto | undefined> =>
    (await command<PositionDto[]>(child, 'getPositions', { account, strategy })).find((p) => p.symbol === PERP);

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, futures: { balances: { USDT: 10_000 }, leverage: 20 } });
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [
        { name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url },
        { name: 'pp', mode: 'paper' },
      ],
      strategies: [{ name: 'dflt', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', quantity: '0.01', leverage: 3, marginMode: 'isolated' }],
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

  it('sets leverage and margin mode before the entry, once: the same again asks nothing, a change asks only what changed', async () => {
    const first = await live('lev', { action: 'buy', quantity: '0.01', leverage: '10x', margin_mode: 'isolated' });
    expect(first.answer.warnings).toBeUndefined();
    expect(first.alert!.status, first.alert!.reason ?? '').toBe('executed');
    expect(first.alert!.reason).toMatch(/at leverage 10x, isolated margin/);
    // Margin type first (Binance refuses a change once a position is open), then leverage, then the order.
    const seqs = marginRequests().map((q) => [q.path, q.params.marginType ?? q.params.leverage, q.seq]);
    expect(seqs.map(([p, v]) => [p, v])).toEqual([
      ['/fapi/v1/marginType', 'ISOLATED'],
      ['/fapi/v1/leverage', '10'],
    ]);
    const orderSeq = sim.requests().find((q) => q.method === 'POST' && q.path === '/fapi/v1/order')!.seq;
    expect(orderSeq).toBeGreaterThan(Number(seqs[1]![2]));
    expect(sim.futures.position('BTCUSDT')).toMatchObject({ positionAmt: 0.01, leverage: 10, marginType: 'isolated' });

    const again = await live('lev', { action: 'buy', quantity: '0.01', leverage: 10, margin_mode: 'isolated' });
    expect(again.alert!.status, again.alert!.reason ?? '').toBe('executed');
    expect(marginRequests()).toHaveLength(2);

    const changed = await live('lev', { action: 'buy', quantity: '0.01', leverage: 5, margin_mode: 'isolated' });
    expect(changed.alert!.status, changed.alert!.reason ?? '').toBe('executed');
    expect(marginRequests().slice(2).map((q) => [q.path, q.params.leverage])).toEqual([['/fapi/v1/leverage', '5']]);
    expect(sim.futures.position('BTCUSDT').leverage).toBe(5);

    // An exit needs no leverage: nothing is asked, the close is reduce-only.
    const close = await live('lev', { action: 'close', leverage: 7 });
    expect(close.alert!.status, close.alert!.reason ?? '').toBe('executed');
    expect(marginRequests()).toHaveLength(3);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
  });

  it('takes a strategy\'s defaults from settings when the alert names none', async () => {
    const before = marginRequests().length;
    const r = await live('dflt', { action: 'buy', quantity: '0.01' });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(r.alert!.reason).toMatch(/at leverage 3x, isolated margin/);
    // Isolated is what this process set last (the first test): only the leverage is asked.
    const asked = marginRequests().slice(before);
    expect(asked.map((q) => [q.path, q.params.marginType ?? q.params.leverage])).toEqual([['/fapi/v1/leverage', '3']]);
    expect(sim.futures.position('BTCUSDT')).toMatchObject({ positionAmt: 0.01, leverage: 3, marginType: 'isolated' });
    expect((await live('dflt', { action: 'close' })).alert!.status).toBe('executed');
  });

  it('answers -4046 "No need to change margin type" as success on a fresh start (nothing cached)', async () => {
    await child.stop();
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
    const before = marginRequests().length;
    const r = await live('lev', { action: 'buy', quantity: '0.01', leverage: 3, margin_mode: 'isolated' });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const asked = marginRequests().slice(before);
    expect(asked.map((q) => q.path)).toEqual(['/fapi/v1/marginType', '/fapi/v1/leverage']);
    expect(asked.map((q) => [q.status, q.code])).toEqual([
      [400, -4046],
      [200, undefined],
    ]);
    expect((await live('lev', { action: 'close' })).alert!.status).toBe('executed');
  });

  it('refuses the alert, with no order, when the exchange will not take the setting (margin mode under an open position: -4048)', async () => {
    expect((await live('open', { action: 'buy', quantity: '0.01' })).alert!.status).toBe('executed');
    const orders = orderCount();
    const r = await live('other', { action: 'buy', quantity: '0.01', margin_mode: 'cross' });
    expect(r.alert!.status).toBe('failed');
    expect(r.alert!.reasonCode).toBe('margin_not_set');
    expect(r.alert!.reason).toMatch(/^Not executed: cross margin \(from the alert\) could not be set on BTC\/USDT:USDT: .*Margin type cannot be changed if there exists position.*Nothing was traded/);
    expect(r.alert!.reason).not.toContain(sim.secret);
    expect(orderCount()).toBe(orders);
    expect(await command(child, 'listOrders', { alertId: r.alert!.id })).toEqual([]);
    expect(sim.futures.position('BTCUSDT').marginType).toBe('isolated');
    expect((await live('open', { action: 'close' })).alert!.status).toBe('executed');
  });

  it('paper: the same fields give the position its leverage (margin = notional / leverage), shown on positions', async () => {
    const r = await send(child, { strategy: 'pl', account: 'pp', symbol: 'BINANCE:BTCUSDT.P', action: 'buy', quantity: '0.01', price: PRICE, leverage: 5, margin_mode: 'isolated' });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const p = await position('pp', 'pl');
    expect(p).toMatchObject({ mode: 'paper', qty: 0.01, leverage: 5 });
    // Isolated estimate at 5x: (65,000 - 130/0.01) / (1 - 0.004).
    expect(p!.liquidationPrice).toBeCloseTo((PRICE - 13_000) / 0.996, 6);
    // A strategy with no leverage on the same paper account: paper.leverage (1x).
    const plain = await send(child, { strategy: 'pl1', account: 'pp', symbol: 'BINANCE:ETHUSDT.P', action: 'buy', quantity: '0.1', price: 3_000 });
    expect(plain.alert!.status, plain.alert!.reason ?? '').toBe('executed');
    expect((await command<PositionDto[]>(child, 'getPositions', { account: 'pp', strategy: 'pl1' }))[0]).toMatchObject({ leverage: 1 });
    const bad = await send(child, { strategy: 'pl', account: 'pp', symbol: 'BINANCE:BTCUSDT.P', action: 'buy', quantity: '0.01', price: PRICE, leverage: 200 });
    expect(bad.alert!.status).toBe('failed');
    expect(bad.alert!.reason).toMatch(/leverage 200x \(from the alert\) could not be set on BTC\/USDT:USDT: .*outside 1 to 125/);
    expect((await position('pp', 'pl'))!.qty).toBe(0.01);
  });

  it('on spot, leverage and margin_mode are ignored with a warning', async () => {
    const r = await send(child, { strategy: 'spot', symbol: 'BINANCE:BTCUSDT', action: 'buy', quantity: '0.001', price: PRICE, leverage: 5, margin_mode: 'cross' });
    expect(r.answer.warnings).toEqual(['leverage is not used on spot: ignored', 'margin_mode is not used on spot: ignored']);
  });

  it('an unknown margin_mode is a 400 that says what to send', async () => {
    const r = await send(child, { strategy: 'x', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', action: 'buy', quantity: '0.01', margin_mode: 'portfolio' });
    expect(r.status).toBe(400);
    expect(r.answer.error!.message).toMatch(/margin_mode must be cross or isolated/);
  });
});
