/** A real ccxt `bybit` pointed at the Bybit simulator. */
import ccxt from 'ccxt';
import { pointCcxtAt, type SimulatedBinanceOptions } from '../exchange-simulator/ccxt.js';
import type { BybitSimulator } from './simulator.js';

export type SimulatedBybitOptions = SimulatedBinanceOptions;

/**
 * ccxt's bybit with the simulator's keys, markets limited to spot and linear (loadMarkets is then
 * GET instruments-info for spot, and for linear twice: Trading and PreLaunch; with keys it also
 * reads /v5/asset/coin/query-info). ccxt asks /v5/user/query-api and /v5/account/info whether the
 * account is unified on its first private call; the simulator answers "unified (UTA 2.0)".
 */
export function createSimulatedBybit(sim: Pick<BybitSimulator, 'url' | 'apiKey' | 'secret'>, opts: SimulatedBybitOptions = {}): InstanceType<typeof ccxt.bybit> {
  const exchange = new ccxt.bybit({
    apiKey: opts.apiKey ?? sim.apiKey,
    secret: opts.secret ?? sim.secret,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(opts.enableRateLimit !== undefined ? { enableRateLimit: opts.enableRateLimit } : {}),
    options: { fetchMarkets: { types: ['spot', 'linear'] }, ...opts.options },
  });
  return pointCcxtAt(exchange, sim.url);
}
