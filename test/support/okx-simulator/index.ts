/**
 * OKX v5 exchange simulator (spot and USDT swaps) for tests:
 *
 *   const sim = await startOkxSimulator();
 *   const ex = createSimulatedOkx(sim);                 // a real ccxt okx pointed at sim.url
 *   sim.injectFault({ kind: 'exchangeError', code: '50013', path: '/api/v5/trade/batch-orders', execute: true });
 *   ...
 *   await sim.close();
 */
export { startOkxSimulator, type OkxAlgoView, type OkxOrderView, type OkxSimulator, type OkxSimulatorOptions } from './simulator.js';
export { createSimulatedOkx, type SimulatedOkxOptions } from './ccxt.js';
export { OKX_CREDENTIALS, okxSign, TIMESTAMP_WINDOW_MS, type OkxCredentials } from './auth.js';
export { CL_ORD_ID_PATTERN } from './okx-orders.js';
export { DEFAULT_CT_VAL } from './instruments.js';
export { OkxError, okxErrors } from './errors.js';
