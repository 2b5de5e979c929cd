/**
 * What the desktop app runs, composed without Electron: the shared host start-up (data-dir lock,
 * secret store, keys, the engine and its tunnel) with the desktop's defaults. main.ts adds only
 * the window, tray, IPC and popups; tests run this part in plain Node.
 */
import type { LogLevel } from '../../shared/dto/logs.js';
import type { DeepPartial, Settings } from '../engine/core/config.js';
import type { Engine } from '../engine/engine.js';
import { defaultDataDir } from '../engine/core/paths.js';
import type { SecretStore, Tunnel } from '../engine/core/ports.js';
import { LOG_LEVELS, startHost } from '../host/start-host.js';

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
  /** The engine's tunnel, once it built one from settings (after start). */
  readonly tunnel: Tunnel | null;
  readonly dataDir: string;
  /** Starts the webhook listener, then the tunnel (without waiting for it to come online). */
  start(): Promise<{ webhookUrl: string }>;
  /** Engine (graceful, tunnel included), then the data-dir lock. Safe to call twice. */
  stop(): Promise<void>;
}

export async function createDesktopHost(opts: DesktopHostOptions = {}): Promise<DesktopHost> {
  const env = opts.env ?? process.env;
  const host = await startHost({
    dataDir: opts.dataDir ?? (env.PINEBRIDGE_DATA_DIR || defaultDataDir(env)),
    env,
    secrets: opts.secrets,
    overrides: opts.overrides,
    log: { level: opts.log?.level ?? logLevelFrom(env), console: opts.log?.console === undefined ? process.stdout : opts.log.console },
  });
  const { engine } = host;
  return {
    engine,
    get tunnel() {
      return engine.tunnel();
    },
    dataDir: host.dataDir,
    async start() {
      const { webhookUrl } = await host.start();
      return { webhookUrl };
    },
    stop: () => host.stop(),
  };
}

/** PINEBRIDGE_LOG_LEVEL, as for `pinebridge serve`; info otherwise. */
function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const v = env.PINEBRIDGE_LOG_LEVEL as LogLevel | undefined;
  return v && LOG_LEVELS.includes(v) ? v : 'info';
}
