/**
 * The control API's pages (orders: `after`, fills: `before`, alerts: `beforeSeq`) walk a journal
 * with history and return every row exactly once, also where many rows share a timestamp. The
 * P&L history is one page of the newest fills whose curve ends at the ledger's total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFills, listOrders, pnlHistory } from '../../main/engine/control/ledger-queries.js';
import { PNL_HISTORY_FILLS } from '../../shared/dto/positions.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { journalPath } from '../support/journal-reader.js';
import { seedJournal } from '../support/seed-journal.js';
import { copyJournal } from '../support/copy-journal.js';
import { journalStores, startPostgres, type PgCluster } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('pinebridge-pages-');
const stores = journalStores('keyset pages');
let pg: PgCluster | null = null;
const journals: Partial<Record<'sqlite' | 'postgres', Journal>> = {};

beforeAll(async () => {
  const path = journalPath(dir.path);
  seedJournal(path, { alerts: 2000, days: 2, now: Date.now() });
  const j = Journal.open(path);
  journals.sqlite = j;
  // Ties: second legs with the same created_at as their first, and fills with the same ts.
  j.db.exec(`
    INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount, purpose, status, created_at, updated_at)
      SELECT client_order_id || '-tp', alert_id, 1, account, mode, exchange, strategy, symbol, 'sell', 'take_profit', amount, 'take_profit', 'open', created_at, updated_at
      FROM order_intents WHERE rowid % 3 = 0;
    INSERT INTO fills (intent_id, trade_id, account, mode, strategy, symbol, side, amount, price, fee, ts)
      SELECT intent_id, 'second', account, mode, strategy, symbol, side, amount, price, 0, ts FROM fills WHERE id % 4 = 0;
  `);
  if (stores.includes('postgres')) {
    pg = await startPostgres();
    journals.postgres = copyJournal(j, pg.createDatabase());
  }
});

afterAll(() => {
  for (const j of Object.values(journals)) j.close();
  pg?.destroy();
  dir.cleanup();
});

describe.each(stores)('keyset pages on %s', (store) => {
  let j: Journal;
  beforeAll(() => {
    j = journals[store] as Journal;
  });

  it('orders, newest first: every order once, across pages that split a tie', () => {
    const total = (j.db.prepare(`SELECT count(*) AS n FROM order_intents`).get() as { n: number }).n;
    const seen: string[] = [];
    let page = listOrders(j, { limit: 97 });
    while (page.length > 0) {
      seen.push(...page.map((o) => o.clientOrderId));
      const last = page.at(-1)!;
      page = listOrders(j, { limit: 97, after: { createdAt: last.createdAt, leg: last.leg, clientOrderId: last.clientOrderId } });
    }
    expect(total).toBeGreaterThan(2600);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    // And in the list's order: newest first, legs in order within an alert's time.
    const all = listOrders(j, { limit: 500 });
    expect(all.map((o) => o.createdAt)).toEqual([...all.map((o) => o.createdAt)].sort((a, b) => b - a));
  });

  it('orders of one strategy page the same way', () => {
    const total = (j.db.prepare(`SELECT count(*) AS n FROM order_intents WHERE strategy = 'hist3'`).get() as { n: number }).n;
    const seen = new Set<string>();
    let page = listOrders(j, { limit: 50, strategy: 'hist3' });
    let n = 0;
    while (page.length > 0) {
      for (const o of page) {
        expect(o.strategy).toBe('hist3');
        seen.add(o.clientOrderId);
        n++;
      }
      const last = page.at(-1)!;
      page = listOrders(j, { limit: 50, strategy: 'hist3', after: { createdAt: last.createdAt, leg: last.leg, clientOrderId: last.clientOrderId } });
    }
    expect(n).toBe(total);
    expect(seen.size).toBe(total);
  });

  it('fills, going back in time: every fill once', () => {
    const total = (j.db.prepare(`SELECT count(*) AS n FROM fills`).get() as { n: number }).n;
    const seen: number[] = [];
    let page = listFills(j, { limit: 113 });
    while (page.length > 0) {
      seen.push(...page.map((f) => f.id));
      const oldest = page[0]!; // a page comes oldest first
      page = listFills(j, { limit: 113, before: { time: oldest.time, id: oldest.id } });
    }
    expect(total).toBeGreaterThan(2400);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('alerts, by sequence: every alert once', () => {
    const total = j.alerts.count();
    const seen: number[] = [];
    let page = j.alerts.list({ limit: 89 });
    while (page.length > 0) {
      seen.push(...page.map((a) => a.seq));
      page = j.alerts.list({ limit: 89, beforeSeq: page.at(-1)!.seq });
    }
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('P&L history: the newest fills only, its curve starting from the fills before them and ending at the total', () => {
    const net = (where: string, params: unknown[] = []) =>
      (j.db.prepare(`SELECT coalesce(SUM(coalesce(realized_pnl, 0) - coalesce(fee_quote, 0)), 0) AS n FROM fills ${where}`).get(...params) as { n: number }).n;
    for (const strategy of [undefined, 'hist3']) {
      const filter = strategy ? 'WHERE strategy = ?' : '';
      const all = listFills(j, { ...(strategy ? { strategy } : {}), limit: 100_000 });
      const h = pnlHistory(j, strategy ? { strategy } : {});
      const expected = all.slice(-PNL_HISTORY_FILLS);
      expect(all.length).toBeGreaterThan(strategy ? 0 : PNL_HISTORY_FILLS);
      expect(h.fills.map((f) => f.id)).toEqual(expected.map((f) => f.id));
      expect(h.points).toHaveLength(h.fills.length);
      // Not a replay from zero at the page's start: the last point is every fill's realized P&L net of fees.
      expect(h.points.at(-1)!.value).toBeCloseTo(net(filter, strategy ? [strategy] : []), 6);
      const first = expected[0]!;
      const upToFirst = net(`WHERE (ts < ? OR (ts = ? AND id <= ?))${strategy ? ' AND strategy = ?' : ''}`, [first.time, first.time, first.id, ...(strategy ? [strategy] : [])]);
      expect(h.points[0]!.value).toBeCloseTo(upToFirst, 6);
    }
  });
});
