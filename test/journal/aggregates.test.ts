/**
 * The journal's running figures (pnl_daily: realized P&L, fees and fill count per day, strategy
 * and market; fill_totals: the reconciliation's sums per exchange, market, side and fee currency)
 * always equal what the fills themselves add up to: after fills through the real engine, after a
 * restart, and when migration 4 builds them from a journal that already had fills.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../main/engine/journal/database.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { migrations } from '../../main/engine/journal/migrations.js';
import { buy, startRisk, type RiskHarness } from '../risk/risk-harness.js';
import { journalPath } from '../support/journal-reader.js';
import { journalStores, startPostgres, type PgCluster } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';

const stores = journalStores('journal aggregates');
let pg: PgCluster | null = null;
beforeAll(async () => {
  if (stores.includes('postgres')) pg = await startPostgres();
});
afterAll(() => pg?.destroy());
/** The PostgreSQL database of a test, or undefined for the data dir's SQLite journal. */
const databaseFor = (store: string) => (store === 'postgres' ? (pg as PgCluster).createDatabase() : undefined);

const NO_LIMITS = { limits: { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null, maxOrdersPerMinute: null, dailyLossLimit: null, maxAlertAgeSec: null } };

type Row = Record<string, string | number>;
const round = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(9)) : v])));

function fromFills(db: Db): { daily: Row[]; totals: Row[] } {
  return {
    daily: round(
      db
        .prepare(
          `SELECT account, mode, ts / 86400000 AS day, strategy, symbol, SUM(coalesce(realized_pnl, 0)) AS realized, SUM(coalesce(fee_quote, 0)) AS fees, count(*) AS fills
           FROM fills GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
        )
        .all() as Row[],
    ),
    totals: round(
      db
        .prepare(
          `SELECT f.account, f.mode, i.exchange, f.symbol, f.side, coalesce(f.fee_currency, '') AS fee_currency, SUM(f.amount) AS amount,
                  SUM(f.amount * f.price) AS cost, SUM(f.fee) AS fee, SUM(coalesce(f.realized_pnl, 0)) AS realized, count(*) AS fills
           FROM fills f JOIN order_intents i ON i.client_order_id = f.intent_id GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
        )
        .all() as Row[],
    ),
  };
}

function kept(db: Db): { daily: Row[]; totals: Row[] } {
  return {
    daily: round(db.prepare(`SELECT account, mode, day, strategy, symbol, realized, fees, fills FROM pnl_daily WHERE fills > 0 ORDER BY 1, 2, 3, 4, 5`).all() as Row[]),
    totals: round(
      db
        .prepare(
          `SELECT account, mode, exchange, symbol, side, fee_currency, amount, cost, fee, realized, fills FROM fill_totals WHERE fills > 0 ORDER BY 1, 2, 3, 4, 5, 6`,
        )
        .all() as Row[],
    ),
  };
}

describe.each(stores)('running figures kept by the journal on %s', (store) => {
  let h: RiskHarness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('equal the fills after trades with P&L and fees, and after a restart and more trades', async () => {
    const dir = tempDir('pinebridge-aggregates-');
    const databaseUrl = databaseFor(store);
    // Default paper costs: every fill pays a fee; closing trades realize a profit or a loss.
    h = await startRisk({ dataDir: dir.path, databaseUrl, overrides: { ...NO_LIMITS, paper: { balances: { USDT: 1e6 } } } });
    const trade = async (strategy: string, action: string, price: string) => {
      const a = await h!.run(buy({ strategy, action, quantity: '0.01', price }));
      expect(a.status).toBe('executed');
    };
    await trade('a', 'buy', '65000');
    await trade('a', 'sell', '66000');
    await trade('b', 'buy', '65000');
    await trade('b', 'sell', '64000');
    await trade('a', 'buy', '65500');
    const db = h.engine.journal().db;
    const first = fromFills(db);
    expect(first.daily.length).toBe(2);
    expect(first.daily.some((r) => Number(r.realized) > 0) && first.daily.some((r) => Number(r.realized) < 0)).toBe(true);
    expect(first.daily.reduce((s, r) => s + Number(r.fills), 0)).toBe(5);
    expect(kept(db)).toEqual(first);

    await h.close(false);
    h = await startRisk({ dataDir: dir.path, databaseUrl, overrides: { ...NO_LIMITS, paper: { balances: { USDT: 1e6 } } } });
    expect(kept(h.engine.journal().db)).toEqual(first);
    await trade('a', 'sell', '67000');
    await trade('c', 'buy', '65000');
    const after = fromFills(h.engine.journal().db);
    expect(after.daily.reduce((s, r) => s + Number(r.fills), 0)).toBe(7);
    expect(kept(h.engine.journal().db)).toEqual(after);
    await h.close(false);
    h = null;
    dir.cleanup();
  });

  it('are built from the fills already there when an older journal is upgraded', () => {
    const dir = tempDir('pinebridge-aggregates-');
    const path = databaseFor(store) ?? journalPath(dir.path);
    const old = Journal.open(path, { migrations: migrations.filter((m) => m.version <= 4) });
    const alert = old.db.prepare(`INSERT INTO alerts (id, received_at, source, body, status, http_status, updated_at) VALUES (?, ?, 'x', '{}', 'executed', 200, ?)`);
    const intent = old.db.prepare(
      `INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount, purpose, status, created_at, updated_at)
       VALUES (?, ?, 0, ?, ?, ?, 's', ?, ?, 'market', 1, 'entry', 'filled', ?, ?)`,
    );
    const fill = old.db.prepare(
      `INSERT INTO fills (intent_id, trade_id, account, mode, strategy, symbol, side, amount, price, fee, fee_currency, ts, realized_pnl, fee_quote)
       VALUES (?, 't', ?, ?, 's', ?, ?, 1, ?, 0.1, ?, ?, ?, ?)`,
    );
    const day = 86_400_000;
    for (let i = 0; i < 40; i++) {
      const ts = 20_000 * day + (i % 4) * day + i;
      const [account, mode, exchange] = i % 3 === 0 ? ['main', 'live', 'binance'] : ['main', 'paper', 'paper'];
      alert.run(`a${i}`, ts, ts);
      intent.run(`c${i}`, `a${i}`, account, mode, exchange, i % 2 ? 'ETH/USDT' : 'BTC/USDT', i % 2 ? 'sell' : 'buy', ts, ts);
      // Fills from before migration 3 have no realized P&L (NULL); some have no fee currency.
      fill.run(`c${i}`, account, mode, i % 2 ? 'ETH/USDT' : 'BTC/USDT', i % 2 ? 'sell' : 'buy', 100 + i, i % 5 ? 'USDT' : null, ts, i % 7 ? i - 20 : null, i % 7 ? 0.1 : null);
    }
    const before = fromFills(old.db);
    old.close();
    const upgraded = Journal.open(path);
    expect(before.daily.length).toBeGreaterThan(4);
    expect(kept(upgraded.db)).toEqual(before);
    // And a fill deleted (retention, a repair) leaves them equal too.
    upgraded.db.prepare(`DELETE FROM fills WHERE intent_id IN ('c1', 'c2', 'c3')`).run();
    expect(kept(upgraded.db)).toEqual(fromFills(upgraded.db));
    upgraded.close();
    dir.cleanup();
  });
});
