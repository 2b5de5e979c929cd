/**
 * The webhook as TradingView reaches it: local and public URL, the tunnel status.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */

export type TunnelProvider = 'localtunnel' | 'manual' | 'none';

export type TunnelStateDto = 'starting' | 'online' | 'degraded' | 'offline' | 'stopped';

export interface TunnelStatusDto {
  provider: TunnelProvider;
  state: TunnelStateDto;
  /** Public base URL (https://…), without the /webhook path. */
  publicUrl: string | null;
  lastProbeMs: number | null;
  lastProbeAt: number | null;
  lastError: string | null;
  /**
   * localtunnel: the saved subdomain this install asks for, when the server gave another one (the
   * webhook URL changed and TradingView alerts must be updated; it keeps asking for this one).
   */
  subdomainRefused?: string | null;
}

export interface WebhookInfoDto {
  /** Local listener, e.g. http://127.0.0.1:8787/webhook */
  localUrl: string;
  /** The public HTTPS URL TradingView posts to, when a tunnel or manual URL is configured. */
  publicUrl: string | null;
  /** The secret to put in the alert message (or in the path). Shown to the local user only. */
  secret: string;
}
