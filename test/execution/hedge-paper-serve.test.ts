import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionDto, ReconciliationDto } from '../../shared/api.js';
import { withJournal } from '../support/journal-reader.js';
import { NO_RISK_LIMITS, writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, eventually, listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { REVERSALS, send, wizardAlert } from './tv-support.js';

/**
 * Issue 16 item 6, hedge mode in paper (`accounts[].hedgeMode`), through `pinebridge serve --mode
 * paper`, with the semantics of the live test (hedge-serve.test.ts): a long and a short of two
 * strategies on one market are two paper positions and two ledger rows, each exit closes its
 * side, a reversal is a close and an open, a stop closes only the side it protects, and
 * reconciliation compares side by side. The paper venue refuses, as Binance does, an order
 * without its side in hedge mode and reduce-only beside one.
 */
const PERP = 'BTC/USDT:USDT';

describe('hedge mode in paper, through pinebridge serve', () => {
  let child: ServeProcess;
  const dir = tempDir('pinebridge-hedge-paper-');
  const paper = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, symbol: 'BINANCE:BTCUSDT.P', price: '65000', ...body });
  const rows = async (strategy: string) => (await command<PositionDto[]>(child, 'getPositions', { strategy, includeFlat: true })).filter((p) => p.symbol === PERP);
  /** The paper book's positions of the market, side by side. */
  const book = () =>
    withJournal(dir.path, (db) =>
      db.prepare(`SELECT position_side AS side, qty FROM paper_positions WHERE symbol = ? AND qty != 0 ORDER BY position_side`).all(PERP),
    ) as { side: string; qty: number }[];
  const sides = (alertId: string) =>
    withJournal(dir.path, (db) =>
      db
        .prepare(`SELECT side, position_side AS positionSide, reduce_only AS reduceOnly FROM paper_orders WHERE client_order_id LIKE ? ORDER BY id`)
        .all(`pb${alertId}-%`),
    );
  const reconciled = async () => (await command<ReconciliationDto[]>(child, 'reconcile', {})).find((r) => r.account === 'main');

  beforeAll(async () => {
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [{ name: 'main', hedgeMode: true }],
      paper: { balances: { USDT: 100_000 }, feeRate: 0.0004, slippageBps: 0, leverage: 10, markets: 'snapshot' },
      reconciliation: { intervalSec: 0 },
    });
    child = await spawnServe({ dataDir: dir.path, args: ['--mode', 'paper'], env: { PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  });
  afterAll(async () => {
    await child?.stop();
    dir.cleanup();
  });

  it('a long of A and a short of B are two paper positions; each exit closes only its side; reconciliation per side', async () => {
    const a = await paper('hp-a', { action: 'buy', quantity: '0.01' });
    expect(a.alert!.status, a.alert!.reason ?? '').toBe('executed');
    const b = await paper('hp-b', { action: 'sell', quantity: '0.02' });
    expect(b.alert!.status, b.alert!.reason ?? '').toBe('executed');
    expect(book()).toEqual([{ side: 'long', qty: 0.01 }, { side: 'short', qty: -0.02 }]);
    expect(sides(a.alert!.id)).toEqual([{ side: 'buy', positionSide: 'long', reduceOnly: 0 }]);
    expect(sides(b.alert!.id)).toEqual([{ side: 'sell', positionSide: 'short', reduceOnly: 0 }]);
    expect(await rows('hp-a')).toMatchObject([{ positionSide: 'long', qty: 0.01, avgEntry: 65_000 }]);
    expect(await rows('hp-b')).toMatchObject([{ positionSide: 'short', qty: -0.02, avgEntry: 65_000 }]);
    const recon = await reconciled();
    expect(recon, JSON.stringify(recon)).toMatchObject({ status: 'ok' });
    expect(recon!.assets.filter((x) => x.kind === 'position').map((x) => [x.asset, x.exchange, x.drift])).toEqual([
      [`${PERP} long`, 0.01, false],
      [`${PERP} short`, -0.02, false],
    ]);

    const closeA = await paper('hp-a', { action: 'close', price: '65500' });
    expect(closeA.alert!.status, closeA.alert!.reason ?? '').toBe('executed');
    // The close sells the long side: reduce-only inside the paper book, as its side says.
    expect(sides(closeA.alert!.id)).toEqual([{ side: 'sell', positionSide: 'long', reduceOnly: 1 }]);
    expect(book()).toEqual([{ side: 'short', qty: -0.02 }]);
    expect((await rows('hp-a'))[0]).toMatchObject({ positionSide: 'long', qty: 0 });
    expect((await rows('hp-a'))[0]!.realizedPnl).toBeCloseTo(5, 9);
    const closeB = await paper('hp-b', { action: 'close', price: '65500' });
    expect(closeB.alert!.status, closeB.alert!.reason ?? '').toBe('executed');
    expect(book()).toEqual([]);
    expect((await rows('hp-b'))[0]!.realizedPnl).toBeCloseTo(-10, 9);
    expect(await reconciled()).toMatchObject({ status: 'ok' });
  });

  it('a TradingView reversal is a close of one side and an open of the other', async () => {
    const strategy = { name: 'hp-tv', quantity: '0.01', orderType: 'market' as const, symbol: 'BINANCE:BTCUSDT.P' };
    const seen: { side: string; qty: number }[][] = [];
    const ids: string[] = [];
    for (const f of REVERSALS) {
      const r = await send(child, wizardAlert(strategy, 'BTCUSDT.P', 65_000, f));
      expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
      ids.push(r.alert!.id);
      seen.push(book());
    }
    expect(seen).toEqual([[{ side: 'long', qty: 0.01 }], [{ side: 'short', qty: -0.01 }], [{ side: 'long', qty: 0.01 }], []]);
    expect(sides(ids[1]!)).toEqual([
      { side: 'sell', positionSide: 'long', reduceOnly: 1 },
      { side: 'sell', positionSide: 'short', reduceOnly: 0 },
    ]);
    expect((await listOrders(child, ids[2]!)).map((o) => [o.purpose, o.side, o.status])).toEqual([
      ['exit', 'buy', 'filled'],
      ['entry', 'buy', 'filled'],
    ]);
  });

  it("a short's stop closes only the short; another strategy's long stays", async () => {
    const l = await paper('hp-long', { action: 'buy', quantity: '0.01' });
    expect(l.alert!.status, l.alert!.reason ?? '').toBe('executed');
    const s = await paper('hp-short', { action: 'sell', quantity: '0.01', stop_loss: '66000' });
    expect(s.alert!.status, s.alert!.reason ?? '').toBe('executed');
    await eventually(async () => ((await listOrders(child, s.alert!.id)).some((o) => o.purpose === 'stop_loss' && o.status === 'open') ? true : undefined), 10_000, 'the stop placed');
    expect(sides(s.alert!.id)).toEqual([
      { side: 'sell', positionSide: 'short', reduceOnly: 0 },
      { side: 'buy', positionSide: 'short', reduceOnly: 1 },
    ]);
    // An alert of another strategy brings a price above the stop: paper fills it.
    const other = await paper('hp-other', { action: 'buy', quantity: '0.002', price: '66100' });
    expect(other.alert!.status, other.alert!.reason ?? '').toBe('executed');
    await eventually(async () => ((await rows('hp-short'))[0]?.qty === 0 ? true : undefined), 10_000, "the short's stop recorded");
    expect(book()).toEqual([{ side: 'long', qty: 0.012 }]);
    expect(await rows('hp-long')).toMatchObject([{ positionSide: 'long', qty: 0.01 }]);
    expect(await reconciled()).toMatchObject({ status: 'ok' });
  });
});
