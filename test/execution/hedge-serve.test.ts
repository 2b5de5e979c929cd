import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto, PositionDto, ReconciliationDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnLive, writePerpSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, eventually, listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { REVERSALS, send, wizardAlert } from './tv-support.js';

/**
 * Issue 16 item 5, hedge mode, through `pinebridge serve` and real ccxt `binanceusdm` against the
 * simulator in dualSidePosition mode: every order names its position side (LONG / SHORT) and none
 * is reduce-only; a long of one strategy and a short of another on the same market are two
 * positions on the exchange and two rows of the ledger; each exit closes only its own side; a
 * TradingView reversal is a close of one side and an open of the other; protective orders close
 * the side of the position they protect; reconciliation compares side by side.
 */
const PERP = 'BTC/USDT:USDT';
const PRICE = 65_000;

describe('hedge mode live (binanceusdm simulator), through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-hedge-live-');
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'perp', symbol: 'BINANCE:BTCUSDT.P', price: PRICE, ...body });
  const rows = async (strategy: string) => (await command<PositionDto[]>(child, 'getPositions', { strategy, includeFlat: true })).filter((p) => p.symbol === PERP);
  const orderRequests = (cid: string) =>
    [...sim.requests({ method: 'POST', path: '/fapi/v1/order' }), ...sim.requests({ method: 'POST', path: '/fapi/v1/algoOrder' })].filter(
      (r) => r.params.newClientOrderId === cid || r.params.clientAlgoId === cid,
    );
  /** What each order of an alert asked the exchange: side, position side, and that no reduceOnly went with it. */
  const asked = async (alertId: string) =>
    (await listOrders(child, alertId)).map((o: OrderDto) => {
      const [r] = orderRequests(o.clientOrderId);
      return [o.purpose, r?.params.side, r?.params.positionSide, r?.params.reduceOnly ?? null];
    });
  const long = () => sim.futures.position('BTCUSDT', 'LONG').positionAmt;
  const short = () => sim.futures.position('BTCUSDT', 'SHORT').positionAmt;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, futures: { balances: { USDT: 100_000 } } });
    sim.futures.setDualSide(true);
    writePerpSettings(dir.path, sim);
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('a long of strategy A and a short of strategy B on one market are two positions; each exit closes only its side', async () => {
    const a = await live('hedge-a', { action: 'buy', quantity: '0.01' });
    expect(a.alert!.status, a.alert!.reason ?? '').toBe('executed');
    const b = await live('hedge-b', { action: 'sell', quantity: '0.02' });
    expect(b.alert!.status, b.alert!.reason ?? '').toBe('executed');
    expect(sim.requests({ method: 'GET', path: '/fapi/v1/positionSide/dual' }).length).toBeGreaterThan(0);
    expect(await asked(a.alert!.id)).toEqual([['entry', 'BUY', 'LONG', null]]);
    expect(await asked(b.alert!.id)).toEqual([['entry', 'SELL', 'SHORT', null]]);
    // In one-way mode the two would have netted to -0.01; here both stand.
    expect(long()).toBeCloseTo(0.01, 10);
    expect(short()).toBeCloseTo(-0.02, 10);
    expect(await rows('hedge-a')).toMatchObject([{ positionSide: 'long', qty: 0.01, avgEntry: PRICE }]);
    expect(await rows('hedge-b')).toMatchObject([{ positionSide: 'short', qty: -0.02, avgEntry: PRICE }]);

    // Reconciliation compares each side with the exchange's position of that side.
    const recon = (await command<ReconciliationDto[]>(child, 'reconcile', {})).find((r) => r.account === 'perp');
    expect(recon, JSON.stringify(recon)).toMatchObject({ status: 'ok' });
    expect(recon!.assets.filter((x) => x.kind === 'position').map((x) => [x.asset, x.exchange, x.expected, x.drift])).toEqual([
      [`${PERP} long`, 0.01, 0.01, false],
      [`${PERP} short`, -0.02, -0.02, false],
    ]);

    // A's close sells its long (positionSide LONG, no reduceOnly); B's short is untouched.
    sim.futures.setPrice('BTCUSDT', 65_500);
    const closeA = await live('hedge-a', { action: 'close', price: 65_500 });
    expect(closeA.alert!.status, closeA.alert!.reason ?? '').toBe('executed');
    expect(await asked(closeA.alert!.id)).toEqual([['exit', 'SELL', 'LONG', null]]);
    expect(long()).toBe(0);
    expect(short()).toBeCloseTo(-0.02, 10);
    expect(await rows('hedge-a')).toMatchObject([{ positionSide: 'long', qty: 0 }]);
    expect((await rows('hedge-a'))[0]!.realizedPnl).toBeCloseTo(5, 9);
    expect(await rows('hedge-b')).toMatchObject([{ positionSide: 'short', qty: -0.02 }]);

    const closeB = await live('hedge-b', { action: 'close', price: 65_500 });
    expect(closeB.alert!.status, closeB.alert!.reason ?? '').toBe('executed');
    expect(await asked(closeB.alert!.id)).toEqual([['exit', 'BUY', 'SHORT', null]]);
    expect(sim.futures.positions()).toEqual([]);
    expect((await rows('hedge-b'))[0]!.realizedPnl).toBeCloseTo(-10, 9);
    sim.futures.setPrice('BTCUSDT', PRICE);
    const after = (await command<ReconciliationDto[]>(child, 'reconcile', {})).find((r) => r.account === 'perp');
    expect(after, JSON.stringify(after)).toMatchObject({ status: 'ok' });
  });

  it("a TradingView reversal is a close of one side and an open of the other, two orders with their own clientOrderIds", async () => {
    const strategy = { name: 'hedge-tv', quantity: '0.01', orderType: 'market' as const, symbol: 'BINANCE:BTCUSDT.P' };
    const ids: string[] = [];
    const seen: [number, number, number][] = [];
    for (const f of REVERSALS) {
      const r = await send(child, { ...wizardAlert(strategy, 'BTCUSDT.P', PRICE, f), account: 'perp' });
      expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
      ids.push(r.alert!.id);
      const qty = (await rows('hedge-tv')).reduce((s, p) => s + p.qty, 0);
      seen.push([Number(long().toFixed(8)), Number(short().toFixed(8)), Number(qty.toFixed(8))]);
    }
    // long 0.01, short 0.01, long 0.01, flat: each side on its own, never both at once.
    expect(seen).toEqual([
      [0.01, 0, 0.01],
      [0, -0.01, -0.01],
      [0.01, 0, 0.01],
      [0, 0, 0],
    ]);
    expect(await asked(ids[0]!)).toEqual([['entry', 'BUY', 'LONG', null]]);
    expect(await asked(ids[1]!)).toEqual([['exit', 'SELL', 'LONG', null], ['entry', 'SELL', 'SHORT', null]]);
    expect(await asked(ids[2]!)).toEqual([['exit', 'BUY', 'SHORT', null], ['entry', 'BUY', 'LONG', null]]);
    expect(await asked(ids[3]!)).toEqual([['exit', 'SELL', 'LONG', null]]);
    // Each order once on the exchange.
    for (const id of ids) for (const o of await listOrders(child, id)) expect(sim.futures.ordersByClientId(o.clientOrderId), o.clientOrderId).toHaveLength(1);
    expect(await rows('hedge-tv')).toMatchObject([{ positionSide: 'long', qty: 0 }, { positionSide: 'short', qty: 0 }]);
  });

  it("protective orders close the side they protect: the long's stop fires, the short of another strategy and its take-profit stay", async () => {
    const l = await live('hedge-sl-long', { action: 'buy', quantity: '0.01', stop_loss: 64_000, take_profit: 67_000 });
    expect(l.alert!.status, l.alert!.reason ?? '').toBe('executed');
    const s = await live('hedge-sl-short', { action: 'sell', quantity: '0.01', stop_loss: 67_500, take_profit: 63_000 });
    expect(s.alert!.status, s.alert!.reason ?? '').toBe('executed');
    const placed = (alertId: string) =>
      eventually(async () => {
        const list = await listOrders(child, alertId);
        return list.filter((o) => o.status === 'open').length === 2 ? list : undefined;
      }, 20_000, 'stop-loss and take-profit placed');
    await placed(l.alert!.id);
    await placed(s.alert!.id);
    const algos = (alertId: string) =>
      listOrders(child, alertId).then((list) =>
        list.filter((o) => o.purpose !== 'entry').map((o) => {
          const a = sim.futures.algoOrdersByClientId(o.clientOrderId);
          expect(a, o.clientOrderId).toHaveLength(1);
          return [o.purpose, a[0]!.orderType, a[0]!.side, a[0]!.positionSide, a[0]!.reduceOnly, a[0]!.triggerPrice];
        }),
      );
    expect(await algos(l.alert!.id)).toEqual([
      ['stop_loss', 'STOP_MARKET', 'SELL', 'LONG', false, 64_000],
      ['take_profit', 'TAKE_PROFIT_MARKET', 'SELL', 'LONG', false, 67_000],
    ]);
    expect(await algos(s.alert!.id)).toEqual([
      ['stop_loss', 'STOP_MARKET', 'BUY', 'SHORT', false, 67_500],
      ['take_profit', 'TAKE_PROFIT_MARKET', 'BUY', 'SHORT', false, 63_000],
    ]);

    // The price falls through the long's stop: only the long closes, and its take-profit is cancelled.
    sim.futures.setPrice('BTCUSDT', 63_900);
    await eventually(async () => ((await rows('hedge-sl-long'))[0]?.qty === 0 ? true : undefined), 20_000, "the long's stop recorded");
    await eventually(async () => {
      const tp = (await listOrders(child, l.alert!.id)).find((o) => o.purpose === 'take_profit');
      return tp?.status === 'cancelled' ? true : undefined;
    }, 20_000, "the long's take-profit cancelled");
    expect(long()).toBe(0);
    expect(short()).toBeCloseTo(-0.01, 10);
    expect(await rows('hedge-sl-short')).toMatchObject([{ positionSide: 'short', qty: -0.01 }]);
    expect(sim.futures.openAlgoOrders().map((a) => [a.side, a.positionSide, a.triggerPrice]).sort()).toEqual([
      ['BUY', 'SHORT', 63_000],
      ['BUY', 'SHORT', 67_500],
    ]);
    const close = await live('hedge-sl-short', { action: 'close', price: 63_900 });
    expect(close.alert!.status, close.alert!.reason ?? '').toBe('executed');
    expect(sim.futures.openAlgoOrders()).toEqual([]);
    expect(sim.futures.positions()).toEqual([]);
    sim.futures.setPrice('BTCUSDT', PRICE);
  });
});
