/**
 * Tunnel providers: expose the webhook listener (only it) at a public HTTPS URL.
 *
 *   const tunnel = createTunnel({ ...settings.tunnel, localPort: webhookPort, logger });
 *   tunnel?.onChange((s, prev) => { if (isUrlChange(s, prev)) emit('update the TradingView alert') });
 */
import type { Tunnel } from '../core/ports.js';
import type { FetchFn, TunnelLogger } from './common.js';
import type { BackoffOptions } from './localtunnel-options.js';
import { createLocaltunnelTunnel } from './localtunnel-tunnel.js';
import { createManualTunnel } from './manual-tunnel.js';

export { createLocaltunnelTunnel } from './localtunnel-tunnel.js';
export { LOCALTUNNEL_DEFAULTS, type BackoffOptions, type LocaltunnelTunnelOptions } from './localtunnel-options.js';
export { createManualTunnel, normalizePublicUrl, type ManualTunnelOptions } from './manual-tunnel.js';
export { describeTunnelFailure } from './failure-text.js';
export { publicUrlProblem } from './public-url-policy.js';
export { isUrlChange, silentLogger, type FetchFn, type StatusListener, type TunnelLogger } from './common.js';

/** Shaped so that `{ ...settings.tunnel, localPort, logger }` fits. */
export interface TunnelConfig {
  provider: 'localtunnel' | 'manual' | 'none';
  /** The webhook listener's port (localtunnel). */
  localPort?: number;
  /** localtunnel server (default https://localtunnel.me). */
  host?: string | undefined;
  /** localtunnel: the subdomain to ask for. */
  subdomain?: string | undefined;
  /** manual: the public https URL. */
  publicUrl?: string | undefined;
  probeIntervalMs?: number;
  /** Same as probeIntervalMs, in seconds (the settings file's unit); probeIntervalMs wins. */
  probeIntervalSec?: number;
  probeTimeoutMs?: number;
  startTimeoutMs?: number;
  backoff?: BackoffOptions;
  reconnectAfterProbeFailures?: number;
  socketGraceMs?: number;
  /** localtunnel: while another id was given, ask for `subdomain` again this often (seconds, the settings file's unit). */
  reclaimIntervalSec?: number;
  logger?: TunnelLogger;
  fetch?: FetchFn;
}

/** Builds the configured provider; null for 'none'. Throws a clear Error for an incomplete config. */
export function createTunnel(config: TunnelConfig): Tunnel | null {
  const probeIntervalMs = config.probeIntervalMs ?? (config.probeIntervalSec !== undefined ? config.probeIntervalSec * 1000 : undefined);
  const common = {
    ...(probeIntervalMs !== undefined ? { probeIntervalMs } : {}),
    ...(config.probeTimeoutMs !== undefined ? { probeTimeoutMs: config.probeTimeoutMs } : {}),
    ...(config.logger ? { logger: config.logger } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
  };
  switch (config.provider) {
    case 'none':
      return null;
    case 'manual':
      if (!config.publicUrl) throw new Error('tunnel: provider "manual" needs tunnel.publicUrl (your public https:// address)');
      return createManualTunnel({ publicUrl: config.publicUrl, ...common });
    case 'localtunnel':
      if (config.localPort === undefined) throw new Error('tunnel: provider "localtunnel" needs the webhook listener port (localPort)');
      return createLocaltunnelTunnel({
        localPort: config.localPort,
        ...common,
        ...(config.host ? { host: config.host } : {}),
        ...(config.subdomain ? { subdomain: config.subdomain } : {}),
        ...(config.startTimeoutMs !== undefined ? { startTimeoutMs: config.startTimeoutMs } : {}),
        ...(config.backoff ? { backoff: config.backoff } : {}),
        ...(config.reconnectAfterProbeFailures !== undefined ? { reconnectAfterProbeFailures: config.reconnectAfterProbeFailures } : {}),
        ...(config.socketGraceMs !== undefined ? { socketGraceMs: config.socketGraceMs } : {}),
        ...(config.reclaimIntervalSec !== undefined ? { reclaimIntervalMs: config.reclaimIntervalSec * 1000 } : {}),
      });
    default: {
      const provider: never = config.provider;
      throw new Error(`tunnel: unknown provider "${String(provider)}" (localtunnel, manual or none)`);
    }
  }
}
