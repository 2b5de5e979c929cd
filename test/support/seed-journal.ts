/**
 * Builds a journal with history for the benchmarks, fast: the project's own schema (opened
 * through Journal, so every migration runs), rows written in big transactions with the
 * durability pragmas off (it is a fixture: nothing is lost if this process dies, the bench just
 * starts again). Each alert gets what a traded alert leaves behind: one filled order intent, one
 * fill (with its realized P&L and fee) and two events.
 */
import { Journal } from '../../main/engine/journal/journal.js';

export interface SeedOptions {
  alerts: number;
  /** Spread over this many UTC days ending at `now` (1: all of them today). */
  days: number;
  now: number;
  account?: string;
  strategies?: number;
}

const BATCH = 50_000;

export function seedJournal(path: string, o: SeedOptions): { ms: number } {
  const started = performance.now();
  const journal = Journal.open(path);
  const db = journal.db;
  db.pragma('synchronous = OFF');
  const account = o.account ?? 'main';
  const strategies = o.strategies ?? 10;
  const insAlert = db.prepare(
    `INSERT INTO alerts (id, received_at, source, dialect, strategy, action, symbol, idem_key, body, signal, status, http_status, updated_at)
     VALUES (?, ?, '127.0.0.1', 'native', ?, ?, 'BTC/USDT', ?, ?, NULL, 'executed', 200, ?)`,
  );
  const insIntent = db.prepare(
    `INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount, price,
       params, purpose, status, exchange_order_id, filled, average, attempts, created_at, sent_at, updated_at)
     VALUES (?, ?, 0, ?, 'paper', 'paper', ?, 'BTC/USDT', ?, 'market', 0.001, NULL, '{}', ?, 'filled', ?, 0.001, ?, 1, ?, ?, ?)`,
  );
  const insFill = db.prepare(
    `INSERT INTO fills (intent_id, trade_id, account, mode, strategy, symbol, side, amount, price, fee, fee_currency, ts, realized_pnl, fee_quote)
     VALUES (?, 'cum:0.001', ?, 'paper', ?, 'BTC/USDT', ?, 0.001, ?, 0.000065, 'USDT', ?, ?, 0.000065)`,
  );
  const insEvent = db.prepare(`INSERT INTO events (ts, type, level, data) VALUES (?, ?, 'info', ?)`);
  const span = o.days * 86_400_000;
  const start = o.days === 1 ? Math.floor(o.now / 86_400_000) * 86_400_000 : o.now - span;
  const step = (o.now - start) / o.alerts;
  const write = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const ts = Math.floor(start + i * step);
      const strategy = `hist${i % strategies}`;
      // Buy then sell per strategy: every second fill closes the position and realizes a P&L.
      const buy = Math.floor(i / strategies) % 2 === 0;
      const side = buy ? 'buy' : 'sell';
      const price = 65_000 + (i % 100);
      const id = `seed-${i}`;
      const coid = `pb-seed-${i}`;
      insAlert.run(id, ts, strategy, side, `k-${i}`, `{"strategy":"${strategy}","action":"${side}"}`, ts);
      insIntent.run(coid, id, account, strategy, side, buy ? 'entry' : 'exit', `x${i}`, price, ts, ts, ts);
      insFill.run(coid, account, strategy, side, price, ts, buy ? 0 : 0.001 * (i % 7) - 0.003);
      insEvent.run(ts, 'alert.received', `{"alertId":"${id}"}`);
      insEvent.run(ts, 'order.filled', `{"clientOrderId":"${coid}"}`);
    }
  });
  for (let from = 0; from < o.alerts; from += BATCH) write(from, Math.min(o.alerts, from + BATCH));
  // Every seeded strategy ends flat (an even number of fills each, or one open buy).
  const upsert = db.prepare(
    `INSERT INTO positions (account, mode, strategy, symbol, qty, avg_entry, realized_pnl, fees, updated_at)
     SELECT account, mode, strategy, symbol, 0, 0, SUM(coalesce(realized_pnl, 0)), SUM(coalesce(fee_quote, 0)), max(ts)
     FROM fills WHERE account = ? AND mode = 'paper' AND strategy LIKE 'hist%' GROUP BY account, mode, strategy, symbol
     ON CONFLICT (account, mode, strategy, symbol) DO UPDATE SET realized_pnl = excluded.realized_pnl, fees = excluded.fees`,
  );
  upsert.run(account);
  db.pragma('wal_checkpoint(TRUNCATE)');
  journal.close();
  return { ms: Math.round(performance.now() - started) };
}
