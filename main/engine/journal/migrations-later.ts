/**
 * Migrations 5 to 9 (the per-alert reads that do not grow with history, and what followed).
 * Never edit a shipped migration: add one.
 */
import type { Migration } from './migration.js';
import { PG_ALERT_LATENCY, PG_FILL_AGGREGATES_BY_SIDE, PG_FILL_AGGREGATES } from './pg-triggers.js';

export const laterMigrations: Migration[] = [
  {
    version: 5,
    name: 'reads that touch only what they return: indexes for the per-alert and UI queries, daily P&L and fill totals kept on each fill',
    sql: `
      -- Per alert: a strategy's open orders on a market (planning) and the open entries (risk)
      -- are a handful of rows, whatever the account's history: partial indexes hold only those.
      CREATE INDEX intents_open ON order_intents(account, mode, strategy, symbol, created_at, leg) WHERE status = 'open';
      -- Covering, so the planner takes it over the (account, mode, ...) index for the whole account.
      CREATE INDEX intents_open_entries ON order_intents(account, mode, strategy, symbol, side, amount, filled, price)
        WHERE purpose = 'entry' AND status IN ('pending', 'sending', 'unknown', 'open');
      -- The reconciliation's count of unfinished orders of an account.
      CREATE INDEX intents_unfinished ON order_intents(account, mode, exchange, status)
        WHERE status IN ('pending', 'sending', 'unknown', 'open');
      -- Orders of the last minute, counted from the index alone (it replaces intents_account_created).
      DROP INDEX intents_account_created;
      CREATE INDEX intents_account_created ON order_intents(account, mode, created_at, purpose, strategy);
      -- The UI's order list, newest first (ORDER BY created_at DESC, leg ASC), whole or per strategy.
      CREATE INDEX intents_created ON order_intents(created_at DESC, leg, client_order_id);
      CREATE INDEX intents_strategy_created ON order_intents(strategy, created_at DESC, leg, client_order_id);
      -- A symbol's last price; the UI's fill lists per strategy or account, newest first.
      CREATE INDEX fills_symbol_ts ON fills(symbol, ts, id);
      CREATE INDEX fills_strategy_ts ON fills(strategy, ts, id);
      CREATE INDEX fills_account_only_ts ON fills(account, ts, id);
      CREATE INDEX alerts_strategy ON alerts(strategy, seq);
      -- Health's counts of a window by status, from the index alone.
      DROP INDEX alerts_received;
      CREATE INDEX alerts_received ON alerts(received_at, status);

      -- Realized P&L, fees and fill count per UTC day (ts / 86400000) and strategy + market, kept
      -- by the triggers below in the same transaction as the fill: the daily loss limit and the
      -- P&L summary read a few rows instead of summing every fill.
      CREATE TABLE pnl_daily (
        account   TEXT NOT NULL,
        mode      TEXT NOT NULL,
        day       INTEGER NOT NULL,
        strategy  TEXT NOT NULL,
        symbol    TEXT NOT NULL,
        realized  REAL NOT NULL DEFAULT 0,
        fees      REAL NOT NULL DEFAULT 0,
        fills     INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, mode, day, strategy, symbol)
      ) WITHOUT ROWID;
      INSERT INTO pnl_daily (account, mode, day, strategy, symbol, realized, fees, fills)
        SELECT account, mode, ts / 86400000, strategy, symbol, SUM(coalesce(realized_pnl, 0)), SUM(coalesce(fee_quote, 0)), count(*)
        FROM fills GROUP BY account, mode, ts / 86400000, strategy, symbol;

      -- What the fills of an account add up to per exchange, market, side and fee currency (''
      -- for none): the reconciliation's ledger side, without reading every fill.
      CREATE TABLE fill_totals (
        account       TEXT NOT NULL,
        mode          TEXT NOT NULL,
        exchange      TEXT NOT NULL,
        symbol        TEXT NOT NULL,
        side          TEXT NOT NULL,
        fee_currency  TEXT NOT NULL,
        amount        REAL NOT NULL DEFAULT 0,
        cost          REAL NOT NULL DEFAULT 0,
        fee           REAL NOT NULL DEFAULT 0,
        realized      REAL NOT NULL DEFAULT 0,
        fills         INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, mode, exchange, symbol, side, fee_currency)
      ) WITHOUT ROWID;
      INSERT INTO fill_totals (account, mode, exchange, symbol, side, fee_currency, amount, cost, fee, realized, fills)
        SELECT f.account, f.mode, i.exchange, f.symbol, f.side, coalesce(f.fee_currency, ''), SUM(f.amount), SUM(f.amount * f.price), SUM(f.fee),
               SUM(coalesce(f.realized_pnl, 0)), count(*)
        FROM fills f JOIN order_intents i ON i.client_order_id = f.intent_id
        GROUP BY f.account, f.mode, i.exchange, f.symbol, f.side, coalesce(f.fee_currency, '');
    `,
    sqlite: `
      CREATE TRIGGER fills_aggregate_insert AFTER INSERT ON fills BEGIN
        INSERT INTO pnl_daily (account, mode, day, strategy, symbol, realized, fees, fills)
          VALUES (new.account, new.mode, new.ts / 86400000, new.strategy, new.symbol, coalesce(new.realized_pnl, 0), coalesce(new.fee_quote, 0), 1)
          ON CONFLICT (account, mode, day, strategy, symbol) DO UPDATE SET
            realized = realized + excluded.realized, fees = fees + excluded.fees, fills = fills + 1;
        INSERT INTO fill_totals (account, mode, exchange, symbol, side, fee_currency, amount, cost, fee, realized, fills)
          SELECT new.account, new.mode, i.exchange, new.symbol, new.side, coalesce(new.fee_currency, ''), new.amount, new.amount * new.price,
                 new.fee, coalesce(new.realized_pnl, 0), 1
          FROM order_intents i WHERE i.client_order_id = new.intent_id
          ON CONFLICT (account, mode, exchange, symbol, side, fee_currency) DO UPDATE SET
            amount = amount + excluded.amount, cost = cost + excluded.cost, fee = fee + excluded.fee,
            realized = realized + excluded.realized, fills = fills + 1;
      END;

      CREATE TRIGGER fills_aggregate_delete AFTER DELETE ON fills BEGIN
        UPDATE pnl_daily SET realized = realized - coalesce(old.realized_pnl, 0), fees = fees - coalesce(old.fee_quote, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND day = old.ts / 86400000 AND strategy = old.strategy AND symbol = old.symbol;
        UPDATE fill_totals SET amount = amount - old.amount, cost = cost - old.amount * old.price, fee = fee - old.fee,
            realized = realized - coalesce(old.realized_pnl, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND exchange = (SELECT exchange FROM order_intents WHERE client_order_id = old.intent_id)
            AND symbol = old.symbol AND side = old.side AND fee_currency = coalesce(old.fee_currency, '');
      END;

      -- An update (the ledger writes a fill's realized P&L and fee right after inserting it) is
      -- the old row out and the new row in.
      CREATE TRIGGER fills_aggregate_update AFTER UPDATE ON fills BEGIN
        UPDATE pnl_daily SET realized = realized - coalesce(old.realized_pnl, 0), fees = fees - coalesce(old.fee_quote, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND day = old.ts / 86400000 AND strategy = old.strategy AND symbol = old.symbol;
        INSERT INTO pnl_daily (account, mode, day, strategy, symbol, realized, fees, fills)
          VALUES (new.account, new.mode, new.ts / 86400000, new.strategy, new.symbol, coalesce(new.realized_pnl, 0), coalesce(new.fee_quote, 0), 1)
          ON CONFLICT (account, mode, day, strategy, symbol) DO UPDATE SET
            realized = realized + excluded.realized, fees = fees + excluded.fees, fills = fills + 1;
        UPDATE fill_totals SET amount = amount - old.amount, cost = cost - old.amount * old.price, fee = fee - old.fee,
            realized = realized - coalesce(old.realized_pnl, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND exchange = (SELECT exchange FROM order_intents WHERE client_order_id = old.intent_id)
            AND symbol = old.symbol AND side = old.side AND fee_currency = coalesce(old.fee_currency, '');
        INSERT INTO fill_totals (account, mode, exchange, symbol, side, fee_currency, amount, cost, fee, realized, fills)
          SELECT new.account, new.mode, i.exchange, new.symbol, new.side, coalesce(new.fee_currency, ''), new.amount, new.amount * new.price,
                 new.fee, coalesce(new.realized_pnl, 0), 1
          FROM order_intents i WHERE i.client_order_id = new.intent_id
          ON CONFLICT (account, mode, exchange, symbol, side, fee_currency) DO UPDATE SET
            amount = amount + excluded.amount, cost = cost + excluded.cost, fee = fee + excluded.fee,
            realized = realized + excluded.realized, fills = fills + 1;
      END;
    `,
    postgres: PG_FILL_AGGREGATES,
  },
  {
    version: 6,
    name: "events: a position's last parity check found through an index, not a scan of every event",
    sql: `
      -- getPositions shows each position's open parity difference (lastParity in
      -- execution/parity.ts): the expressions are those of its query, so it reads one row.
      CREATE INDEX events_parity ON events(
        json_extract(data, '$.parity.account'), json_extract(data, '$.parity.mode'),
        json_extract(data, '$.parity.strategy'), json_extract(data, '$.parity.symbol'), seq
      ) WHERE type = 'position.parity';
    `,
  },
  {
    version: 7,
    name: 'paper perpetuals: one net position per paper account and market',
    sql: `
      -- One-way mode, as a Binance USDⓈ-M account by default: qty is signed (negative: short);
      -- margin is the isolated margin the position holds (notional at entry / leverage), kept in
      -- paper_balances.used of the settle currency.
      CREATE TABLE paper_positions (
        account       TEXT NOT NULL,
        symbol        TEXT NOT NULL,
        qty           REAL NOT NULL,
        entry_price   REAL NOT NULL,
        margin        REAL NOT NULL,
        leverage      REAL NOT NULL,
        realized_pnl  REAL NOT NULL DEFAULT 0,
        fees          REAL NOT NULL DEFAULT 0,
        -- Isolated-style approximation at the last fill (venues/paper-perp.ts); NULL when none.
        liquidation_price REAL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (account, symbol)
      );
    `,
  },
  {
    version: 8,
    name: 'per-alert latency (fired, received, answered, sent, acknowledged, filled); imported backtests',
    sql: `
      -- One row per accepted alert, kept by the triggers below in the transactions that already
      -- write each step (nothing more on the hot path but the row itself); answered_at is written
      -- by the intake right after its answer (journal/latency.ts). fired_at is the alert's own
      -- time ({{timenow}}), NULL when the message carries none. Times are epoch ms.
      CREATE TABLE alert_latency (
        alert_id     TEXT PRIMARY KEY,
        received_at  INTEGER NOT NULL,
        fired_at     INTEGER,
        answered_at  INTEGER,
        sent_at      INTEGER,
        acked_at     INTEGER,
        filled_at    INTEGER
      ) WITHOUT ROWID;
      -- Covering: the dashboard's percentiles of a window read this index only.
      CREATE INDEX alert_latency_received ON alert_latency(received_at, fired_at, answered_at, sent_at, acked_at, filled_at);

      -- A strategy's TradingView "List of trades", as imported (one per strategy; a new import
      -- replaces it): the trades as parsed (positions/backtest-csv.ts), JSON.
      CREATE TABLE backtest_imports (
        strategy     TEXT PRIMARY KEY,
        imported_at  INTEGER NOT NULL,
        file_name    TEXT,
        layout       TEXT NOT NULL,
        trades       TEXT NOT NULL
      );
    `,
    sqlite: `
      CREATE TRIGGER alert_latency_insert AFTER INSERT ON alerts WHEN new.status = 'accepted' BEGIN
        INSERT OR IGNORE INTO alert_latency (alert_id, received_at, fired_at)
          VALUES (new.id, new.received_at,
            CASE WHEN json_type(new.signal, '$.time') IN ('integer', 'real') THEN CAST(json_extract(new.signal, '$.time') AS INTEGER) END);
      END;
      CREATE TRIGGER alert_latency_delete AFTER DELETE ON alerts BEGIN
        DELETE FROM alert_latency WHERE alert_id = old.id;
      END;

      -- The alert's own orders (not the protective ones placed after its fill): the first sent,
      -- the first answer from the exchange (an order id, or a refusal), the last one filled.
      CREATE TRIGGER alert_latency_sent_insert AFTER INSERT ON order_intents
        WHEN new.sent_at IS NOT NULL AND new.purpose IN ('entry', 'exit') BEGIN
        UPDATE alert_latency SET sent_at = min(coalesce(sent_at, new.sent_at), new.sent_at) WHERE alert_id = new.alert_id;
      END;
      CREATE TRIGGER alert_latency_sent AFTER UPDATE OF sent_at ON order_intents
        WHEN old.sent_at IS NULL AND new.sent_at IS NOT NULL AND new.purpose IN ('entry', 'exit') BEGIN
        UPDATE alert_latency SET sent_at = min(coalesce(sent_at, new.sent_at), new.sent_at) WHERE alert_id = new.alert_id;
      END;
      CREATE TRIGGER alert_latency_acked AFTER UPDATE ON order_intents
        WHEN new.purpose IN ('entry', 'exit') AND old.status IN ('pending', 'sending', 'unknown')
          AND (new.exchange_order_id IS NOT NULL OR new.status = 'rejected') BEGIN
        UPDATE alert_latency SET acked_at = coalesce(acked_at, new.updated_at) WHERE alert_id = new.alert_id;
      END;
      CREATE TRIGGER alert_latency_filled AFTER UPDATE OF status ON order_intents
        WHEN new.purpose IN ('entry', 'exit') AND new.status = 'filled' AND old.status <> 'filled' BEGIN
        UPDATE alert_latency SET filled_at = max(coalesce(filled_at, 0), new.updated_at) WHERE alert_id = new.alert_id;
      END;
    `,
    postgres: PG_ALERT_LATENCY,
  },
  {
    version: 9,
    name: "hedge mode: positions, fills and fill totals keyed by position side ('net' one-way, 'long' / 'short' in hedge mode), paper positions too",
    // Before the tables they read are replaced (SQLite checks triggers when a table is renamed).
    sqliteBefore: `
      DROP TRIGGER fills_aggregate_insert;
      DROP TRIGGER fills_aggregate_delete;
      DROP TRIGGER fills_aggregate_update;
    `,
    sql: `
      -- An account in hedge mode holds a long and a short position per market: the ledger keeps
      -- one row per side ('net' for one-way accounts, every row before this migration).
      ALTER TABLE fills ADD COLUMN position_side TEXT NOT NULL DEFAULT 'net';

      CREATE TABLE positions_by_side (
        account        TEXT NOT NULL,
        mode           TEXT NOT NULL,
        strategy       TEXT NOT NULL,
        symbol         TEXT NOT NULL,
        position_side  TEXT NOT NULL DEFAULT 'net',
        qty            REAL NOT NULL DEFAULT 0,
        avg_entry      REAL NOT NULL DEFAULT 0,
        realized_pnl   REAL NOT NULL DEFAULT 0,
        fees           REAL NOT NULL DEFAULT 0,
        updated_at     INTEGER NOT NULL,
        PRIMARY KEY (account, mode, strategy, symbol, position_side)
      );
      INSERT INTO positions_by_side (account, mode, strategy, symbol, position_side, qty, avg_entry, realized_pnl, fees, updated_at)
        SELECT account, mode, strategy, symbol, 'net', qty, avg_entry, realized_pnl, fees, updated_at FROM positions;
      DROP TABLE positions;
      ALTER TABLE positions_by_side RENAME TO positions;

      -- The reconciliation compares each side with the exchange's position of that side.
      CREATE TABLE fill_totals_by_side (
        account        TEXT NOT NULL,
        mode           TEXT NOT NULL,
        exchange       TEXT NOT NULL,
        symbol         TEXT NOT NULL,
        position_side  TEXT NOT NULL DEFAULT 'net',
        side           TEXT NOT NULL,
        fee_currency   TEXT NOT NULL,
        amount         REAL NOT NULL DEFAULT 0,
        cost           REAL NOT NULL DEFAULT 0,
        fee            REAL NOT NULL DEFAULT 0,
        realized       REAL NOT NULL DEFAULT 0,
        fills          INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, mode, exchange, symbol, position_side, side, fee_currency)
      ) WITHOUT ROWID;
      INSERT INTO fill_totals_by_side (account, mode, exchange, symbol, position_side, side, fee_currency, amount, cost, fee, realized, fills)
        SELECT account, mode, exchange, symbol, 'net', side, fee_currency, amount, cost, fee, realized, fills FROM fill_totals;
      DROP TABLE fill_totals;
      ALTER TABLE fill_totals_by_side RENAME TO fill_totals;

      -- Paper perpetuals in hedge mode (a paper account's setting): one position per side too.
      ALTER TABLE paper_orders ADD COLUMN position_side TEXT NOT NULL DEFAULT 'net';
      CREATE TABLE paper_positions_by_side (
        account        TEXT NOT NULL,
        symbol         TEXT NOT NULL,
        position_side  TEXT NOT NULL DEFAULT 'net',
        qty            REAL NOT NULL,
        entry_price    REAL NOT NULL,
        margin         REAL NOT NULL,
        leverage       REAL NOT NULL,
        realized_pnl   REAL NOT NULL DEFAULT 0,
        fees           REAL NOT NULL DEFAULT 0,
        liquidation_price REAL,
        updated_at     INTEGER NOT NULL,
        PRIMARY KEY (account, symbol, position_side)
      );
      INSERT INTO paper_positions_by_side (account, symbol, position_side, qty, entry_price, margin, leverage, realized_pnl, fees, liquidation_price, updated_at)
        SELECT account, symbol, 'net', qty, entry_price, margin, leverage, realized_pnl, fees, liquidation_price, updated_at FROM paper_positions;
      DROP TABLE paper_positions;
      ALTER TABLE paper_positions_by_side RENAME TO paper_positions;
    `,
    sqlite: `
      CREATE TRIGGER fills_aggregate_insert AFTER INSERT ON fills BEGIN
        INSERT INTO pnl_daily (account, mode, day, strategy, symbol, realized, fees, fills)
          VALUES (new.account, new.mode, new.ts / 86400000, new.strategy, new.symbol, coalesce(new.realized_pnl, 0), coalesce(new.fee_quote, 0), 1)
          ON CONFLICT (account, mode, day, strategy, symbol) DO UPDATE SET
            realized = realized + excluded.realized, fees = fees + excluded.fees, fills = fills + 1;
        INSERT INTO fill_totals (account, mode, exchange, symbol, position_side, side, fee_currency, amount, cost, fee, realized, fills)
          SELECT new.account, new.mode, i.exchange, new.symbol, new.position_side, new.side, coalesce(new.fee_currency, ''), new.amount,
                 new.amount * new.price, new.fee, coalesce(new.realized_pnl, 0), 1
          FROM order_intents i WHERE i.client_order_id = new.intent_id
          ON CONFLICT (account, mode, exchange, symbol, position_side, side, fee_currency) DO UPDATE SET
            amount = amount + excluded.amount, cost = cost + excluded.cost, fee = fee + excluded.fee,
            realized = realized + excluded.realized, fills = fills + 1;
      END;

      CREATE TRIGGER fills_aggregate_delete AFTER DELETE ON fills BEGIN
        UPDATE pnl_daily SET realized = realized - coalesce(old.realized_pnl, 0), fees = fees - coalesce(old.fee_quote, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND day = old.ts / 86400000 AND strategy = old.strategy AND symbol = old.symbol;
        UPDATE fill_totals SET amount = amount - old.amount, cost = cost - old.amount * old.price, fee = fee - old.fee,
            realized = realized - coalesce(old.realized_pnl, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND exchange = (SELECT exchange FROM order_intents WHERE client_order_id = old.intent_id)
            AND symbol = old.symbol AND position_side = old.position_side AND side = old.side AND fee_currency = coalesce(old.fee_currency, '');
      END;

      CREATE TRIGGER fills_aggregate_update AFTER UPDATE ON fills BEGIN
        UPDATE pnl_daily SET realized = realized - coalesce(old.realized_pnl, 0), fees = fees - coalesce(old.fee_quote, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND day = old.ts / 86400000 AND strategy = old.strategy AND symbol = old.symbol;
        INSERT INTO pnl_daily (account, mode, day, strategy, symbol, realized, fees, fills)
          VALUES (new.account, new.mode, new.ts / 86400000, new.strategy, new.symbol, coalesce(new.realized_pnl, 0), coalesce(new.fee_quote, 0), 1)
          ON CONFLICT (account, mode, day, strategy, symbol) DO UPDATE SET
            realized = realized + excluded.realized, fees = fees + excluded.fees, fills = fills + 1;
        UPDATE fill_totals SET amount = amount - old.amount, cost = cost - old.amount * old.price, fee = fee - old.fee,
            realized = realized - coalesce(old.realized_pnl, 0), fills = fills - 1
          WHERE account = old.account AND mode = old.mode AND exchange = (SELECT exchange FROM order_intents WHERE client_order_id = old.intent_id)
            AND symbol = old.symbol AND position_side = old.position_side AND side = old.side AND fee_currency = coalesce(old.fee_currency, '');
        INSERT INTO fill_totals (account, mode, exchange, symbol, position_side, side, fee_currency, amount, cost, fee, realized, fills)
          SELECT new.account, new.mode, i.exchange, new.symbol, new.position_side, new.side, coalesce(new.fee_currency, ''), new.amount,
                 new.amount * new.price, new.fee, coalesce(new.realized_pnl, 0), 1
          FROM order_intents i WHERE i.client_order_id = new.intent_id
          ON CONFLICT (account, mode, exchange, symbol, position_side, side, fee_currency) DO UPDATE SET
            amount = amount + excluded.amount, cost = cost + excluded.cost, fee = fee + excluded.fee,
            realized = realized + excluded.realized, fills = fills + 1;
      END;

    `,
    postgres: PG_FILL_AGGREGATES_BY_SIDE,
  },
];
