/**
 * Binance spot OCO order lists through ccxt's raw endpoint (`POST /api/v3/orderList/oco`, ccxt
 * `privatePostOrderListOco`): ccxt has no unified OCO. A stop-loss and a take-profit limit
 * (LIMIT_MAKER) for the same coins, each with our own clientOrderId, so each is looked up,
 * tracked and cancelled like any other order.
 */
import type { Exchange, Order } from 'ccxt';
import type { VenueMarket, VenueOrderRequest } from '../core/ports.js';

type RawOco = (params: Record<string, unknown>) => Promise<{ orderReports?: Record<string, unknown>[]; orders?: Record<string, unknown>[] }>;

function rawOco(ex: Exchange): RawOco | null {
  const fn = (ex as unknown as Record<string, unknown>).privatePostOrderListOco;
  return typeof fn === 'function' ? (fn.bind(ex) as RawOco) : null;
}

/** Whether this exchange places spot OCO order lists (Binance spot and its testnet). */
export function supportsSpotOco(ex: Exchange): boolean {
  return ex.id === 'binance' && rawOco(ex) !== null;
}

/** The stop-loss of `r` and its `r.oco` take-profit as one list; resolves with the stop-loss order. */
export async function createSpotOco(ex: Exchange, m: VenueMarket, r: VenueOrderRequest & { oco: NonNullable<VenueOrderRequest['oco']> }): Promise<Order> {
  const fn = rawOco(ex);
  if (!fn) throw new Error(`${ex.id} has no OCO order list endpoint in this ccxt`);
  const target = { Type: 'LIMIT_MAKER', Price: ex.priceToPrecision(m.symbol, r.oco.takeProfitPrice), ClientOrderId: r.oco.takeProfitClientOrderId };
  const stop = { Type: 'STOP_LOSS', StopPrice: ex.priceToPrecision(m.symbol, r.triggerPrice ?? 0), ClientOrderId: r.clientOrderId };
  // A sell list: the take-profit above the price, the stop below; a buy list the other way round.
  const [above, below] = r.side === 'sell' ? [target, stop] : [stop, target];
  const params: Record<string, unknown> = {
    symbol: m.id,
    side: r.side.toUpperCase(),
    quantity: ex.amountToPrecision(m.symbol, r.amount),
    listClientOrderId: `${r.clientOrderId}L`,
    newOrderRespType: 'FULL',
  };
  for (const [k, v] of Object.entries(above)) params[`above${k}`] = v;
  for (const [k, v] of Object.entries(below)) params[`below${k}`] = v;
  const res = await fn(params);
  const report = (res.orderReports ?? []).find((o) => o.clientOrderId === r.clientOrderId) ?? (res.orders ?? []).find((o) => o.clientOrderId === r.clientOrderId);
  if (!report) throw new Error(`${ex.id} answered the OCO order list without the stop-loss ${r.clientOrderId}`);
  return ex.parseOrder(report, ex.market(m.symbol));
}
