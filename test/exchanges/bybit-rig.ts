/** The Bybit v5 simulator as an ExchangeRig (unified account: spot and USDT perpetuals). */
import { startBybitSimulator, type BybitOrderView } from '../support/bybit-simulator/index.js';
import { clientOrderIdFor } from '../../main/engine/venues/exchanges/index.js';
import type { ExchangeRig, OrderState } from './rig.js';

const CREATE = '/v5/order/create';
const LOOKUPS = new Set(['/v5/order/realtime', '/v5/order/history']);

function state(o: BybitOrderView): OrderState {
  if (o.status === 'Filled') return 'filled';
  if (o.status === 'New' || o.status === 'PartiallyFilled' || o.status === 'Untriggered') return 'open';
  if (o.status === 'Cancelled' || o.status === 'Deactivated' || o.status === 'PartiallyFilledCanceled') return 'canceled';
  return 'other';
}

export const bybitRig: ExchangeRig = {
  id: 'bybit',
  async start() {
    const sim = await startBybitSimulator({
      balances: { USDT: 10_000_000, BTC: 100, ETH: 1000, SOL: 100_000 },
      linear: { balances: { USDT: 10_000_000 } },
    });
    return {
      url: sim.url,
      apiKey: sim.apiKey,
      secret: sim.secret,
      close: () => sim.close(),
      injectFault: (f) => sim.injectFault(f),
      clearFaults: () => sim.clearFaults(),
      setReachable: (r) => sim.setReachable(r),
      requests: (f) => sim.requests(f),
      setPrice: (s, p) => sim.setPrice(s, p),
      sends: (cid) => sim.requests({ method: 'POST', path: CREATE }).filter((r) => r.params.orderLinkId === cid),
      lookups: (cid) => sim.requests({ method: 'GET' }).filter((r) => LOOKUPS.has(r.path) && r.params.orderLinkId === cid),
      orders: (cid) => sim.ordersByLinkId(cid).filter((o) => !(o.triggerPrice > 0)).map(state),
      allOrderClientIds: () => sim.orders().filter((o) => !(o.triggerPrice > 0)).map((o) => o.orderLinkId),
      triggers: (cid) => sim.ordersByLinkId(cid).filter((o) => o.triggerPrice > 0).map((o) => ({ state: state(o), triggerPrice: o.triggerPrice, reduceOnly: o.reduceOnly })),
      restart: () => sim.restart(),
      position: (s) => sim.position(s).size,
    };
  },
  spot: [
    { symbol: 'BYBIT:BTCUSDT', simSymbol: 'BTCUSDT', quantity: '0.001', price: '65000', perp: false, simPosition: 0 },
    { symbol: 'BYBIT:ETHUSDT', simSymbol: 'ETHUSDT', quantity: '0.01', price: '3200', perp: false, simPosition: 0 },
  ],
  perp: [
    { symbol: 'BYBIT:BTCUSDT.P', simSymbol: 'BTCUSDT', quantity: '0.01', price: '65000', perp: true, simPosition: 0.01 },
    { symbol: 'BYBIT:ETHUSDT.P', simSymbol: 'ETHUSDT', quantity: '0.1', price: '3200', perp: true, simPosition: 0.1 },
  ],
  cid: (alertId, leg) => clientOrderIdFor('bybit', alertId, leg),
  create: { method: 'POST', path: CREATE },
  triggerCreate: { method: 'POST', path: CREATE },
  lookup: { method: 'GET', path: '/v5/order/realtime' },
  spotProtectiveGap: null,
  maybeExecutedCodes: [10016, 170146],
};
