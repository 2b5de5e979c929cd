/** The OKX v5 simulator as an ExchangeRig (spot and USDT swaps, sized in contracts of ctVal). */
import { startOkxSimulator, type OkxOrderView } from '../support/okx-simulator/index.js';
import { clientOrderIdFor } from '../../main/engine/venues/exchanges/index.js';
import type { ExchangeRig, OrderState } from './rig.js';

/** ccxt's okx places plain orders through batch-orders (one order a batch). */
const CREATE = '/api/v5/trade/batch-orders';
const LOOKUPS = new Set(['/api/v5/trade/order', '/api/v5/trade/order-algo']);

function state(s: OkxOrderView['state'] | string): OrderState {
  if (s === 'filled' || s === 'effective') return 'filled';
  if (s === 'live' || s === 'partially_filled') return 'open';
  if (s === 'canceled') return 'canceled';
  return 'other';
}

export const okxRig: ExchangeRig = {
  id: 'okx',
  async start() {
    const sim = await startOkxSimulator({
      balances: { USDT: 10_000_000, BTC: 100, ETH: 1000, SOL: 100_000 },
      swap: { balances: { USDT: 10_000_000 } },
    });
    return {
      url: sim.url,
      apiKey: sim.apiKey,
      secret: sim.secret,
      password: sim.passphrase,
      close: () => sim.close(),
      injectFault: (f) => sim.injectFault(f),
      clearFaults: () => sim.clearFaults(),
      setReachable: (r) => sim.setReachable(r),
      requests: (f) => sim.requests(f),
      setPrice: (s, p) => sim.setPrice(s, p),
      sends: (cid) => sim.requests({ method: 'POST' }).filter((r) => (r.path === CREATE || r.path === '/api/v5/trade/order') && r.params.clOrdId === cid),
      lookups: (cid) => sim.requests({ method: 'GET' }).filter((r) => LOOKUPS.has(r.path) && (r.params.clOrdId === cid || r.params.algoClOrdId === cid)),
      orders: (cid) => sim.ordersByClOrdId(cid).filter((o) => o.algoId === '').map((o) => state(o.state)),
      allOrderClientIds: () => sim.orders().filter((o) => o.algoId === '').map((o) => o.clOrdId),
      triggers: (cid) =>
        sim
          .algoOrders()
          .filter((a) => a.algoClOrdId === cid)
          .map((a) => ({ state: state(a.state), triggerPrice: a.slTriggerPx || a.tpTriggerPx || a.triggerPx, reduceOnly: a.reduceOnly })),
      position: (s) => sim.position(`${s.replace(/USDT$/, '')}-USDT-SWAP`),
    };
  },
  spot: [
    { symbol: 'OKX:BTCUSDT', simSymbol: 'BTCUSDT', quantity: '0.001', price: '65000', perp: false, simPosition: 0 },
    { symbol: 'OKX:ETHUSDT', simSymbol: 'ETHUSDT', quantity: '0.01', price: '3200', perp: false, simPosition: 0 },
  ],
  // Alerts in base units; OKX counts contracts: BTC-USDT-SWAP is 0.01 BTC a contract, ETH-USDT-SWAP 0.1 ETH.
  perp: [
    { symbol: 'OKX:BTCUSDT.P', simSymbol: 'BTCUSDT', quantity: '0.01', price: '65000', perp: true, simPosition: 1 },
    { symbol: 'OKX:ETHUSDT.P', simSymbol: 'ETHUSDT', quantity: '0.2', price: '3200', perp: true, simPosition: 2 },
  ],
  cid: (alertId, leg) => clientOrderIdFor('okx', alertId, leg),
  create: { method: 'POST', path: CREATE },
  triggerCreate: { method: 'POST', path: '/api/v5/trade/order-algo' },
  lookup: { method: 'GET', path: '/api/v5/trade/order' },
  spotProtectiveGap: null,
  maybeExecutedCodes: ['50013', '50026'],
};
