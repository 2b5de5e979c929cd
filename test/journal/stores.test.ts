/**
 * The journal's stores on both SQL stores (SQLite file, PostgreSQL database): the same calls give
 * the same answers, and both schemas end with the same tables and columns.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstAlertAt, liveOrders, loadBacktest, saveBacktest } from '../../main/engine/journal/backtests.js';
import { schemaVersion } from '../../main/engine/journal/database.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { alertLatency } from '../../main/engine/journal/latency.js';
import { migrations } from '../../main/engine/journal/migrations.js';
import { JournalUnavailableError, sqliteHandle } from '../../main/engine/journal/sql-port.js';
import { maskDatabaseUrl } from '../../main/engine/journal/database-url.js';
import { lastParity } from '../../main/engine/execution/parity.js';
import { journalStoreFixture } from '../support/journal-stores.js';
import { newAlert } from '../support/new-alert.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { stores, location } = journalStoreFixture('journal stores');

const alert = newAlert;

describe.each(stores)('journal on %s', (store) => {
  it('records alerts, answers a repeated key with the first id, within its window only', () => {
    const j = Journal.open(location(store));
    const first = j.transaction(() => j.alerts.record(alert('a1', { idemKey: 'k' })));
    expect(first.outcome).toBe('accepted');
    const again = j.alerts.record(alert('a2', { idemKey: 'k', receivedAt: 2_000 }));
    expect(again).toMatchObject({ outcome: 'duplicate', firstId: 'a1' });
    const later = j.alerts.record(alert('a3', { idemKey: 'k', receivedAt: 9_000, idemSince: 5_000 }));
    expect(later.outcome).toBe('accepted');
    expect(j.alerts.count()).toBe(3);
    expect(j.alerts.get('a2')).toMatchObject({ status: 'duplicate', duplicateOf: 'a1', seq: 2, receivedAt: 2_000 });
    expect(j.alerts.pendingPage(0, 10)).toEqual([
      { id: 'a1', seq: 1, receivedAt: 1_000 },
      { id: 'a3', seq: 3, receivedAt: 9_000 },
    ]);
    expect(j.alerts.list({ limit: 2, strategy: 's1' }).map((a) => a.id)).toEqual(['a3', 'a2']);
    j.close();
  });

  it('rolls back a failed inner transaction alone (a savepoint), and everything when the outer one fails', () => {
    const j = Journal.open(location(store));
    j.transaction(() => {
      j.alerts.record(alert('kept'));
      expect(() => j.transaction(() => {
        j.alerts.record(alert('undone'));
        throw new Error('inner');
      })).toThrow('inner');
    });
    expect(() => j.transaction(() => {
      j.alerts.record(alert('outer'));
      j.alerts.record(alert('outer'));
    })).toThrow();
    expect(j.alerts.list({}).map((a) => a.id)).toEqual(['kept']);
    // The connection is usable after the failure.
    expect(j.alerts.record(alert('next')).outcome).toBe('accepted');
    j.close();
  });

  it('keeps latency, daily P&L and fill totals through its triggers; intents and fills are written once', () => {
    const j = Journal.open(location(store));
    j.alerts.record(alert('a1'));
    expect(alertLatency(j.db, 'a1')).toMatchObject({ receivedAt: 1_000, firedAt: 900, sentAt: null });
    const intent = {
      clientOrderId: 'c1', alertId: 'a1', leg: 0, account: 'main', mode: 'paper' as const, exchange: 'paper', strategy: 's1', symbol: 'BTC/USDT',
      side: 'buy' as const, type: 'market' as const, amount: 0.5, price: null, triggerPrice: null, params: {}, purpose: 'entry' as const, createdAt: 1_100,
    };
    j.transaction(() => j.intents.insert([intent], 1_200));
    j.intents.insert([{ ...intent, amount: 9 }]);
    expect(j.intents.get('c1')).toMatchObject({ amount: 0.5, status: 'sending' });
    expect(alertLatency(j.db, 'a1')?.sentAt).toBe(1_200);
    const fill = { intentId: 'c1', tradeId: 't1', side: 'buy' as const, amount: 0.5, price: 100, fee: 0.05, feeCurrency: 'USDT', ts: 86_400_000 * 3 + 5 };
    const key = { account: 'main', mode: 'paper' as const, strategy: 's1', symbol: 'BTC/USDT' };
    const moved = j.positions.recordFill(key, fill, 'BTC', 'USDT');
    expect(moved).not.toBeNull();
    expect(j.positions.recordFill(key, fill, 'BTC', 'USDT')).toBeNull();
    expect(j.positions.get(key)).toMatchObject({ qty: 0.5, avgEntry: 100 });
    expect(j.db.prepare(`SELECT day, fills FROM pnl_daily`).all()).toEqual([{ day: 3, fills: 1 }]);
    expect(j.db.prepare(`SELECT exchange, amount, cost, fills FROM fill_totals`).all()).toEqual([{ exchange: 'paper', amount: 0.5, cost: 50, fills: 1 }]);
    expect(liveOrders(j.db, 's1', 'paper', 0, Number.MAX_SAFE_INTEGER)).toEqual([
      expect.objectContaining({ clientOrderId: 'c1', alertId: 'a1', amount: 0.5, price: 100, time: 900 }),
    ]);
    expect(firstAlertAt(j.db, 's1')).toBe(900);
    j.close();
  });

  it('events, baselines, backtests and parity reads round-trip', () => {
    const j = Journal.open(location(store));
    const parity = { account: 'main', mode: 'paper', strategy: 's1', symbol: 'BTC/USDT', ok: false };
    j.events.append(1, 'position.parity', 'warn', { parity });
    j.events.append(2, 'position.parity', 'warn', { parity: { ...parity, symbol: 'ETH/USDT' } });
    expect(j.events.recent(10).map((e) => e.seq)).toEqual([2, 1]);
    expect(lastParity(j, parity)).toEqual(parity);
    j.baselines.set('main', 'live', 'binance', { takenAt: 5, balances: { BTC: 1 }, positions: {} });
    j.baselines.set('main', 'live', 'binance', { takenAt: 6, balances: { BTC: 2 }, positions: {} });
    expect(j.baselines.get('main', 'live', 'binance')).toEqual({ takenAt: 6, balances: { BTC: 2 }, positions: {} });
    saveBacktest(j.db, { strategy: 's1', importedAt: 7, fileName: null, layout: 'tv', trades: [] });
    expect(loadBacktest(j.db, 's1')).toMatchObject({ importedAt: 7, trades: [] });
    j.close();
  });

  it('keeps its schema version and reopens without migrating again', () => {
    const at = location(store);
    const old = Journal.open(at, { migrations: migrations.filter((m) => m.version <= 4) });
    expect(schemaVersion(old.db)).toBe(4);
    old.close();
    const seen: [number, number][] = [];
    const j = Journal.open(at, { beforeMigrate: (_db, from, to) => seen.push([from, to]) });
    expect(schemaVersion(j.db)).toBe(migrations.at(-1)?.version);
    expect(seen).toEqual([[4, migrations.at(-1)?.version]]);
    j.close();
  });
});

describe.skipIf(!stores.includes('postgres'))('PostgreSQL only', () => {
  it('ends with the same tables and columns as SQLite', () => {
    const lite = Journal.open(location('sqlite'));
    const pgj = Journal.open(location('postgres'));
    const db = sqliteHandle(lite.db);
    const liteTables = (db?.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    const liteCols = Object.fromEntries(liteTables.map((t) => [t, (db?.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name).sort()]));
    const rows = pgj.db
      .prepare(`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'pinebridge_schema' ORDER BY 1, 2`)
      .all() as { t: string; c: string }[];
    const pgCols: Record<string, string[]> = {};
    for (const r of rows) (pgCols[r.t] ??= []).push(r.c);
    for (const cols of Object.values(pgCols)) cols.sort();
    expect(liteTables.length).toBeGreaterThan(10);
    expect(pgCols).toEqual(liteCols);
    lite.close();
    pgj.close();
  });

  it('two nodes on one database: the same alert is accepted once, the other answer is a duplicate with the first id', () => {
    const url = location('postgres');
    const a = Journal.open(url);
    const b = Journal.open(url);
    const first = a.transaction(() => a.alerts.record(alert('n1', { idemKey: 'same' })));
    const second = b.transaction(() => b.alerts.record(alert('n2', { idemKey: 'same', receivedAt: 1_001 })));
    expect(first.outcome).toBe('accepted');
    expect(second).toMatchObject({ outcome: 'duplicate', firstId: 'n1' });
    expect(a.alerts.get('n2')).toMatchObject({ status: 'duplicate', duplicateOf: 'n1' });
    a.close();
    b.close();
  });

  it('two nodes at the same moment: the second waits for the first one\'s commit, then is its duplicate', async () => {
    const url = location('postgres');
    Journal.open(url).close();
    // Node A, another process (the built code): records the alert, says so, holds its transaction 1.5 s, commits.
    const journalJs = pathToFileURL(join(ROOT, 'dist/main/engine/journal/journal.js')).href;
    const script = `
      const { Journal } = await import(${JSON.stringify(journalJs)});
      const j = Journal.open(process.argv[1]);
      const r = j.transaction(() => {
        const r = j.alerts.record(${JSON.stringify(alert('first', { idemKey: 'race' }))});
        process.stdout.write('recorded\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
        return r;
      });
      process.stdout.write(JSON.stringify({ outcome: r.outcome, committedAt: Date.now() }) + '\\n');
      j.close();`;
    const nodeA = spawn(process.execPath, ['--input-type=module', '-e', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      nodeA.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('recorded')) resolve();
      });
      nodeA.once('exit', () => reject(new Error(`node A exited early: ${out}`)));
    });
    // Node B, here, while A's transaction is open: blocks on the key until A commits.
    const b = Journal.open(url);
    const second = b.transaction(() => b.alerts.record(alert('second', { idemKey: 'race', receivedAt: 1_001 })));
    const answeredAt = Date.now();
    await new Promise((resolve) => nodeA.once('exit', resolve));
    const a = JSON.parse(out.split('\n')[1] as string) as { outcome: string; committedAt: number };
    expect(a.outcome).toBe('accepted');
    expect(second).toMatchObject({ outcome: 'duplicate', firstId: 'first' });
    expect(answeredAt).toBeGreaterThanOrEqual(a.committedAt - 50);
    expect(b.db.prepare(`SELECT id, status FROM alerts ORDER BY seq`).all()).toEqual([
      { id: 'first', status: 'accepted' },
      { id: 'second', status: 'duplicate' },
    ]);
    b.close();
  });
});

describe('a PostgreSQL URL in messages', () => {
  it('never shows its password: masked in the journal name and in the unreachable error', () => {
    const url = 'postgres://pinebridge:s3cret-pw@127.0.0.1:1/journal?sslmode=disable';
    expect(maskDatabaseUrl(url)).toBe('postgres://pinebridge:***@127.0.0.1:1/journal?sslmode=disable');
    expect(maskDatabaseUrl('postgresql://u@h/db?password=s3cret-pw&x=1')).toBe('postgresql://u@h/db?password=***&x=1');
    const open = () => Journal.open(url);
    expect(open).toThrow(JournalUnavailableError);
    expect(open).toThrow(/PostgreSQL postgres:\/\/pinebridge:\*\*\*@127\.0\.0\.1:1\/journal\S* is unreachable/);
    expect(open).not.toThrow(/s3cret/);
  });
});
