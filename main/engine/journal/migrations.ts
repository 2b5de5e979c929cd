/**
 * Versioned schema migrations, applied forward in order inside one transaction each.
 * `PRAGMA user_version` holds the version reached. Never edit a shipped migration: add one.
 */
import type { Migration } from './migration.js';
import { clusterMigrations } from './migrations-cluster.js';
import { laterMigrations } from './migrations-later.js';
import { PG_ROUND } from './pg-triggers.js';

export type { Migration } from './migration.js';

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'alerts, order intents, fills, positions, events',
    sql: `
      CREATE TABLE alerts (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        received_at  INTEGER NOT NULL,
        source       TEXT NOT NULL,
        dialect      TEXT,
        strategy     TEXT,
        action       TEXT,
        symbol       TEXT,
        idem_key     TEXT,
        body         TEXT NOT NULL,
        signal       TEXT,
        status       TEXT NOT NULL,
        http_status  INTEGER NOT NULL,
        reason_code  TEXT,
        reason       TEXT,
        duplicate_of TEXT,
        updated_at   INTEGER NOT NULL
      );
      CREATE INDEX alerts_idem ON alerts(idem_key, received_at) WHERE idem_key IS NOT NULL;
      CREATE INDEX alerts_status ON alerts(status, seq);
      CREATE INDEX alerts_received ON alerts(received_at);

      CREATE TABLE order_intents (
        client_order_id   TEXT PRIMARY KEY,
        alert_id          TEXT NOT NULL REFERENCES alerts(id),
        leg               INTEGER NOT NULL,
        account           TEXT NOT NULL,
        mode              TEXT NOT NULL,
        exchange          TEXT NOT NULL,
        strategy          TEXT NOT NULL,
        symbol            TEXT NOT NULL,
        side              TEXT NOT NULL,
        type              TEXT NOT NULL,
        amount            REAL NOT NULL,
        price             REAL,
        params            TEXT,
        purpose           TEXT NOT NULL DEFAULT 'entry',
        status            TEXT NOT NULL,
        exchange_order_id TEXT,
        filled            REAL NOT NULL DEFAULT 0,
        average           REAL,
        error_code        TEXT,
        error_message     TEXT,
        attempts          INTEGER NOT NULL DEFAULT 0,
        created_at        INTEGER NOT NULL,
        sent_at           INTEGER,
        updated_at        INTEGER NOT NULL,
        UNIQUE (alert_id, leg)
      );
      CREATE INDEX intents_status ON order_intents(status);
      CREATE INDEX intents_strategy ON order_intents(account, strategy, symbol, status);

      CREATE TABLE fills (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        intent_id     TEXT NOT NULL REFERENCES order_intents(client_order_id),
        trade_id      TEXT NOT NULL,
        account       TEXT NOT NULL,
        mode          TEXT NOT NULL,
        strategy      TEXT NOT NULL,
        symbol        TEXT NOT NULL,
        side          TEXT NOT NULL,
        amount        REAL NOT NULL,
        price         REAL NOT NULL,
        fee           REAL NOT NULL DEFAULT 0,
        fee_currency  TEXT,
        ts            INTEGER NOT NULL,
        UNIQUE (intent_id, trade_id)
      );
      CREATE INDEX fills_ts ON fills(ts);

      CREATE TABLE positions (
        account       TEXT NOT NULL,
        mode          TEXT NOT NULL,
        strategy      TEXT NOT NULL,
        symbol        TEXT NOT NULL,
        qty           REAL NOT NULL DEFAULT 0,
        avg_entry     REAL NOT NULL DEFAULT 0,
        realized_pnl  REAL NOT NULL DEFAULT 0,
        fees          REAL NOT NULL DEFAULT 0,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (account, mode, strategy, symbol)
      );

      CREATE TABLE events (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        ts     INTEGER NOT NULL,
        type   TEXT NOT NULL,
        level  TEXT NOT NULL,
        data   TEXT NOT NULL
      );
      CREATE INDEX events_ts ON events(ts);
    `,
  },
  {
    version: 2,
    name: 'execution: intent fees and protective levels, paper venue balances, orders, trades and prices',
    sql: `
      ALTER TABLE order_intents ADD COLUMN fee REAL NOT NULL DEFAULT 0;
      ALTER TABLE order_intents ADD COLUMN fee_currency TEXT;
      ALTER TABLE order_intents ADD COLUMN trigger_price REAL;
      CREATE INDEX intents_alert ON order_intents(alert_id, leg);

      CREATE TABLE paper_balances (
        account  TEXT NOT NULL,
        asset    TEXT NOT NULL,
        free     REAL NOT NULL DEFAULT 0,
        used     REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (account, asset)
      );

      CREATE TABLE paper_orders (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        account          TEXT NOT NULL,
        client_order_id  TEXT NOT NULL,
        symbol           TEXT NOT NULL,
        side             TEXT NOT NULL,
        type             TEXT NOT NULL,
        amount           REAL NOT NULL,
        price            REAL,
        trigger_price    REAL,
        trailing_percent REAL,
        watermark        REAL,
        reduce_only      INTEGER NOT NULL DEFAULT 0,
        status           TEXT NOT NULL,
        filled           REAL NOT NULL DEFAULT 0,
        cost             REAL NOT NULL DEFAULT 0,
        fee              REAL NOT NULL DEFAULT 0,
        fee_currency     TEXT,
        locked_asset     TEXT,
        locked           REAL NOT NULL DEFAULT 0,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        UNIQUE (account, client_order_id)
      );
      CREATE INDEX paper_orders_open ON paper_orders(status, symbol);

      CREATE TABLE paper_trades (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id     INTEGER NOT NULL REFERENCES paper_orders(id),
        amount       REAL NOT NULL,
        price        REAL NOT NULL,
        fee          REAL NOT NULL,
        fee_currency TEXT NOT NULL,
        ts           INTEGER NOT NULL
      );
      CREATE INDEX paper_trades_order ON paper_trades(order_id);

      CREATE TABLE paper_prices (
        symbol  TEXT PRIMARY KEY,
        price   REAL NOT NULL,
        ts      INTEGER NOT NULL
      );
    `,
    postgres: PG_ROUND,
  },
  {
    version: 3,
    name: 'risk and positions: realized P&L per fill, reconciliation baselines',
    sql: `
      -- What each fill realized and paid in the quote currency (the ledger's own result), so the
      -- P&L of a day (daily loss limit, P&L per day) is a sum. NULL for fills recorded before.
      ALTER TABLE fills ADD COLUMN realized_pnl REAL;
      ALTER TABLE fills ADD COLUMN fee_quote REAL;
      CREATE INDEX fills_account_ts ON fills(account, mode, ts);
      CREATE INDEX intents_account_created ON order_intents(account, mode, created_at);

      -- What an exchange account held besides Pinebridge's own trades when first seen (or when the
      -- user accepted a difference): exchange balance - ledger at that time, per asset.
      CREATE TABLE recon_baselines (
        account   TEXT NOT NULL,
        mode      TEXT NOT NULL,
        exchange  TEXT NOT NULL,
        taken_at  INTEGER NOT NULL,
        assets    TEXT NOT NULL,
        PRIMARY KEY (account, mode, exchange)
      );
    `,
  },
  {
    version: 4,
    name: 'alerts: the size of a rejected body that was kept only in part',
    sql: `
      -- An unauthenticated request keeps only its first 1 KiB (secret removed); this is how big
      -- it was. NULL: the body is kept whole.
      ALTER TABLE alerts ADD COLUMN body_bytes INTEGER;
    `,
  },
  ...laterMigrations,
  ...clusterMigrations,
];
