/**
 * Binance spot OCO order lists (POST /api/v3/orderList/oco): two orders, one above the last
 * price and one below, that hold the same funds once. When one of them executes (the limit
 * fills, the stop triggers) the other ends EXPIRED; cancelling either cancels both (the list is
 * ALL_DONE). Shapes from Binance's spot API docs ("New Order list - OCO").
 */
import type { Engine, Order } from './engine.js';
import { BinanceError, errors } from './errors.js';
import { fmt } from './decimal.js';
import { randomClientId } from './order-book.js';
import { orderCore } from './serialize.js';
import { clientIdParam, decimalParam, optional, type Params, required } from './order-params.js';
import type { OrderSide, OrderType } from './types.js';

export interface OrderList {
  orderListId: number;
  listClientOrderId: string;
  symbol: string;
  orders: Order[];
  transactionTime: number;
}

const ABOVE: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'];
const BELOW: readonly OrderType[] = ['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'];

export interface OcoLegRequest {
  type: OrderType;
  price?: bigint;
  stopPrice?: bigint;
  timeInForce?: string;
  clientOrderId?: string;
}

export interface OcoRequest {
  symbol: string;
  side: OrderSide;
  quantity: bigint;
  listClientOrderId?: string;
  above: OcoLegRequest;
  below: OcoLegRequest;
}

function leg(params: Params, where: 'above' | 'below'): OcoLegRequest {
  const typeRaw = required(params, `${where}Type`);
  if (!(where === 'above' ? ABOVE : BELOW).includes(typeRaw as OrderType)) throw new BinanceError(400, -1116, 'Invalid orderType.');
  const type = typeRaw as OrderType;
  const out: OcoLegRequest = { type };
  const price = decimalParam(params, `${where}Price`);
  const stopPrice = decimalParam(params, `${where}StopPrice`);
  const tif = optional(params, `${where}TimeInForce`);
  const id = clientIdParam(params, `${where}ClientOrderId`);
  const needsPrice = type === 'LIMIT_MAKER' || type.endsWith('_LIMIT');
  const needsStop = type !== 'LIMIT_MAKER';
  if (needsPrice && price === undefined) throw errors.mandatory(`${where}Price`);
  if (needsStop && stopPrice === undefined) throw errors.mandatory(`${where}StopPrice`);
  if (type.endsWith('_LIMIT') && tif === undefined) throw errors.mandatory(`${where}TimeInForce`);
  if (price !== undefined) out.price = price;
  if (stopPrice !== undefined) out.stopPrice = stopPrice;
  if (tif !== undefined) out.timeInForce = tif;
  if (id !== undefined) out.clientOrderId = id;
  return out;
}

/** POST /api/v3/orderList/oco parameters, checked as Binance's gateway checks them. */
export function readOco(params: Params): OcoRequest {
  const symbol = required(params, 'symbol');
  const side = required(params, 'side');
  if (side !== 'BUY' && side !== 'SELL') throw errors.invalidSide();
  const quantity = decimalParam(params, 'quantity');
  if (quantity === undefined) throw errors.mandatory('quantity');
  const above = leg(params, 'above');
  const below = leg(params, 'below');
  // A sell list is a take-profit above and a stop below; a buy list the other way round.
  const limitSide = side === 'SELL' ? above : below;
  const stopSide = side === 'SELL' ? below : above;
  if (limitSide.type !== 'LIMIT_MAKER' && !limitSide.type.startsWith('TAKE_PROFIT')) throw new BinanceError(400, -1106, `Parameter '${side === 'SELL' ? 'aboveType' : 'belowType'}' must be LIMIT_MAKER or TAKE_PROFIT* for a ${side} order list.`);
  if (!stopSide.type.startsWith('STOP_LOSS')) throw new BinanceError(400, -1106, `Parameter '${side === 'SELL' ? 'belowType' : 'aboveType'}' must be STOP_LOSS or STOP_LOSS_LIMIT for a ${side} order list.`);
  const req: OcoRequest = { symbol, side, quantity, above, below };
  const listId = clientIdParam(params, 'listClientOrderId');
  if (listId !== undefined) req.listClientOrderId = listId;
  return req;
}

/** The list's price rule: the above order's price over the last price, the below order's under it. */
export function checkOcoPrices(r: OcoRequest, last: bigint): void {
  const at = (l: OcoLegRequest) => (l.type === 'LIMIT_MAKER' ? (l.price as bigint) : (l.stopPrice as bigint));
  if (!(at(r.above) > last && at(r.below) < last)) throw new BinanceError(400, -1013, 'The relationship of the prices for the orders is not correct.');
}

/** The list as POST orderList/oco and GET orderList answer it. */
export function orderListResponse(l: OrderList, withReports: boolean): Record<string, unknown> {
  const done = l.orders.every((o) => o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED');
  const body: Record<string, unknown> = {
    orderListId: l.orderListId,
    contingencyType: 'OCO',
    listStatusType: done ? 'ALL_DONE' : 'EXEC_STARTED',
    listOrderStatus: done ? 'ALL_DONE' : 'EXECUTING',
    listClientOrderId: l.listClientOrderId,
    transactionTime: l.transactionTime,
    symbol: l.symbol,
    orders: l.orders.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
  };
  if (withReports) {
    body.orderReports = l.orders.map((o) => ({
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: o.orderListId,
      clientOrderId: o.clientOrderId,
      transactTime: l.transactionTime,
      ...orderCore(o),
      ...(o.type === 'LIMIT_MAKER' ? {} : { stopPrice: fmt(o.stopPrice) }),
      workingTime: o.workingTime,
      selfTradePreventionMode: 'EXPIRE_MAKER',
    }));
  }
  return body;
}

/** POST /api/v3/orderList/oco */
export function placeOcoRoute(engine: Engine, params: Params, onCreated: (o: Order) => void): unknown {
  const list = engine.placeOco(readOco(params), () => randomClientId());
  for (const o of list.orders) onCreated(o);
  return orderListResponse(list, true);
}
