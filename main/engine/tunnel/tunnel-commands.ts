/**
 * The engine's one tunnel and its commands for the UI. A caller may give a tunnel (tests);
 * otherwise, and whenever the user changes the tunnel settings, one is built here from settings
 * with the tunnel module's factory, so both hosts and the setup wizard get the same one.
 */
import type { TunnelStatusDto } from '../../../shared/dto/tunnel.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logging/logger.js';
import type { Tunnel } from '../core/ports.js';
import { coded, notStarted, type Handlers } from '../core/commands.js';

export type TunnelFactory = (config: Settings['tunnel'] & { localPort: number; logger: Logger }) => Tunnel | null;

export interface TunnelCommandDeps {
  settings: Settings;
  /** A tunnel built by the caller, if any (otherwise one is built from settings). */
  tunnel: Tunnel | null;
  createTunnel: TunnelFactory;
  /** The webhook listener's bound port (null before start). */
  webhookPort: () => number | null;
  events: EventBus;
  logger: Logger;
}

export type TunnelCommandName = 'getTunnelStatus' | 'startTunnel' | 'stopTunnel' | 'probeTunnel';

const key = (t: Settings['tunnel']) => JSON.stringify([t.provider, t.host ?? null, t.subdomain ?? null, t.publicUrl ?? null]);

export function createTunnelCommands(d: TunnelCommandDeps) {
  let tunnel = d.tunnel;
  // A given tunnel counts as built from the settings the engine started with.
  let builtFor: string | null = tunnel ? key(d.settings.tunnel) : null;
  let unsubscribe: (() => void) | null = null;

  const watch = (t: Tunnel | null) => {
    unsubscribe?.();
    unsubscribe = t ? t.onChange((s) => d.events.emit({ type: 'tunnel', tunnel: { ...s } })) : null;
  };
  watch(tunnel);

  const status = (): TunnelStatusDto => {
    if (tunnel) return { ...tunnel.status() };
    return { provider: d.settings.tunnel.provider, state: 'stopped', publicUrl: null, lastProbeMs: null, lastProbeAt: null, lastError: null };
  };

  const announce = (): TunnelStatusDto => {
    const s = status();
    d.events.emit({ type: 'tunnel', tunnel: s });
    return s;
  };

  /** The tunnel for the current settings: the running one, or a new one after a settings change. */
  const current = async (): Promise<Tunnel | null> => {
    const want = key(d.settings.tunnel);
    if (tunnel && builtFor === want) return tunnel;
    const port = d.webhookPort();
    if (port === null) throw notStarted();
    const old = tunnel;
    tunnel = null;
    watch(null);
    await old?.stop().catch(() => {});
    try {
      tunnel = d.createTunnel({ ...d.settings.tunnel, localPort: port, logger: d.logger });
    } catch (e) {
      throw coded('tunnel_config', (e as Error).message);
    }
    builtFor = want;
    watch(tunnel);
    return tunnel;
  };

  const commands: Handlers<TunnelCommandName> = {
    async getTunnelStatus(): Promise<TunnelStatusDto> {
      return status();
    },

    async startTunnel(): Promise<TunnelStatusDto> {
      const t = await current();
      if (!t) throw coded('no_tunnel', 'No tunnel is configured: choose localtunnel or your own URL first.');
      await t.start();
      return announce();
    },

    async stopTunnel(): Promise<TunnelStatusDto> {
      await tunnel?.stop();
      return announce();
    },

    async probeTunnel(): Promise<TunnelStatusDto> {
      if (!tunnel) throw coded('no_tunnel', 'There is no tunnel to test: start one first.');
      await tunnel.probe().catch(() => {});
      return announce();
    },
  };

  return {
    commands,
    status,
    publicUrl: (): string | null => status().publicUrl,
    /** The tunnel in use now (the given one or one built here), if any. */
    active: (): Tunnel | null => tunnel,

    /**
     * On engine start: start the configured tunnel (a given one too). Never throws: a setting it
     * cannot use leaves the local URL only, and says why.
     */
    startInBackground(): void {
      if (!d.tunnel && d.settings.tunnel.provider === 'none') return;
      commands.startTunnel({}).catch((e: unknown) => {
        const why = (e as Error).message;
        d.logger.warn((e as { code?: string }).code === 'tunnel_config' ? `no tunnel: ${why}` : `tunnel did not start: ${why}`);
      });
    },

    /** On engine stop. */
    async close(): Promise<void> {
      watch(null);
      await tunnel?.stop().catch(() => {});
    },
  };
}
