/**
 * No read that runs for every alert, and no list the UI asks for, may read the whole journal:
 * a real engine over a journal with history runs alerts through every limit check (all limits
 * set, none reached) and answers the UI's queries while every SQL statement it runs is
 * collected; each one's query plan (EXPLAIN QUERY PLAN) must SEARCH the history tables, never
 * SCAN them. SQLite's planner only: PostgreSQL's plans (EXPLAIN) are not checked here yet, and
 * the journal suites that run on both stores are the others in this folder.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../main/engine/journal/database.js';
import { buy, EXACT_PAPER, startRisk, type RiskHarness } from '../risk/risk-harness.js';
import { journalPath } from '../support/journal-reader.js';
import { seedJournal } from '../support/seed-journal.js';
import { tempDir } from '../support/temp-dir.js';

const HISTORY_TABLES = /\bSCAN (TABLE )?(order_intents|fills|alerts|events|paper_orders|paper_trades|alert_latency)\b/;
const LIMITS = {
  maxOrderNotional: 1e9,
  maxPositionPerSymbol: 1e9,
  maxTotalExposure: 1e9,
  maxOrdersPerMinute: 1000,
  dailyLossLimit: 1e9,
  maxAlertAgeSec: 3600,
  allowedSymbols: [],
};

/** Columns that name who traded what: a search on them alone still reads all of that one's history. */
const IDENTITY = new Set(['account', 'mode', 'exchange', 'strategy', 'symbol', 'side', 'purpose']);

/**
 * A SEARCH of a history table through a full (not partial) index constrained only by identity
 * columns (`account=? AND mode=?`) reads every row the account ever had: a scan in all but name.
 */
function wholeHistory(db: Db, detail: string): boolean {
  const m = /^SEARCH (order_intents|fills|alerts|events|paper_orders|paper_trades) USING (?:COVERING )?INDEX (\w+) \((.+)\)$/.exec(detail);
  if (!m) return false;
  const columns = [...m[3]!.matchAll(/(\w+)[=<>]/g)].map((c) => c[1]!);
  const partial = (db.prepare(`SELECT partial FROM pragma_index_list(?) WHERE name = ?`).get(m[1], m[2]) as { partial: number } | undefined)?.partial === 1;
  return !partial && columns.every((c) => IDENTITY.has(c));
}

/** The statements of `sqls` whose plan scans a history table, with the offending plan lines. */
export function scanning(db: Db, sqls: Iterable<string>): { sql: string; plan: string[] }[] {
  const out: { sql: string; plan: string[] }[] = [];
  for (const sql of new Set(sqls)) {
    if (!/^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b/i.test(sql)) continue;
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
    // Newest first with no filter (`ORDER BY seq DESC LIMIT n`): an ordered walk that stops after
    // n rows, not a scan of the table (unless the order needs a sort of everything first).
    // A search by identity in index order (`WHERE symbol = ? ORDER BY ts DESC LIMIT 1`) likewise.
    const ordered = (i: number) => /\bLIMIT\b/i.test(sql) && !/TEMP B-TREE/.test(plan[i + 1] ?? '');
    const walk = (i: number) => !/\bWHERE\b/i.test(sql) && ordered(i);
    if (plan.some((d, i) => (HISTORY_TABLES.test(d) && !walk(i)) || (wholeHistory(db, d) && !ordered(i)))) out.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 300), plan });
  }
  return out;
}

