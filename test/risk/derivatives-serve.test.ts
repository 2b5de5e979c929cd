import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetailDto, PositionDto, ReconAssetDto, ReconciliationDto } from '../../shared/api.js';
import { command, eventually, getAlert, postAlert, WEBHOOK_SECRET } from '../execution/serve-client.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Issue 4's "positions (derivatives)" through `pinebridge serve` (live, real ccxt `binanceusdm`,
 * real HTTP, real SQLite) against the simulator's USDⓈ-M perpetuals: the account alias "perp"
 * trades BTCUSDT.P; reconciliation compares the strategies' contracts with the exchange's
 * one-way position and the USDT wallet with realized P&L and fees, reports what changed outside
 * Pinebridge (a manual trade, a liquidation) with the numbers, never trades to fix it, and a
 * `close` sells only the strategy's own contracts.
 */
const PERP = 'BTC/USDT:USDT';

describe('derivatives reconciliation through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-perp-e2e-');

  const reconcile = async (): Promise<ReconciliationDto> => {
    const [r] = await command<ReconciliationDto[]>(child, 'reconcile', { account: 'perp' });
    return r!;
  };
  const row = (r: ReconciliationDto, asset: string): ReconAssetDto | undefined => r.assets.find((a) => a.asset === asset);
  const positions = () => command<PositionDto[]>(child, 'getPositions', { account: 'perp' });
  /** Requests that could place, change or cancel an order, spot or futures. */
  const orderRequests = (from: number) => sim.requests().slice(from).filter((q) => q.method !== 'GET' && /\/(api\/v3|fapi\/v1)\/(order|allOpenOrders|openOrders)/.test(q.path));
  const alert = async (body: Record<string, unknown>): Promise<AlertDetailDto> => {
    const id = await postAlert(child, { symbol: 'BINANCE:BTCUSDT.P', id: `perp-${Math.random()}`, ...body });
    return eventually(async () => {
      const a = await getAlert(child, id);
      return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
    });
  };

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, futures: { balances: { USDT: 5_000 } } });
    writeSettings(dir.path, {
      accounts: [{ name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url }],
      strategies: [{ name: 'trend', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', quantity: '0.01' }],
      reconciliation: { intervalSec: 0 },
      execution: FAST_EXECUTION,
    });
    // The default account "main" trades spot on the same simulator; "perp" its futures side.
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
    await eventually(
      async () => (await command<ReconciliationDto[]>(child, 'getReconciliation', { account: 'perp' })).find((r) => r.status === 'ok'),
      20_000,
      'the start reconciliation of perp',
    );
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('on start, takes the perp account as it is: its USDT wallet, no positions', async () => {
    const [start] = await command<ReconciliationDto[]>(child, 'getReconciliation', { account: 'perp' });
    expect(start).toMatchObject({ account: 'perp', mode: 'live', exchange: 'binanceusdm', trigger: 'start', status: 'ok' });
    expect(start!.message).toMatch(/^baseline taken/);
    expect(start!.assets).toEqual([expect.objectContaining({ asset: 'USDT', kind: 'balance', exchange: 5_000, baseline: 5_000, ledger: 0, drift: false })]);
    // Markets, time and account only: no spot-wallet (sapi) call was needed for the futures account.
    expect(sim.requests().filter((q) => q.path.startsWith('/sapi/'))).toEqual([]);
    expect(sim.requestCount('GET', '/fapi/v3/account')).toBeGreaterThan(0);
  });

  it('opens perpetual positions by webhook: the ledger holds each strategy\'s contracts, and reconciles with the exchange', async () => {
    const trend = await alert({ strategy: 'trend', action: 'buy', quantity: '0.01', price: '65000' });
    expect(trend.status, trend.reason ?? '').toBe('executed');
    expect(sim.futures.ordersByClientId(`pb${trend.id}-0`)).toEqual([
      expect.objectContaining({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', origQty: 0.01, executedQty: 0.01, reduceOnly: false, status: 'FILLED' }),
    ]);
    // A second strategy on the same account and market (no alert price: the venue's ticker prices it).
    const other = await alert({ strategy: 'other', account: 'perp', symbol: 'BTCUSDT.P', action: 'buy', quantity: '0.005' });
    expect(other.status, other.reason ?? '').toBe('executed');

    const held = await positions();
    expect(held.map((p) => [p.strategy, p.symbol, p.mode, p.qty, p.avgEntry, p.fees])).toEqual([
      ['other', PERP, 'live', 0.005, 65_000, 0.1625],
      ['trend', PERP, 'live', 0.01, 65_000, 0.325],
    ]);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.015);

    const r = await reconcile();
    expect(r.status, r.message).toBe('ok');
    expect(row(r, PERP)).toEqual({ asset: PERP, kind: 'position', exchange: 0.015, locked: 0, baseline: 0, ledger: 0.015, expected: 0.015, difference: 0, value: 0, drift: false });
    expect(row(r, 'USDT')).toMatchObject({ exchange: 5_000 - 0.4875, ledger: -0.4875, difference: 0, drift: false });

    // The price moves: unrealized P&L (75 USDT here) is not a difference, the wallet has not moved.
    sim.futures.setPrice('BTCUSDT', 70_000);
    expect(sim.futures.wallet().unrealizedProfit).toBe(75);
    const moved = await reconcile();
    expect(moved.status, moved.message).toBe('ok');
    expect(row(moved, 'USDT')).toMatchObject({ exchange: 5_000 - 0.4875, difference: 0 });

    // The position list failing once is not a match: the run is an error, the next one compares again.
    const fault = sim.injectFault({ kind: 'http503', method: 'GET', path: '/fapi/v3/positionRisk' });
    const failed = await reconcile();
    expect(fault.applied()).toBe(1);
    expect(failed).toMatchObject({ status: 'error', assets: [] });
    expect(failed.message).toMatch(/^could not reconcile: binanceusdm/);
    expect((await reconcile()).status).toBe('ok');
  });

  it('reports a manual trade, then a liquidation-like reduction, as drifts with the numbers, and places no order', async () => {
    // Back at the strategies' entry price: Binance realizes P&L against the position's average entry.
    sim.futures.setPrice('BTCUSDT', 65_000);
    const from = sim.requests().length;
    const hookOrders = sim.futures.orders().length;

    sim.futures.adjustPosition('BTCUSDT', 0.006); // bought by hand in the app: taker fee 0.195 USDT
    const manual = await reconcile();
    expect(manual.status).toBe('drift');
    // Valued at the exchange's mark price: 0.006 x 65,000.
    expect(row(manual, PERP)).toMatchObject({ kind: 'position', exchange: 0.021, baseline: 0, ledger: 0.015, expected: 0.015, difference: 0.006, value: 390, drift: true });
    // The fee of the manual trade is below the 1 USD tolerance: a difference, not a drift.
    expect(row(manual, 'USDT')).toMatchObject({ difference: -0.195, drift: false });
    expect(manual.message).toContain('position BTC/USDT:USDT: the exchange holds 0.021, 0.006 more than the 0.015 expected (baseline 0 + Pinebridge 0.015), worth 390.00 USD');
    expect(manual.message).toContain('Nothing was traded');

    // Liquidation-like: 0.004 closed at 60,000 (a 20 USDT loss) with a 2.5 USDT clearance fee.
    sim.futures.adjustPosition('BTCUSDT', -0.004, { price: 60_000, fee: 2.5, kind: 'liquidation' });
    const liquidated = await reconcile();
    expect(liquidated.status).toBe('drift');
    expect(liquidated.assets.filter((a) => a.drift).map((a) => [a.asset, a.exchange, a.expected, a.difference])).toEqual([
      ['USDT', 5_000 - 0.4875 - 0.195 - 20 - 2.5, 5_000 - 0.4875, -22.695],
      [PERP, 0.017, 0.015, 0.002],
    ]);
    expect(row(liquidated, 'USDT')).toMatchObject({ value: 22.695 });
    expect((await command<ReconciliationDto[]>(child, 'getReconciliation', { account: 'perp' }))[0]).toMatchObject({ status: 'drift' });

    // Reconciling only read: no order was sent or cancelled, on the futures or the spot side.
    expect(orderRequests(from)).toEqual([]);
    expect(sim.futures.orders()).toHaveLength(hookOrders + 2);
    expect(sim.requests().slice(from).map((q) => q.path)).toContain('/fapi/v3/positionRisk');
    // The strategies' own ledger is untouched by what happened outside.
    expect((await positions()).map((p) => [p.strategy, p.qty])).toEqual([
      ['other', 0.005],
      ['trend', 0.01],
    ]);
  });

  it('accepts the account as it is (new baseline); a close sells only the strategy\'s own contracts, reduce-only', async () => {
    const accepted = await command<ReconciliationDto>(child, 'acceptReconciliation', { account: 'perp' });
    expect(accepted.status, accepted.message).toBe('ok');
    expect(row(accepted, PERP)).toMatchObject({ exchange: 0.017, baseline: 0.002, ledger: 0.015, difference: 0, drift: false });

    sim.futures.setPrice('BTCUSDT', 66_000);
    const from = sim.requests().length;
    const close = await alert({ strategy: 'trend', action: 'close' });
    expect(close.status, close.reason ?? '').toBe('executed');
    const sent = orderRequests(from);
    expect(sent.map((q) => [q.path, q.params.side, q.params.quantity, q.params.reduceOnly])).toEqual([['/fapi/v1/order', 'SELL', '0.01', 'true']]);
    expect(sim.futures.ordersByClientId(`pb${close.id}-0`)[0]).toMatchObject({ executedQty: 0.01, avgPrice: 66_000, reduceOnly: true });

    // The other strategy's 0.005 and the 0.002 held outside Pinebridge stay.
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.007);
    const all = await command<PositionDto[]>(child, 'getPositions', { account: 'perp', includeFlat: true });
    expect(all.map((p) => [p.strategy, p.qty, p.realizedPnl, p.fees])).toEqual([
      ['other', 0.005, 0, 0.1625],
      ['trend', 0, 10, 0.325 + 0.33],
    ]);

    const after = await reconcile();
    expect(after.status, after.message).toBe('ok');
    expect(row(after, PERP)).toMatchObject({ exchange: 0.007, baseline: 0.002, ledger: 0.005, expected: 0.007, difference: 0 });
    // The wallet moved by the close's realized 10 USDT and its 0.33 USDT fee, as the ledger says.
    expect(row(after, 'USDT')!.difference).toBeCloseTo(0, 8);
    expect(row(after, 'USDT')!.exchange).toBeCloseTo(5_000 - 0.4875 - 22.695 + 10 - 0.33, 8);

    // Nothing left to close: skipped before any order.
    const again = await alert({ strategy: 'trend', action: 'close' });
    expect(again).toMatchObject({ status: 'skipped', reasonCode: 'nothing_to_close' });
    expect(sim.futures.orders().filter((o) => o.origin === 'api')).toHaveLength(3);
  });
});
