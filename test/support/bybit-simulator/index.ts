/**
 * Bybit v5 exchange simulator (unified account: spot and USDT linear perpetuals) for tests:
 *
 *   const sim = await startBybitSimulator();
 *   const ex = createSimulatedBybit(sim);              // a real ccxt bybit pointed at sim.url
 *   sim.injectFault({ kind: 'exchangeError', code: 10016, method: 'POST', path: '/v5/order/create', execute: true });
 *   ...
 *   await sim.close();
 */
export { startBybitSimulator, type BybitSimulator, type BybitSimulatorOptions } from './simulator.js';
export { createSimulatedBybit, type SimulatedBybitOptions } from './ccxt.js';
export { BYBIT_API_KEY, BYBIT_SECRET, bybitSign } from './auth.js';
export { ORDER_LINK_ID_PATTERN } from './create-request.js';
export { REALTIME_CLOSED_LIMIT } from './bybit-orders.js';
export { BybitError, bybitErrors, type Category } from './errors.js';
export type { BybitFillView, BybitOrderView, BybitPositionView } from './views.js';
