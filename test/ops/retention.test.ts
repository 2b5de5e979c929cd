import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import type { Db } from '../../main/engine/journal/database.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { pruneJournal } from '../../main/engine/ops/retention.js';
import { createFileStore } from '../../main/engine/secrets/index.js';
import { journalStores, startPostgres, type PgCluster } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { journalOf, until } from './support.js';

const stores = journalStores('retention');
let pg: PgCluster | null = null;
beforeAll(async () => {
  if (stores.includes('postgres')) pg = await startPostgres();
});
afterAll(() => pg?.destroy());

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-25T12:00:00Z');

function seed(db: Db): void {
  db.transaction(() => seedRows(db))();
}

function seedRows(db: Db): void {
  const alert = db.prepare(
    `INSERT INTO alerts (id, received_at, source, strategy, body, status, http_status, updated_at) VALUES (?, ?, 'x', 's', '{}', ?, 200, ?)`,
  );
  const t = (days: number) => NOW - days * DAY;
  alert.run('old-rejected', t(200), 'rejected', t(200));
  alert.run('old-executed-no-order', t(100), 'skipped', t(100));
  alert.run('old-with-order', t(300), 'executed', t(300));
  alert.run('old-still-waiting', t(120), 'accepted', t(120));
  alert.run('recent', t(10), 'rejected', t(10));
  for (let i = 0; i < 4500; i++) alert.run(`bulk-${i}`, t(95), 'rejected', t(95));
  db.prepare(
    `INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount, status, created_at, updated_at)
     VALUES ('pb-1', 'old-with-order', 0, 'main', 'paper', 'paper', 's', 'BTC/USDT', 'buy', 'market', 1, 'filled', ?, ?)`,
  ).run(t(300), t(300));
  db.prepare(
    `INSERT INTO fills (intent_id, trade_id, account, mode, strategy, symbol, side, amount, price, fee, ts)
     VALUES ('pb-1', 't1', 'main', 'paper', 's', 'BTC/USDT', 'buy', 1, 100, 0, ?)`,
  ).run(t(300));
  db.prepare(`INSERT INTO positions (account, mode, strategy, symbol, qty, avg_entry, updated_at) VALUES ('main', 'paper', 's', 'BTC/USDT', 1, 100, ?)`).run(t(300));
  const event = db.prepare(`INSERT INTO events (ts, type, level, data) VALUES (?, 'x', 'info', '{}')`);
  event.run(t(91));
  event.run(t(89));
}

const ids = (db: Db) => (db.prepare(`SELECT id FROM alerts WHERE id NOT LIKE 'bulk-%' ORDER BY id`).all() as { id: string }[]).map((r) => r.id);
const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('retention', () => {
  const dirs: { cleanup: () => void }[] = [];
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.stop();
    engine = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it.each(stores)('prunes old alerts and events, never one an order refers to or one still waiting, never orders, fills or positions (%s)', async (store) => {
    const dir = tempDir();
    dirs.push(dir);
    const journal = Journal.open(store === 'postgres' ? (pg as PgCluster).createDatabase() : journalOf(dir.path));
    try {
      seed(journal.db);
      const r = await pruneJournal(() => journal.db, 90, NOW, 1000);
      expect(r).toEqual({ alerts: 4502, events: 1 });
      expect(ids(journal.db)).toEqual(['old-still-waiting', 'old-with-order', 'recent']);
      expect(count(journal.db, 'alerts')).toBe(3);
      expect(count(journal.db, 'events')).toBe(1);
      expect(count(journal.db, 'order_intents')).toBe(1);
      expect(count(journal.db, 'fills')).toBe(1);
      expect(count(journal.db, 'positions')).toBe(1);
      // PostgreSQL enforces its foreign keys at every write: a dangling one would have failed the prune.
      if (store === 'sqlite') expect(journal.db.pragma('foreign_key_check')).toEqual([]);
      expect(await pruneJournal(() => journal.db, 90, NOW)).toEqual({ alerts: 0, events: 0 });
    } finally {
      journal.close();
    }
  });

  it('the engine prunes on start with the configured retention', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const journal = Journal.open(journalOf(dir.path));
    seed(journal.db);
    journal.close();
    engine = await createEngine({
      dataDir: dir.path,
      overrides: { webhook: { port: 0 }, control: { port: 0 }, retention: { days: 30 } },
      secrets: createFileStore(dir.path),
      webhookSecret: 'retention-test-secret-0123456789',
      clock: { now: () => NOW },
      log: { console: null, level: 'warn' },
    });
    await engine.start();
    const db = engine.journal().db;
    // The worker may take the waiting alert first (then it is prunable too): leave it out here.
    const kept = () => ids(db).filter((id) => id !== 'old-still-waiting');
    await until(() => count(db, 'alerts') <= 3 && kept().length === 2, 'the start-up prune');
    expect(kept()).toEqual(['old-with-order', 'recent']);
    // Both seeded events were older than 30 days (the engine may have written new ones since).
    expect(db.prepare(`SELECT count(*) AS n FROM events WHERE ts < ?`).get(NOW - 30 * DAY)).toEqual({ n: 0 });
  });
});
