import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/engine/journal/database.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { migrations } from '../../main/engine/journal/migrations.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { alert, journalOf, post, SECRET } from './support.js';

const LATEST = migrations.at(-1)!.version;

/** A journal exactly as the first schema version wrote it, with an alert, an order and a fill. */
function writeV1Journal(path: string): void {
  const db = openDatabase(path, { migrations: migrations.slice(0, 1) });
  const t = Date.parse('2026-01-05T10:00:00Z');
  db.prepare(
    `INSERT INTO alerts (id, received_at, source, dialect, strategy, action, symbol, idem_key, body, signal, status, http_status, updated_at)
     VALUES ('01OLDALERT', ?, '1.2.3.4', 'native', 'old', 'buy', 'BTCUSDT', 'old-key', '{}', '{"price":100}', 'executed', 200, ?)`,
  ).run(t, t);
  db.prepare(
    `INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount, status, created_at, sent_at, updated_at)
     VALUES ('pb-old-0', '01OLDALERT', 0, 'main', 'paper', 'paper', 'old', 'BTC/USDT', 'buy', 'market', 1, 'filled', ?, ?, ?)`,
  ).run(t, t, t);
  db.prepare(
    `INSERT INTO fills (intent_id, trade_id, account, mode, strategy, symbol, side, amount, price, fee, fee_currency, ts)
     VALUES ('pb-old-0', 't1', 'main', 'paper', 'old', 'BTC/USDT', 'buy', 1, 101, 0.1, 'USDT', ?)`,
  ).run(t);
  db.prepare(
    `INSERT INTO positions (account, mode, strategy, symbol, qty, avg_entry, realized_pnl, fees, updated_at)
     VALUES ('main', 'paper', 'old', 'BTC/USDT', 1, 101, 0, 0.1, ?)`,
  ).run(t);
  db.close();
}

describe('journal upgrades', () => {
  let server: ServeProcess | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await server?.kill9();
    server = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('pinebridge serve upgrades an older journal forward, after backing it up as it was', async () => {
    expect(LATEST).toBeGreaterThan(1);
    const dir = tempDir();
    dirs.push(dir);
    writeV1Journal(journalOf(dir.path));

    server = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET }, args: ['--json-logs'] });
    const fresh = await post(server.webhookUrl, alert({ id: 'after-upgrade' }));
    expect(fresh.body.status).toBe('accepted');
    expect(await server.stop()).toBe(0);
    server = null;

    const db = new Database(journalOf(dir.path), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(db.prepare(`SELECT status FROM alerts WHERE id = '01OLDALERT'`).get()).toEqual({ status: 'executed' });
    expect(db.prepare(`SELECT count(*) AS n FROM alerts`).get()).toEqual({ n: 2 });
    expect(db.prepare(`SELECT price, fee FROM fills WHERE intent_id = 'pb-old-0'`).get()).toEqual({ price: 101, fee: 0.1 });
    // Columns a later migration added exist, with their defaults, on the old rows.
    const cols = (db.pragma(`table_info(order_intents)`) as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['fee', 'fee_currency', 'trigger_price']));
    expect(db.prepare(`SELECT fee FROM order_intents WHERE client_order_id = 'pb-old-0'`).get()).toEqual({ fee: 0 });
    // Migration 9 (hedge mode) keys the ledger by position side: the old one-way rows are 'net'.
    expect(db.prepare(`SELECT position_side, qty, avg_entry FROM positions WHERE strategy = 'old'`).all()).toEqual([{ position_side: 'net', qty: 1, avg_entry: 101 }]);
    expect(db.prepare(`SELECT position_side FROM fills WHERE intent_id = 'pb-old-0'`).get()).toEqual({ position_side: 'net' });
    expect(db.prepare(`SELECT position_side, side, amount FROM fill_totals WHERE symbol = 'BTC/USDT'`).all()).toEqual([{ position_side: 'net', side: 'buy', amount: 1 }]);
    db.close();

    const backups = readdirSync(join(dir.path, 'backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^journal-v1-\d{8}T\d{6}Z\.sqlite$/);
    const before = new Database(join(dir.path, 'backups', backups[0]!), { readonly: true });
    expect(before.pragma('user_version', { simple: true })).toBe(1);
    expect(before.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(before.prepare(`SELECT id FROM alerts`).all()).toEqual([{ id: '01OLDALERT' }]);
    before.close();

    const log = readFileSync(join(dir.path, 'logs', 'pinebridge.log'), 'utf8');
    expect(log).toContain(`upgrading the journal from schema v1 to v${LATEST}`);

    // Started again at the latest schema: no further backup.
    server = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET } });
    expect(await server.stop()).toBe(0);
    server = null;
    expect(readdirSync(join(dir.path, 'backups'))).toHaveLength(1);
  });

  it('a migration that fails rolls back whole: the journal stays at its version with its data', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = journalOf(dir.path);
    writeV1Journal(path);
    const broken = [
      ...migrations,
      { version: LATEST + 1, name: 'broken', sql: `CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);` },
    ];
    let backedUp: [number, number] | null = null;
    expect(() => Journal.open(path, { migrations: broken, beforeMigrate: (_db, from, to) => (backedUp = [from, to]) })).toThrow(/no_such_table/);
    expect(backedUp).toEqual([1, LATEST + 1]);

    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half_done'`).get()).toBeUndefined();
    expect(db.prepare(`SELECT count(*) AS n FROM alerts`).get()).toEqual({ n: 1 });
    db.close();
  });
});
