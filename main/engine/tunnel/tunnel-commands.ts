/**
 * The engine's one tunnel and its commands for the UI. A caller may give a tunnel (tests);
 * otherwise, and whenever the user changes the tunnel settings, one is built here from settings
 * with the tunnel module's factory, so both hosts and the setup wizard get the same one.
 *
 * A change of the tunnel settings takes effect at once: the old tunnel is stopped (choosing "no
 * tunnel" must not leave localtunnel retrying) and the new one started. Status and errors are
 * shown as readable sentences (describeTunnelFailure); the raw messages stay in the log.
 */
import type { TunnelStatusDto } from '../../../shared/dto/tunnel.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logging/logger.js';
import type { Tunnel, TunnelStatus } from '../core/ports.js';
import { coded, notStarted, type Handlers } from '../core/commands.js';
import { describeTunnelFailure } from './failure-text.js';
import { ensureStableSubdomain } from './stable-subdomain.js';

export type TunnelFactory = (config: Settings['tunnel'] & { localPort: number; logger: Logger }) => Tunnel | null;

export interface TunnelCommandDeps {
  settings: Settings;
  /** Where a generated localtunnel subdomain is saved. */
  settingsFile: string;
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
  // The host's tunnel was built from the settings it started with.
  let builtFor: string | null = tunnel ? key(d.settings.tunnel) : null;
  let unsubscribe: (() => void) | null = null;
  let closed = false;

  const readable = (s: TunnelStatus): TunnelStatusDto => ({
    ...s,
    lastError: s.lastError === null ? null : describeTunnelFailure(s.provider, s.lastError, { host: d.settings.tunnel.host ?? null, publicUrl: s.publicUrl }),
  });

  const watch = (t: Tunnel | null) => {
    unsubscribe?.();
    unsubscribe = t ? t.onChange((s) => d.events.emit({ type: 'tunnel', tunnel: readable(s) })) : null;
  };
  watch(tunnel);

  const status = (): TunnelStatusDto => {
    if (tunnel) return readable(tunnel.status());
    return { provider: d.settings.tunnel.provider, state: 'stopped', publicUrl: null, lastProbeMs: null, lastProbeAt: null, lastError: null };
  };

  const announce = (): TunnelStatusDto => {
    const s = status();
    d.events.emit({ type: 'tunnel', tunnel: s });
    return s;
  };

  /** The tunnel for the current settings: the running one, or a new one after a settings change (null: none). */
  const current = async (): Promise<Tunnel | null> => {
    // First use of localtunnel: a subdomain of our own, so the URL survives restarts.
    ensureStableSubdomain(d.settingsFile, d.settings);
    const want = key(d.settings.tunnel);
    if (builtFor === want) return tunnel;
    const port = d.webhookPort();
    if (port === null) throw notStarted();
    const old = tunnel;
    tunnel = null;
    watch(null);
    await old?.stop().catch(() => {});
    builtFor = want;
    if (d.settings.tunnel.provider === 'none') return null;
    try {
      tunnel = d.createTunnel({ ...d.settings.tunnel, localPort: port, logger: d.logger });
    } catch (e) {
      builtFor = null;
      throw coded('tunnel_config', (e as Error).message);
    }
    watch(tunnel);
    return tunnel;
  };

  /**
   * Starts `t` (nothing when it runs already). A tunnel that is not up (its first attempt failed,
   * or it is reconnecting) is a readable, coded error: the tunnel itself keeps retrying.
   */
  const start = async (t: Tunnel): Promise<TunnelStatusDto> => {
    const raw = await t.start().then(
      () => (t.status().state === 'offline' ? t.status().lastError : null),
      (e: unknown) => (e as Error)?.message ?? String(e),
    );
    const s = announce();
    if (raw === null) return s;
    const message = describeTunnelFailure(s.provider, raw, { host: d.settings.tunnel.host ?? null, publicUrl: s.publicUrl });
    d.logger.warn({ tunnel: s.provider, err: raw }, `tunnel not up: ${message}`);
    throw coded('tunnel_unreachable', `${message} (Pinebridge keeps trying in the background.)`);
  };

  // Settings changes are applied one after another, in the order they were saved.
  let applying: Promise<unknown> = Promise.resolve();
  const applySettings = (): Promise<unknown> => {
    applying = applying.then(async () => {
      if (closed || d.webhookPort() === null) return;
      if (builtFor === key(d.settings.tunnel) && !(d.settings.tunnel.provider === 'localtunnel' && !d.settings.tunnel.subdomain)) return;
      const t = await current();
      announce();
      if (t && !closed) await start(t).catch(() => {});
    });
    return applying.catch((e: unknown) => d.logger.warn(`tunnel settings not applied: ${(e as Error).message}`));
  };
  const stopWatchingSettings = d.events.subscribe((e) => {
    if (e.type === 'settings') void applySettings();
  });

  const commands: Handlers<TunnelCommandName> = {
    async getTunnelStatus(): Promise<TunnelStatusDto> {
      return status();
    },

    async startTunnel(): Promise<TunnelStatusDto> {
      await applying.catch(() => {});
      const t = await current();
      if (!t) throw coded('no_tunnel', 'No tunnel is configured: choose localtunnel or your own URL first.');
      return start(t);
    },

    async stopTunnel(): Promise<TunnelStatusDto> {
      await tunnel?.stop();
      return announce();
    },

    /** The self-test: GET <public URL>/healthz now. */
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

    /** On engine stop: the engine's one tunnel stops with it. */
    async close(): Promise<void> {
      closed = true;
      stopWatchingSettings();
      watch(null);
      await applying.catch(() => {});
      await tunnel?.stop().catch(() => {});
    },
  };
}
