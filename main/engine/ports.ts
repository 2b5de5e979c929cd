/**
 * What the engine depends on, as interfaces. Hosts (desktop, headless, tests) supply the
 * implementations through `createEngine(deps)`.
 */
import type { Mode } from '../../shared/dto.js';

/** Milliseconds since the epoch. Tests pass a controllable clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Secrets by name. Names are namespaced by the caller, e.g. `webhook-secret`,
 * `account:<alias>:<mode>:apiKey`, so testnet keys can never be read as live ones.
 */
export interface SecretStore {
  /** What backs it, for the UI and logs ("keychain", "environment", "file"). */
  readonly kind: string;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** Exchange credentials for one account alias in one mode. */
export interface ApiCredentials {
  apiKey: string;
  secret: string;
  password?: string;
}

export function credentialName(account: string, mode: Mode, part: 'apiKey' | 'secret' | 'password'): string {
  return `account:${account}:${mode}:${part}`;
}

export type TunnelState = 'starting' | 'online' | 'degraded' | 'offline' | 'stopped';

export interface TunnelStatus {
  provider: 'localtunnel' | 'manual' | 'none';
  state: TunnelState;
  /** Public base URL (https://…), without the /webhook path. */
  publicUrl: string | null;
  /** Last self-probe round trip through the public URL, ms. */
  lastProbeMs: number | null;
  lastProbeAt: number | null;
  lastError: string | null;
}

/** Exposes the webhook listener (only it) at a public HTTPS URL. */
export interface Tunnel {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): TunnelStatus;
  /** Subscribe to state and URL changes; returns an unsubscribe function. */
  onChange(listener: (status: TunnelStatus, previous: TunnelStatus) => void): () => void;
  /** Probe now (GET <publicUrl>/healthz) and return the round trip in ms. */
  probe(): Promise<number>;
}
