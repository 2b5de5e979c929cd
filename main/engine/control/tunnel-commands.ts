/**
 * Tunnel commands for the UI. The tunnel itself (localtunnel or manual, with its self-probe) is
 * given by the host; without one, a manual public URL from settings is still reported and probed.
 */
import type { TunnelStatusDto } from '../../../shared/dto.js';
import type { Settings } from '../config.js';
import type { EventBus } from '../event-bus.js';
import type { Tunnel } from '../ports.js';
import { coded } from './settings-commands.js';

export interface TunnelCommandDeps {
  settings: Settings;
  tunnel: Tunnel | null;
  events: EventBus;
  now: () => number;
}

export function createTunnelCommands(d: TunnelCommandDeps) {
  let manualProbe: Pick<TunnelStatusDto, 'lastProbeMs' | 'lastProbeAt' | 'lastError'> = { lastProbeMs: null, lastProbeAt: null, lastError: null };

  const status = (): TunnelStatusDto => {
    if (d.tunnel) return { ...d.tunnel.status() };
    const t = d.settings.tunnel;
    const url = t.provider === 'manual' ? (t.publicUrl ?? null) : null;
    const state = url === null ? 'stopped' : manualProbe.lastProbeAt === null ? 'starting' : manualProbe.lastError ? 'offline' : 'online';
    return { provider: t.provider, state, publicUrl: url, ...manualProbe };
  };

  const announce = (): TunnelStatusDto => {
    const s = status();
    d.events.emit({ type: 'tunnel', tunnel: s });
    return s;
  };

  d.tunnel?.onChange((s) => d.events.emit({ type: 'tunnel', tunnel: { ...s } }));

  return {
    status,
    publicUrl: (): string | null => status().publicUrl,

    async getTunnelStatus(): Promise<TunnelStatusDto> {
      return status();
    },

    async startTunnel(): Promise<TunnelStatusDto> {
      if (!d.tunnel) {
        if (status().publicUrl) return this.probeTunnel();
        throw coded('tunnel_unavailable', 'No tunnel provider is running in this build: set a manual public URL in Settings, or test with the local URL.');
      }
      await d.tunnel.start();
      return announce();
    },

    async stopTunnel(): Promise<TunnelStatusDto> {
      if (d.tunnel) await d.tunnel.stop();
      return announce();
    },

    async probeTunnel(): Promise<TunnelStatusDto> {
      if (d.tunnel) {
        await d.tunnel.probe().catch(() => {});
        return announce();
      }
      const url = status().publicUrl;
      if (!url) throw coded('no_public_url', 'There is no public URL to probe: start a tunnel or set a manual URL.');
      const started = performance.now();
      try {
        const res = await fetch(new URL('/healthz', url), { headers: { 'bypass-tunnel-reminder': '1' }, signal: AbortSignal.timeout(10_000) });
        manualProbe = {
          lastProbeMs: Math.round(performance.now() - started),
          lastProbeAt: d.now(),
          lastError: res.ok ? null : `GET /healthz answered ${res.status}`,
        };
      } catch (e) {
        manualProbe = { lastProbeMs: null, lastProbeAt: d.now(), lastError: (e as Error).message };
      }
      return announce();
    },
  };
}
