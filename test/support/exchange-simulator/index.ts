/**
 * Binance-compatible exchange simulator for tests, benchmarks and UI tests: spot (/api/v3) and
 * USDⓈ-M perpetual futures (/fapi, `sim.futures`), on one origin.
 *
 *   const sim = await startExchangeSimulator({ balances: { USDT: 1000 } });
 *   const ex = createSimulatedBinance(sim);          // a real ccxt binance pointed at sim.url
 *   sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/api/v3/order' });
 *   ...
 *   await sim.close();
 */
export { startExchangeSimulator, type Simulator, type SeedOrder } from './simulator.js';
export { pointCcxtAt, createSimulatedBinance, createSimulatedBinanceUsdm, type SimulatedBinanceOptions } from './ccxt.js';
export { DEFAULT_API_KEY, DEFAULT_SECRET, sign } from './auth.js';
export { DEFAULT_MARKETS } from './markets.js';
export { DEFAULT_FUTURES_MARKETS } from './futures-markets.js';
export type { FuturesSimulator } from './futures-sim.js';
export type {
  FuturesAlgoOrderView, FuturesAlgoStatus, FuturesMarketSpec, FuturesOptions, FuturesOrderOrigin, FuturesOrderStatus, FuturesOrderView, FuturesPositionView, FuturesSeedOrder,
  FuturesTradeView, FuturesWalletView, PositionAdjustment,
} from './futures-types.js';
export { CLIENT_ORDER_ID_PATTERN } from './order-params.js';
export { BinanceError, errors as binanceErrors } from './errors.js';
export type {
  BalanceView, Counters, Credentials, FaultHandle, FaultKind, FaultSpec, MarketSpec, NumberLike, OrderSide,
  OrderStatus, OrderType, RequestLogEntry, SimOrderView, SimTradeView, SimulatorOptions,
} from './types.js';
