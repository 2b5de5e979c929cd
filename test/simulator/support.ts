/**
 * Shared setup for the exchange simulator tests: a simulator per test, driven by the REAL ccxt
 * binance client (ccxt ~4.5.84) pointed at it through urls.api, and closed after each test.
 */
import {
  createSimulatedBinance, createSimulatedBinanceUsdm, startExchangeSimulator, type SimulatedBinanceOptions, type Simulator, type SimulatorOptions,
} from '../support/exchange-simulator/index.js';

const running: { close(): Promise<void> }[] = [];

/** Closes every simulator started since the last call; each test file runs it in afterEach. */
export async function closeSimulators(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.close()));
}

/** Registers any simulator (Binance, Bybit, OKX) for closeSimulators. */
export function track<T extends { close(): Promise<void> }>(sim: T): T {
  running.push(sim);
  return sim;
}

/** Starts a simulator that closeSimulators will close. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startExchangeSimulator(options);
  running.push(sim);
  return sim;
}

export async function setup(options: SimulatorOptions = {}, exchangeOptions: SimulatedBinanceOptions = {}) {
  const sim = await startSimulator(options);
  // ccxt's own throttle would add ~200 ms before most signed calls; these tests do not measure it.
  const ex = createSimulatedBinance(sim, { enableRateLimit: false, ...exchangeOptions });
  await ex.loadMarkets();
  return { sim, ex };
}

/** A simulator and the REAL ccxt `binanceusdm` on it, its perpetual markets loaded. */
export async function setupUsdm(options: SimulatorOptions = {}) {
  const sim = await startSimulator(options);
  const ex = createSimulatedBinanceUsdm(sim, { enableRateLimit: false, timeout: 2000 });
  await ex.loadMarkets();
  return { sim, ex };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err as Error,
  );
}

/** ccxt types Order.id as string | undefined; Binance always gives one. */
export function idOf(order: { id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('order without id');
  return order.id;
}

/** fetchOrder by clientOrderId: ccxt 4.5 ignores the id when params.clientOrderId is set. */
export const byClientId = (ex: ReturnType<typeof createSimulatedBinance>, symbol: string, clientOrderId: string) =>
  ex.fetchOrder(undefined as unknown as string, symbol, { clientOrderId });
