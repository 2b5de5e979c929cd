/**
 * What the desktop app runs, composed without Electron: the data-dir lock, the secret store
 * (OS keychain, else 0600 files), the tunnel from settings, and the engine. main.ts adds only
 * the window, tray, IPC and popups; tests run this part in plain Node.
 */
import { mkdirSync } from 'node:fs';
import type { LogLevel } from '../../shared/dto/logs.js';
import { headlessSecretStore } from '../host/headless-secrets.js';
import { loadSettings, mergeSettings, type DeepPartial, type Settings } from '../engine/core/config.js';
import { createEngine, type Engine } from '../engine/engine.js';
import { acquireLock } from '../engine/core/lock.js';
import type { Logger } from '../engine/core/logging/logger.js';
import { dataPaths, defaultDataDir } from '../engine/core/paths.js';
import type { SecretStore, Tunnel } from '../engine/core/ports.js';
import { createTunnel, type TunnelLogger } from '../engine/tunnel/index.js';
import { ensureStableSubdomain } from '../engine/tunnel/stable-subdomain.js';

export interface DesktopHostOptions {
  /** Default: PINEBRIDGE_DATA_DIR, else the per-user folder `pinebridge serve` uses too. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Instead of keychain-or-files (tests). */
  secrets?: SecretStore;
  overrides?: DeepPartial<Settings>;
  log?: { level?: LogLevel; console?: NodeJS.WritableStream | null };
}

export interface DesktopHost {
  readonly engine: Engine;
  readonly tunnel: Tunnel | null;
  readonly dataDir: string;
  /** Starts the webhook listener, then the tunnel (without waiting for it to come online). */
  start(): Promise<{ webhookUrl: string }>;
  /** Tunnel, then engine (graceful), then the data-dir lock. Safe to call twice. */
  stop(): Promise<void>;
}

export async function createDesktopHost(opts: DesktopHostOptions = {}): Promise<DesktopHost> {
  const env = opts.env ?? process.env;
  const dataDir = opts.dataDir ?? (env.PINEBRIDGE_DATA_DIR || defaultDataDir(env));
  const paths = dataPaths(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // One app per data dir: a second desktop app or a `pinebridge serve` on it is refused.
  const releaseLock = acquireLock(paths.lockFile);
  try {
    const secrets = opts.secrets ?? (await headlessSecretStore(dataDir, env));
    const settings = mergeSettings(loadSettings(paths.settings), opts.overrides ?? {});

    // The tunnel logs through the engine's logger, which exists only once the engine does.
    let logger: Logger | null = null;
    const tunnelLog: TunnelLogger = {
      debug: (o, m) => logger?.debug(o, m),
      info: (o, m) => logger?.info(o, m),
      warn: (o, m) => logger?.warn(o, m),
      error: (o, m) => logger?.error(o, m),
    };
    let tunnel: Tunnel | null = null;
    let tunnelProblem: string | null = null;
    try {
      ensureStableSubdomain(paths.settings, settings);
      tunnel = createTunnel({ ...settings.tunnel, localPort: settings.webhook.port, logger: tunnelLog });
    } catch (e) {
      tunnelProblem = (e as Error).message;
    }

    const engine = await createEngine({
      dataDir,
      secrets,
      overrides: opts.overrides,
      ...(tunnel ? { tunnel } : {}),
      log: { level: opts.log?.level ?? logLevelFrom(env), console: opts.log?.console === undefined ? process.stdout : opts.log.console },
    });
    logger = engine.logger;
    if (tunnelProblem) engine.logger.warn(`no tunnel: ${tunnelProblem}`);
    for (const k of ['PINEBRIDGE_API_KEY', 'PINEBRIDGE_API_SECRET', 'PINEBRIDGE_API_PASSWORD']) engine.addSecret(env[k]);

    let stopping: Promise<void> | null = null;
    return {
      engine,
      tunnel,
      dataDir,
      async start() {
        const { webhookUrl } = await engine.start();
        tunnel?.start().catch((e: unknown) => engine.logger.warn(`tunnel did not start: ${engine.redactor.scrub(String((e as Error)?.message ?? e))}`));
        return { webhookUrl };
      },
      stop() {
        stopping ??= (async () => {
          try {
            await tunnel?.stop().catch(() => {});
            await engine.stop();
          } finally {
            releaseLock();
          }
        })();
        return stopping;
      },
    };
  } catch (e) {
    releaseLock();
    throw e;
  }
}

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** PINEBRIDGE_LOG_LEVEL, as for `pinebridge serve`; info otherwise. */
function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const v = env.PINEBRIDGE_LOG_LEVEL as LogLevel | undefined;
  return v && LEVELS.includes(v) ? v : 'info';
}
