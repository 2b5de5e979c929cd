/** A real ccxt `okx` pointed at the OKX simulator. */
import ccxt from 'ccxt';
import { pointCcxtAt, type SimulatedBinanceOptions } from '../exchange-simulator/ccxt.js';
import type { OkxSimulator } from './simulator.js';

export interface SimulatedOkxOptions extends SimulatedBinanceOptions {
  password?: string;
}

/**
 * ccxt's okx with the simulator's keys and passphrase, markets limited to spot and swap
 * (loadMarkets: GET public/instruments for SPOT and SWAP, and with keys GET asset/currencies).
 * ccxt places orders through POST trade/batch-orders by default; the simulator serves it and
 * POST trade/order alike.
 */
export function createSimulatedOkx(sim: Pick<OkxSimulator, 'url' | 'apiKey' | 'secret' | 'passphrase'>, opts: SimulatedOkxOptions = {}): InstanceType<typeof ccxt.okx> {
  const exchange = new ccxt.okx({
    apiKey: opts.apiKey ?? sim.apiKey,
    secret: opts.secret ?? sim.secret,
    password: opts.password ?? sim.passphrase,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(opts.enableRateLimit !== undefined ? { enableRateLimit: opts.enableRateLimit } : {}),
    options: { fetchMarkets: { types: ['spot', 'swap'] }, ...opts.options },
  });
  return pointCcxtAt(exchange, sim.url);
}
