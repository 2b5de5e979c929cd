import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertDetailDto, BalancesDto, PositionDto, ReconciliationDto } from '../../shared/api.js';
import { DEFAULT_MARKETS } from '../support/exchange-simulator/markets.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, eventually, getAlert, listOrders, postAlert, WEBHOOK_SECRET } from './serve-client.js';

/**
 * Paper mode that behaves like the exchange, through `pinebridge serve --mode paper`: perpetuals
 * (long, short, flip, reduce-only close, margin, P&L, liquidation price), the exchange's real
 * markets (read from it when it answers, else the shipped snapshot), unknown symbols refused.
 */
describe('paper perpetuals and real markets through pinebridge serve', () => {
  let child: ServeProcess | null = null;
  let sim: Simulator | null = null;
  let dir = tempDir('pinebridge-paper-perp-');
  let n = 0;
  beforeEach(() => {
    dir = tempDir('pinebridge-paper-perp-');
  });
  afterEach(async () => {
    await child?.stop();
    child = null;
    await sim?.close();
    sim = null;
    dir.cleanup();
  });

  const settings = (paper: Record<string, unknown>) =>
    writeFileSync(
      join(dir.path, 'settings.json'),
      JSON.stringify({ paper, limits: { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null } }),
    );
  const serve = async (args: string[] = []) => {
    child = await spawnServe({ dataDir: dir.path, args: ['--mode', 'paper', ...args], env: { PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    return child;
  };
  const run = async (body: Record<string, unknown>): Promise<AlertDetailDto> => {
    n += 1;
    const id = await postAlert(child!, { strategy: 'perp', id: `perp-${n}-${Date.now()}`, ...body });
    return eventually(async () => {
      const a = await getAlert(child!, id);
      return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
    });
  };
  const position = async (strategy: string, symbol: string) =>
    (await command<PositionDto[]>(child!, 'getPositions', { strategy, includeFlat: true })).find((p) => p.symbol === symbol);
  const usdt = async () => (await command<BalancesDto>(child!, 'getBalances', {})).balances.find((b) => b.currency === 'USDT')!;

  it('trades a perpetual long, flips it short with one order, closes it reduce-only; margin, P&L and liquidation price read back', async () => {
    settings({ balances: { USDT: 10_000 }, feeRate: 0.0004, slippageBps: 0, leverage: 10, markets: 'snapshot' });
    await serve();

    const long = await run({ action: 'buy', symbol: 'BINANCE:BTCUSDT.P', quantity: '0.01', price: '65000' });
    expect(long.status, long.reason ?? '').toBe('executed');
    let p = await position('perp', 'BTC/USDT:USDT');
    expect(p).toMatchObject({ mode: 'paper', qty: 0.01, avgEntry: 65_000 });
    // Isolated at 10x: margin 65, liquidated where 65 of margin is lost down to 0.4 % maintenance.
    expect(p!.liquidationPrice).toBeCloseTo((65_000 - 6_500) / (1 - 0.004), 6);
    let w = await usdt();
    expect(w.used).toBeCloseTo(65, 9);
    expect(w.total).toBeCloseTo(10_000 - 0.26, 9);

    // TradingView's reversal: the strategy ends at -0.01, one non-reduce-only sell of 0.02 (a flip).
    const flip = await run({ position: '-0.01', symbol: 'BTCUSDT.P', price: '66000' });
    expect(flip.status, flip.reason ?? '').toBe('executed');
    expect((await listOrders(child!, flip.id)).map((o) => [o.side, o.amount, o.filled, o.status])).toEqual([['sell', 0.02, 0.02, 'filled']]);
    p = await position('perp', 'BTC/USDT:USDT');
    expect(p).toMatchObject({ qty: -0.01, avgEntry: 66_000 });
    expect(p!.realizedPnl).toBeCloseTo(10, 9);
    expect(p!.liquidationPrice).toBeCloseTo((66_000 + 6_600) / (1 + 0.004), 6);
    w = await usdt();
    expect(w.used).toBeCloseTo(66, 9);
    // The long's +10 realized, fees 0.26 + 0.528: the wallet in the settle currency.
    expect(w.total).toBeCloseTo(10_000 + 10 - 0.26 - 0.528, 9);

    // A later alert's price marks the short: 0.01 x (66000 - 65500) unrealized.
    const mark = await run({ action: 'cancel', symbol: 'BTCUSDT.P', price: '65500' });
    expect(mark.status).toBe('skipped');
    p = await position('perp', 'BTC/USDT:USDT');
    expect(p).toMatchObject({ markPrice: 65_500 });
    expect(p!.unrealizedPnl).toBeCloseTo(5, 9);

    const close = await run({ action: 'close', symbol: 'BTCUSDT.P', price: '65000' });
    expect(close.status, close.reason ?? '').toBe('executed');
    p = await position('perp', 'BTC/USDT:USDT');
    expect(p).toMatchObject({ qty: 0, liquidationPrice: null });
    expect(p!.realizedPnl).toBeCloseTo(20, 9);
    w = await usdt();
    expect(w.used).toBeCloseTo(0, 9);
    expect(w.total).toBeCloseTo(10_000 + 20 - 0.26 - 0.528 - 0.26, 9);

    // A short from flat on another market, its P&L when bought back lower.
    const short = await run({ strategy: 'perp-short', action: 'sell', symbol: 'ETHUSDT.P', quantity: '0.5', price: '3200' });
    expect(short.status, short.reason ?? '').toBe('executed');
    p = await position('perp-short', 'ETH/USDT:USDT');
    expect(p).toMatchObject({ qty: -0.5, avgEntry: 3_200 });
    expect(p!.liquidationPrice).toBeCloseTo((3_200 + 320) / 1.004, 6);
    const cover = await run({ strategy: 'perp-short', action: 'close', symbol: 'ETHUSDT.P', price: '3100' });
    expect(cover.status, cover.reason ?? '').toBe('executed');
    expect((await position('perp-short', 'ETH/USDT:USDT'))!.realizedPnl).toBeCloseTo(50, 9);

    // Reconciliation finds the paper account's wallet and positions where the ledger says they are.
    const perpOpen = await run({ strategy: 'perp-open', action: 'buy', symbol: 'BTCUSDT.P', quantity: '0.002', price: '65000' });
    expect(perpOpen.status, perpOpen.reason ?? '').toBe('executed');
    const [recon] = await command<ReconciliationDto[]>(child!, 'reconcile', {});
    expect(recon, JSON.stringify(recon)).toMatchObject({ mode: 'paper', status: 'ok' });
    expect(recon!.assets.find((a) => a.asset === 'BTC/USDT:USDT')).toMatchObject({ exchange: 0.002, drift: false });
  });

  it('refuses an unknown paper symbol, naming near matches, before anything is filled', async () => {
    settings({ markets: 'snapshot' });
    await serve();
    const typo = await run({ action: 'buy', symbol: 'XYZNOTACOIN/USDT', quantity: '100', price: '1' });
    expect(typo).toMatchObject({ status: 'failed', reasonCode: 'unknown_symbol' });
    expect(typo.reason).toBe("XYZNOTACOIN/USDT is not a market on binance (paper trades binance's real markets).");
    const near = await run({ action: 'buy', symbol: 'BINANCE:ETHUSTD.P', quantity: '0.1', price: '3200' });
    expect(near.reason).toBe("BINANCE:ETHUSTD.P is not a perpetual market on binance (paper trades binance's real markets); did you mean ETH/USDT:USDT?");
    const balances = (await command<BalancesDto>(child!, 'getBalances', {})).balances;
    expect(balances.map((b) => b.currency)).toEqual(['USDT']);
    expect(await command<PositionDto[]>(child!, 'getPositions', { includeFlat: true })).toEqual([]);
  });

  it('reads the markets from the exchange when it answers (--exchange-url), else uses the shipped snapshot', async () => {
    // A market only this exchange lists, with its own steps; DOGEUSDT is in the snapshot but not here.
    const pine = { symbol: 'PINEUSDT', baseAsset: 'PINE', quoteAsset: 'USDT', tickSize: '0.001', stepSize: '0.5', minQty: '0.5', minNotional: '7', price: '2' };
    sim = await startExchangeSimulator({ markets: [...DEFAULT_MARKETS, pine] });
    await serve(['--exchange-url', sim.url]);
    const own = await run({ action: 'buy', symbol: 'PINEUSDT', quantity: '10.7', price: '2' });
    expect(own.status, own.reason ?? '').toBe('executed');
    expect((await position('perp', 'PINE/USDT'))!.qty).toBe(10.5);
    const small = await run({ action: 'buy', symbol: 'PINEUSDT', quantity: '3', price: '2' });
    expect(small.reason).toMatch(/below the 7 USDT minimum order value for PINE\/USDT/);
    const perp = await run({ strategy: 'perp-sim', action: 'buy', symbol: 'BTCUSDT.P', quantity: '0.002', price: '65000' });
    expect(perp.status, perp.reason ?? '').toBe('executed');
    const doge = await run({ action: 'buy', symbol: 'DOGEUSDT', quantity: '100', price: '0.1' });
    expect(doge).toMatchObject({ status: 'failed', reasonCode: 'unknown_symbol' });
    // Paper read public market data only: no order, no signed request reached the exchange.
    expect(sim.counters().ordersCreated).toBe(0);
    await child!.stop();
    child = null;

    // The same data dir with the exchange unreachable: the snapshot's markets, said in the log.
    const closed = await closedPort();
    await serve(['--exchange-url', `http://127.0.0.1:${closed}`]);
    const doge2 = await run({ action: 'buy', symbol: 'DOGEUSDT', quantity: '100', price: '0.1' });
    expect(doge2.status, doge2.reason ?? '').toBe('executed');
    const pine2 = await run({ action: 'buy', symbol: 'PINEUSDT', quantity: '10', price: '2' });
    expect(pine2).toMatchObject({ status: 'failed', reasonCode: 'unknown_symbol' });
    expect(child!.output()).toMatch(/paper trading checks symbols against the snapshot of binance's main markets/);
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
