/**
 * Tunnel commands for the UI. The host may give a tunnel (the desktop builds one from settings);
 * otherwise, and whenever the user changes the tunnel settings, one is built here from settings
 * with the tunnel module's factory, so `pinebridge serve` and the setup wizard get one too.
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
import { describeTunnelFailure } from '../tunnel/failure-text.js';
import { ensureStableSubdomain } from '../tunnel/stable-subdomain.js';
import { coded } from './settings-commands.js';

export type TunnelFactory = (config: Settings['tunnel'] & { localPort: number; logger: Logger }) => Tunnel | null;

export interface TunnelCommandDeps {
  settings: Settings;
  /** Where a generated localtunnel subdomain is saved. */
  settingsFile: string;
  /** The host's tunnel, if it built one. */
  tunnel: Tunnel | null;
  createTunnel: TunnelFactory;
  /** The webhook listener's bound port (null before start). */
  webhookPort: () => number | null;
  events: EventBus;
  logger: Logger;
}

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
    if (port === null) throw coded('not_started', 'The webhook listener is not running yet.');
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

  const commands = {
    status,
    publicUrl: (): string | null => status().publicUrl,
    /** The tunnel in use now (the host's or one built here), if any. */
    active: (): Tunnel | null => tunnel,

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

    /** On engine start: start the configured tunnel unless the host runs its own. Never throws. */
    startInBackground(): void {
      if (d.tunnel || d.settings.tunnel.provider === 'none') return;
      commands.startTunnel().catch((e: unknown) => d.logger.warn(`tunnel did not start: ${(e as Error).message}`));
    },

    /** On engine stop. */
    async close(): Promise<void> {
      closed = true;
      stopWatchingSettings();
      watch(null);
      await applying.catch(() => {});
      if (tunnel && tunnel !== d.tunnel) await tunnel.stop().catch(() => {});
    },
  };
  return commands;
}
