/**
 * Loading ccxt (lazily: paper mode needs none of it) and constructing one exchange: per-exchange
 * options, sandbox for testnet, base URL override. ccxt's index imports all of its ~110 exchanges
 * (~0.8 s and ~65 MB); the exchange the account trades on is loaded on its own when it can be.
 */
import type * as Ccxt from 'ccxt';
import type { Exchange } from 'ccxt';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApiCredentials } from '../core/ports.js';
import type { Mode } from '../../../shared/dto/mode.js';
import { profileFor } from './exchanges/index.js';
import { bucketFor } from './token-bucket.js';
import { VenueError } from './venue-error.js';

type CcxtModule = typeof Ccxt;
type ExchangeClass = new (config: Record<string, unknown>) => Exchange;
let loading: Promise<CcxtModule> | null = null;
let requested = false;
const single = new Map<string, Promise<ExchangeClass | null>>();

/** Whether anything asked for ccxt yet (paper mode never should). */
export function ccxtRequested(): boolean {
  return requested;
}

export function loadCcxt(): Promise<CcxtModule> {
  requested = true;
  loading ??= import('ccxt').then((m) => ((m as unknown as { default?: CcxtModule }).default ?? m) as CcxtModule);
  return loading;
}

/**
 * One exchange's class from its own module in ccxt's ESM tree (`js/src/<id>.js`, which imports
 * only ccxt's base), or null when that file is not there (another layout): the caller then loads
 * the whole of ccxt, which also says which ids exist.
 */
function loadOne(exchangeId: string): Promise<ExchangeClass | null> {
  requested = true;
  let p = single.get(exchangeId);
  if (!p) {
    p = (async () => {
      if (!/^[a-z][a-z0-9]{1,31}$/.test(exchangeId)) return null;
      let file: string;
      try {
        // The package's own `require` entry is dist/ccxt.cjs; its ESM sources sit beside it in js/src.
        file = join(dirname(createRequire(import.meta.url).resolve('ccxt')), '..', 'js', 'src', `${exchangeId}.js`);
      } catch {
        return null;
      }
      if (!existsSync(file)) return null;
      try {
        const m = (await import(pathToFileURL(file).href)) as { default?: unknown };
        return typeof m.default === 'function' ? (m.default as ExchangeClass) : null;
      } catch {
        return null;
      }
    })();
    single.set(exchangeId, p);
  }
  return p;
}

/** The class of a ccxt exchange id: on its own when possible, else from the whole of ccxt. */
async function exchangeClass(exchangeId: string): Promise<ExchangeClass> {
  const own = await loadOne(exchangeId);
  if (own) return own;
  const ccxt = await loadCcxt();
  const list = ccxt.exchanges as unknown;
  const exchanges = Array.isArray(list) ? (list as string[]) : Object.keys(list as object);
  if (!exchanges.includes(exchangeId)) {
    const near = exchanges.filter((e) => e.startsWith(exchangeId.slice(0, 3))).slice(0, 5);
    throw new VenueError('permanent', 'UnknownExchange', `ccxt has no exchange "${exchangeId}"${near.length ? `: did you mean ${near.join(', ')}?` : ''}`);
  }
  const Ctor = (ccxt as unknown as Record<string, ExchangeClass>)[exchangeId];
  if (!Ctor) throw new VenueError('permanent', 'UnknownExchange', `ccxt has no exchange "${exchangeId}"`);
  return Ctor;
}

/** The ccxt options of an exchange's profile (exchanges/<id>.ts) for this account. */
export function exchangeOptions(exchangeId: string, recvWindowMs = 5000, mode: Mode = 'live'): Record<string, unknown> {
  return profileFor(exchangeId).ccxtOptions({ ccxtId: exchangeId, mode, recvWindowMs });
}

export interface ExchangeSetup {
  exchangeId: string;
  mode: 'testnet' | 'live';
  credentials: ApiCredentials | null;
  exchangeUrl?: string;
  timeoutMs?: number;
  recvWindowMs?: number;
  /** Merged over `exchangeOptions` (paper's market list reads perpetuals too). */
  options?: Record<string, unknown>;
}

export async function createExchange(s: ExchangeSetup): Promise<Exchange> {
  const Ctor = await exchangeClass(s.exchangeId);
  const config: Record<string, unknown> = { enableRateLimit: true, options: { ...exchangeOptions(s.exchangeId, s.recvWindowMs, s.mode), ...s.options } };
  // Never: a resend after a lost answer duplicates an order that already filled.
  config.maxRetriesOnFailure = 0;
  if (s.timeoutMs !== undefined) config.timeout = s.timeoutMs;
  if (s.credentials) {
    config.apiKey = s.credentials.apiKey;
    config.secret = s.credentials.secret;
    if (s.credentials.password) config.password = s.credentials.password;
  }
  const exchange = new Ctor(config);
  // ccxt still prices each call (its endpoint's cost); our bucket decides when it may go.
  const bucket = bucketFor(exchange.rateLimit ?? 0);
  (exchange as unknown as { throttle: (cost?: number) => Promise<void> }).throttle = (cost) => bucket.take(cost ?? 1);
  if (s.mode === 'testnet') {
    if (!exchange.urls || !(exchange.urls as Record<string, unknown>).test) {
      throw new VenueError(
        'permanent',
        'NoTestnet',
        `${s.exchangeId} has no testnet in ccxt, so testnet mode cannot trade there (and never falls back to live): use paper mode, or live with small amounts`,
      );
    }
    exchange.setSandboxMode(true);
  }
  if (s.exchangeUrl) pointAt(exchange, s.exchangeUrl);
  return exchange;
}

/** Sends every REST call to `baseUrl`: the origin of each `urls.api` entry is replaced, the path kept. */
export function pointAt(exchange: Exchange, baseUrl: string): void {
  const base = baseUrl.replace(/\/+$/, '');
  const rewrite = (v: unknown): unknown => {
    if (typeof v === 'string') {
      try {
        const u = new URL(v);
        return base + u.pathname.replace(/\/+$/, '') + u.search;
      } catch {
        return v;
      }
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  const urls = exchange.urls as Record<string, unknown>;
  urls.api = rewrite(urls.api);
}
