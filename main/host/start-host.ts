/**
 * The start-up both hosts share (the desktop app and `pinebridge serve`): the data dir and its
 * lock, the secret store, the exchange keys from the environment registered for scrubbing, and
 * the engine (which builds, starts and stops the one tunnel). A host adds only its own surface:
 * the desktop its window, tray and IPC; `serve` its control listener and signals.
 */
import { mkdirSync } from 'node:fs';
import type { LogLevel } from '../../shared/dto/logs.js';
import type { DeepPartial, Settings } from '../engine/core/config.js';
import { acquireLock } from '../engine/core/lock.js';
import { dataPaths, type DataPaths } from '../engine/core/paths.js';
import type { SecretStore } from '../engine/core/ports.js';
import { databasePassword } from '../engine/journal/database-url.js';
import { createEngine, type Engine, type EngineDeps } from '../engine/engine.js';
import { headlessSecretStore } from './headless-secrets.js';

/** The log levels a host accepts (`--log-level`, PINEBRIDGE_LOG_LEVEL). */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** Environment variables holding exchange keys for a headless host: never in a log line. */
const KEY_VARIABLES = ['PINEBRIDGE_API_KEY', 'PINEBRIDGE_API_SECRET', 'PINEBRIDGE_API_PASSWORD'];

export interface HostOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Instead of environment, keychain or 0600 files (tests). */
  secrets?: SecretStore;
  overrides?: DeepPartial<Settings>;
  log?: EngineDeps['log'];
  /** The journal on PostgreSQL (`--database`, PINEBRIDGE_DATABASE_URL); default: SQLite in the data dir. */
  databaseUrl?: string;
}

export interface Host {
  readonly engine: Engine;
  readonly dataDir: string;
  readonly paths: DataPaths;
  /**
   * Opens the journal and listens for webhooks; the tunnel starts in the background. When it
   * fails the data dir stays held until `stop()` (the desktop keeps running to show why).
   */
  start(): Promise<{ webhookPort: number; webhookUrl: string }>;
  /** The engine (graceful, tunnel included), then the data-dir lock. Safe to call twice. */
  stop(): Promise<void>;
  /** For a forced exit only: gives the data dir up without stopping the engine. */
  releaseLock(): void;
}

/**
 * Takes the data dir (a second host on it is refused), opens the secrets and builds the engine.
 * Nothing listens until `start()`, so a host can subscribe to the engine's events first.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  const { dataDir, env } = opts;
  const paths = dataPaths(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // One app per data dir: a second desktop app or a `pinebridge serve` on it is refused.
  const releaseLock = acquireLock(paths.lockFile);
  try {
    const secrets = opts.secrets ?? (await headlessSecretStore(dataDir, env));
    const engine = await createEngine({ dataDir, databaseUrl: opts.databaseUrl, secrets, overrides: opts.overrides, log: opts.log });
    for (const k of KEY_VARIABLES) engine.addSecret(env[k]);
    engine.addSecret(databasePassword(opts.databaseUrl));

    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= (async () => {
        try {
          await engine.stop();
        } finally {
          releaseLock();
        }
      })();
      return stopping;
    };
    return {
      engine,
      dataDir,
      paths,
      start: () => engine.start(),
      stop,
      releaseLock,
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}
