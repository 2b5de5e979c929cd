/** Pointing a real ccxt exchange at the simulator. */
import ccxt, { type Exchange } from 'ccxt';
import type { Simulator } from './simulator.js';

type UrlTree = string | { [key: string]: UrlTree };

function rebase(entry: UrlTree, origin: string): UrlTree {
  if (typeof entry === 'string') {
    // Not `new URL`: some exchanges' entries are templates ("https://api.{hostname}") that URL refuses.
    const match = /^https?:\/\/[^/?#]+([^?#]*)(\?[^#]*)?/.exec(entry);
    if (!match) return entry;
    return origin + (match[1] ?? '').replace(/\/$/, '') + (match[2] ?? '');
  }
  const out: { [key: string]: UrlTree } = {};
  for (const [k, v] of Object.entries(entry)) out[k] = rebase(v, origin);
  return out;
}

/**
 * Replaces the origin (scheme, host, port) of every entry of `exchange.urls.api` with the origin
 * of `baseUrl`, keeping each entry's path: https://api.binance.com/api/v3 -> http://127.0.0.1:PORT/api/v3.
 */
export function pointCcxtAt<T extends Exchange>(exchange: T, baseUrl: string): T {
  const origin = new URL(baseUrl).origin;
  const urls = exchange.urls as { api?: UrlTree };
  if (urls.api === undefined) throw new Error(`${exchange.id}: no urls.api to rebase`);
  urls.api = rebase(urls.api, origin);
  return exchange;
}

export interface SimulatedBinanceOptions {
  apiKey?: string;
  secret?: string;
  /** ccxt request timeout in ms (ccxt's default is 10000). */
  timeout?: number;
  /**
   * ccxt's client-side throttle (default true, as in production). With it, ccxt waits ~200 ms
   * before most signed binance calls that follow another one (request weight x rateLimit 50 ms);
   * tests that do not measure timing can pass false to run faster.
   */
  enableRateLimit?: boolean;
  /** Extra entries merged into ccxt's `options`. */
  options?: Record<string, unknown>;
}

/** Keys (default the simulator's own), timeout and throttle for a ccxt exchange talking to the simulator. */
function clientConfig(sim: Pick<Simulator, 'apiKey' | 'secret'>, opts: SimulatedBinanceOptions) {
  return {
    apiKey: opts.apiKey ?? sim.apiKey,
    secret: opts.secret ?? sim.secret,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(opts.enableRateLimit !== undefined ? { enableRateLimit: opts.enableRateLimit } : {}),
  };
}

/**
 * A real ccxt `binance` (spot only, so loadMarkets is one GET /api/v3/exchangeInfo) talking to the
 * simulator. Keys default to the simulator's own.
 */
export function createSimulatedBinance(sim: Pick<Simulator, 'url' | 'apiKey' | 'secret'>, opts: SimulatedBinanceOptions = {}): InstanceType<typeof ccxt.binance> {
  const exchange = new ccxt.binance({
    ...clientConfig(sim, opts),
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      fetchCurrencies: false,
      fetchMargins: false,
      ...opts.options,
    },
  });
  return pointCcxtAt(exchange, sim.url);
}

/**
 * A real ccxt `binanceusdm` (USDⓈ-M perpetuals) talking to the simulator's fapi endpoints. Without
 * the spot-wallet currency list (sapi capital/config, margin pairs), loadMarkets is
 * GET /fapi/v1/exchangeInfo alone (plus /fapi/v1/time with adjustForTimeDifference).
 */
export function createSimulatedBinanceUsdm(sim: Pick<Simulator, 'url' | 'apiKey' | 'secret'>, opts: SimulatedBinanceOptions = {}): InstanceType<typeof ccxt.binanceusdm> {
  const exchange = new ccxt.binanceusdm({
    ...clientConfig(sim, opts),
    options: { fetchCurrencies: false, fetchMargins: false, ...opts.options },
  });
  return pointCcxtAt(exchange, sim.url);
}