describe('query plans over a journal with history', () => {
  let h: RiskHarness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  async function start(): Promise<{ h: RiskHarness; sql: string[]; recording: { on: boolean } }> {
    const dir = tempDir('pinebridge-plans-');
    seedJournal(journalPath(dir.path), { alerts: 3000, days: 3, now: Date.now() });
    const sql: string[] = [];
    const recording = { on: false };
    h = await startRisk({
      dataDir: dir.path,
      overrides: { ...EXACT_PAPER, paper: { ...EXACT_PAPER.paper, balances: { USDT: 1e9 } }, limits: LIMITS },
      onSql: (s) => {
        if (recording.on) sql.push(s);
      },
    });
    const cleanup = h.close.bind(h);
    h.close = async () => {
      await cleanup(false);
      dir.cleanup();
    };
    return { h, sql, recording };
  }

  it('the per-alert reads (planning, every risk limit, paper fills, the ledger) search, never scan', async () => {
    const { h, sql, recording } = await start();
    await h.run(buy({ quantity: '0.01', price: '65000' })); // warm: statements prepared, paper account funded
    recording.on = true;
    const done = await h.run(buy({ quantity: '0.01', price: '65000' }));
    await h.run(buy({ action: 'sell', quantity: '0.01', price: '65100' }));
    await h.run(buy({ quantity: '0.01', order_type: 'limit', price: '60000' })); // rests: an open entry
    await h.run(buy({ quantity: '0.01', price: '65000', stop_loss: '60000', take_profit: '70000' }));
    recording.on = false;
    expect(done.status).toBe('executed');
    expect(h.intents(done.id)[0]?.status).toBe('filled');
    // The reads these limits make were run (else this test would prove nothing).
    const all = sql.join('\n');
    for (const table of ['pnl_daily', 'order_intents', 'positions', 'fills']) expect(all).toContain(table);
    expect(scanning(h.engine.journal().db, sql)).toEqual([]);
  });

  it("the UI's lists (alerts, orders, fills, positions, P&L, health) search, never scan", async () => {
    const { h, sql, recording } = await start();
    const api = h.engine.api;
    const first = (await api.listOrders({ limit: 1 }))[0]!;
    const fill = (await api.listFills({ limit: 1 }))[0]!;
    recording.on = true;
    await api.listAlerts({ limit: 200 });
    await api.listAlerts({ limit: 200, status: 'executed' });
    await api.listAlerts({ limit: 200, strategy: 'hist3' });
    await api.listAlerts({ limit: 200, beforeSeq: 1500 });
    await api.listOrders({ limit: 200 });
    await api.listOrders({ limit: 200, strategy: 'hist3' });
    await api.listOrders({ limit: 50, alertId: first.alertId });
    await api.listOrders({ limit: 200, after: { createdAt: first.createdAt, leg: first.leg, clientOrderId: first.clientOrderId } });
    await api.listFills({ limit: 1000 });
    await api.listFills({ limit: 1000, strategy: 'hist3' });
    await api.listFills({ limit: 1000, account: 'main' });
    await api.listFills({ limit: 1000, before: { time: fill.time, id: fill.id } });
    await api.getPositions({ includeFlat: true });
    await api.getPnlSummary({});
    await api.getHealth({});
    // Latency attribution (detail and dashboard) and live vs backtest over the same history.
    await api.getAlertLatency({ id: first.alertId });
    await api.getLatencyStats({});
    const csv = ['Trade #,Type,Date/Time,Signal,Price USDT,Position size (qty)', '1,Exit long,2026-01-02 10:00,Close,101,1', '1,Entry long,2026-01-02 09:00,Long,100,1'].join('\n');
    await api.importBacktest({ strategy: 'hist3', csv });
    await api.getBacktestComparison({ strategy: 'hist3' });
    recording.on = false;
    for (const table of ['alert_latency', 'backtest_imports']) expect(sql.join('\n')).toContain(table);
    expect(sql.length).toBeGreaterThan(10);
    expect(scanning(h.engine.journal().db, sql)).toEqual([]);
  });

  it('the check sees a scan: a query by a column no index leads with is reported', async () => {
    const { h } = await start();
    const found = scanning(h.engine.journal().db, [
      `SELECT * FROM order_intents WHERE amount = 0.001`,
      `SELECT * FROM fills WHERE id = 1`,
      `SELECT * FROM alerts ORDER BY seq DESC LIMIT 50`,
      `SELECT * FROM alerts ORDER BY body LIMIT 50`,
      // What openFor and the open-entries search did before the partial indexes.
      `SELECT * FROM order_intents WHERE account = 'main' AND mode = 'paper' AND strategy = 'hist1' AND symbol = 'BTC/USDT' AND amount > 0`,
      `SELECT * FROM order_intents WHERE status = 'open' AND account = 'main' AND mode = 'paper' AND strategy = 'hist1' AND symbol = 'BTC/USDT'`,
    ]);
    expect(found.map((f) => f.sql)).toEqual([
      `SELECT * FROM order_intents WHERE amount = 0.001`,
      `SELECT * FROM alerts ORDER BY body LIMIT 50`,
      `SELECT * FROM order_intents WHERE account = 'main' AND mode = 'paper' AND strategy = 'hist1' AND symbol = 'BTC/USDT' AND amount > 0`,
    ]);
  });
});
