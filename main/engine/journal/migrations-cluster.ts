import type { Migration } from './migration.js';
import { PG_RECORD_ALERTS } from './pg-intake-sql.js';

/**
 * Several nodes on one PostgreSQL journal: who executes (a lease with an epoch) and who is there;
 * the intake's batches in one round trip each.
 */
export const clusterMigrations: Migration[] = [
  {
    version: 10,
    name: 'cluster: the executor lease (node, epoch, expiry) and the nodes with their heartbeat',
    sql: `
      -- One row per lease scope ('executor'): the node holding it until expires_at (the database's
      -- clock, epoch ms). Every take-over by another node, and every renewal after a lapse,
      -- raises the epoch; intent writes carry the holder's epoch and are refused once it is stale.
      CREATE TABLE executor_leases (
        scope       TEXT PRIMARY KEY,
        node        TEXT NOT NULL,
        epoch       INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        acquired_at INTEGER NOT NULL
      );
      -- The nodes sharing this journal, as each last said (the UI's Nodes list).
      CREATE TABLE cluster_nodes (
        node          TEXT PRIMARY KEY,
        host          TEXT NOT NULL,
        version       TEXT NOT NULL,
        role          TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        heartbeat_at  INTEGER NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'cluster: the state every node shares (the kill switch, the circuit breakers, the settings document)',
    sql: `
      -- One row per piece of shared state: 'trading' (the kill switch), 'breaker:<account>' (a
      -- circuit breaker, closed ones kept so a close is seen too), 'settings' (the settings every
      -- node applies, per-node keys left out). value is JSON; version rises with every write, so a
      -- node polling it applies only what changed; node names the writer. On SQLite the table
      -- exists but is unused: one node keeps risk-state.json and settings.json.
      CREATE TABLE shared_state (
        name        TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        version     INTEGER NOT NULL,
        node        TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: "intake on PostgreSQL: a batch of alerts recorded in one statement, the answer times written without waiting on the WAL",
    sql: '',
    postgres: PG_RECORD_ALERTS,
  },
];
