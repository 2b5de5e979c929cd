/** Setup for the Bybit simulator tests: a simulator per test and the REAL ccxt bybit class pointed at it. */
import { createSimulatedBybit, startBybitSimulator, type BybitSimulatorOptions } from '../support/bybit-simulator/index.js';
import { track } from './support.js';

export async function setupBybit(options: BybitSimulatorOptions = {}, exchangeOptions: Parameters<typeof createSimulatedBybit>[1] = {}) {
  const sim = track(await startBybitSimulator(options));
  const ex = createSimulatedBybit(sim, { enableRateLimit: false, ...exchangeOptions });
  await ex.loadMarkets();
  return { sim, ex };
}

/** ccxt's bybit wants an id argument; Pinebridge looks orders up by orderLinkId with id = undefined. */
export const NO_ID = undefined as unknown as string;
