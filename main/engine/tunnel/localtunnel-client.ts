/**
 * The two halves of the localtunnel protocol as we speak it: the registration request
 * (`GET <host>/?new` or `/<subdomain>`), which is ours, and the parts of the real `localtunnel`
 * client (v2.0.x, lib/Tunnel.js) we rely on for the tunnel sockets.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { errorMessage, type FetchFn } from './common.js';

export interface LtClientOptions {
  port: number;
  host: string;
  subdomain?: string;
  local_host: string;
}

export interface LtClient extends EventEmitter {
  url?: string;
  clientId?: string;
  tunnelCluster?: EventEmitter;
  /** Registration: callback with the connection info built by `_getInfo(body)`. */
  _init(cb: (err: Error | null, info?: unknown) => void): void;
  _getInfo(body: unknown): unknown;
  open(cb: (err?: Error) => void): void;
  close(): void;
}

export type LtClientClass = new (opts: LtClientOptions) => LtClient;

let clientClass: LtClientClass | null = null;

/** The client class, checked once for the methods we use; throws for an unsupported version. */
export function loadClientClass(): LtClientClass {
  if (clientClass) return clientClass;
  const requireCjs = createRequire(import.meta.url);
  const cls = requireCjs('localtunnel/lib/Tunnel.js') as unknown;
  const proto = typeof cls === 'function' ? (cls.prototype as Record<string, unknown>) : null;
  if (!proto || typeof proto['_init'] !== 'function' || typeof proto['_getInfo'] !== 'function' || typeof proto['open'] !== 'function') {
    throw new Error('unsupported localtunnel client version: lib/Tunnel.js has no _init/_getInfo/open (expected localtunnel 2.0.x)');
  }
  clientClass = cls as LtClientClass;
  return clientClass;
}

export interface RegistrationBody {
  id: string;
  port: number;
  url: string;
}

/** The tunnel server answered the registration with an HTTP status other than 200. */
export class RegistrationRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * `GET <host>/?new` or `/<subdomain>`: the JSON `{id, port, max_conn_count, url, ip?}`. One
 * request, cancelled by `signal` (the client's own registration retries forever).
 */
export async function registerTunnel(fetchFn: FetchFn, host: string, subdomain: string | undefined, signal: AbortSignal): Promise<RegistrationBody> {
  const uri = `${host}/${subdomain ?? '?new'}`;
  let res: Response;
  try {
    res = await fetchFn(uri, { headers: { accept: 'application/json' }, signal });
  } catch (e) {
    throw new Error(`localtunnel: cannot reach the tunnel server ${host}: ${errorMessage(e)}`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* handled below */
  }
  if (res.status !== 200) {
    const message =
      body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : text.replace(/\s+/g, ' ').trim().slice(0, 160);
    throw new RegistrationRefusedError(
      `localtunnel: the tunnel server ${host} refused the tunnel (HTTP ${res.status})${message ? `: ${message}` : ''}`,
      res.status,
    );
  }
  const b = body as Partial<Record<keyof RegistrationBody, unknown>> | null;
  if (!b || typeof b !== 'object' || typeof b.id !== 'string' || typeof b.port !== 'number' || typeof b.url !== 'string') {
    throw new Error(`localtunnel: unexpected answer from the tunnel server ${uri}: ${text.slice(0, 160)}`);
  }
  return b as RegistrationBody;
}
