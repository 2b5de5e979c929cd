/** What a host gives the engine: its data dir, secrets, clock, logging and optional overrides. */
import type { LogLevel } from '../../shared/dto/logs.js';
import type { DeepPartial, Settings } from './core/config.js';
import type { Clock, SecretStore, Tunnel } from './core/ports.js';

export interface EngineDeps {
  dataDir: string;
  /** A `postgres://` URL: the journal lives there (shared by several nodes) instead of the data dir's SQLite file. */
  databaseUrl?: string;
  /** Overrides on top of `<data-dir>/settings.json` for this run (flags, env). */
  overrides?: DeepPartial<Settings>;
  /** Where the webhook secret and exchange keys live. */
  secrets: SecretStore;
  /** Used instead of the stored/generated webhook secret (PINEBRIDGE_WEBHOOK_SECRET). */
  webhookSecret?: string;
  clock?: Clock;
  /**
   * A tunnel to use instead of the one the engine builds from settings (localtunnel or manual;
   * none: local URL only). Either way the engine starts and stops it.
   */
  tunnel?: Tunnel;
  log?: { level?: LogLevel; json?: boolean; console?: NodeJS.WritableStream | null; file?: boolean };
  /** Sees every SQL statement the journal runs (tests check their query plans). */
  onSql?: (sql: string) => void;
}
