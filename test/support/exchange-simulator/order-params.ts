/** Reads and checks request parameters the way Binance's REST gateway does, before the engine sees them. */
import { type Dec, parseDecStrict } from './decimal.js';
import type { PlaceRequest } from './engine.js';
import { BinanceError, errors } from './errors.js';
import type { OrderSide, OrderType } from './types.js';
import { ORDER_TYPES } from './markets.js';

export type Params = Record<string, string>;

export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const CLIENT_ORDER_ID_RANGE = '^[\\.A-Z\\:/a-z0-9_-]{1,36}$';
const NUMBER_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const TIME_IN_FORCE = new Set(['GTC', 'IOC', 'FOK']);

export function optional(params: Params, name: string): string | undefined {
  const v = params[name];
  return v === undefined || v === '' ? undefined : v;
}

export function required(params: Params, name: string): string {
  const v = optional(params, name);
  if (v === undefined) throw errors.mandatory(name);
  return v;
}

export function decimalParam(params: Params, name: string): Dec | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  const parsed = parseDecStrict(raw);
  if (!parsed.ok) throw parsed.reason === 'precision' ? errors.tooMuchPrecision(name) : errors.illegalChars(name, NUMBER_RANGE);
  return parsed.value;
}

export function integerParam(params: Params, name: string): number | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw errors.illegalChars(name);
  return Number(raw);
}

export function clientIdParam(params: Params, name: string): string | undefined {
  const raw = optional(params, name);
  if (raw !== undefined && !CLIENT_ORDER_ID_PATTERN.test(raw)) throw errors.illegalChars(name, CLIENT_ORDER_ID_RANGE);
  return raw;
}

export type RespType = 'ACK' | 'RESULT' | 'FULL';

/** POST /api/v3/order parameters -> a PlaceRequest and the response type wanted. */
export function readNewOrder(params: Params): { request: PlaceRequest; respType: RespType } {
  const symbol = required(params, 'symbol');
  const sideRaw = required(params, 'side');
  if (sideRaw !== 'BUY' && sideRaw !== 'SELL') throw errors.invalidSide();
  const typeRaw = required(params, 'type');
  if (!(ORDER_TYPES as readonly string[]).includes(typeRaw)) throw errors.invalidOrderType();
  const side = sideRaw as OrderSide;
  const type = typeRaw as OrderType;
  const newClientOrderId = clientIdParam(params, 'newClientOrderId');
  const quantity = decimalParam(params, 'quantity');
  const quoteOrderQty = decimalParam(params, 'quoteOrderQty');
  const price = decimalParam(params, 'price');
  const stopPrice = decimalParam(params, 'stopPrice');
  const timeInForce = optional(params, 'timeInForce');
  const needsTif = type === 'LIMIT' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
  const needsPrice = needsTif || type === 'LIMIT_MAKER';
  const needsStop = type.startsWith('STOP_LOSS') || type.startsWith('TAKE_PROFIT');
  if (type === 'MARKET') {
    if (quantity === undefined && quoteOrderQty === undefined) {
      throw new BinanceError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
    }
    if (quantity !== undefined && quoteOrderQty !== undefined) throw errors.paramNotRequired('quoteOrderQty');
  } else {
    if (quantity === undefined) throw errors.mandatory('quantity');
    if (quoteOrderQty !== undefined) throw errors.paramNotRequired('quoteOrderQty');
  }
  if (needsTif && timeInForce === undefined) throw errors.mandatory('timeInForce');
  if (!needsTif && timeInForce !== undefined && type !== 'LIMIT_MAKER') throw errors.paramNotRequired('timeInForce');
  if (timeInForce !== undefined && !TIME_IN_FORCE.has(timeInForce)) throw errors.invalidTimeInForce();
  if (needsPrice && price === undefined) throw errors.mandatory('price');
  if (!needsPrice && price !== undefined) throw errors.paramNotRequired('price');
  if (needsStop && stopPrice === undefined) throw errors.mandatory('stopPrice');
  if (!needsStop && stopPrice !== undefined) throw errors.paramNotRequired('stopPrice');
  const respRaw = optional(params, 'newOrderRespType');
  if (respRaw !== undefined && respRaw !== 'ACK' && respRaw !== 'RESULT' && respRaw !== 'FULL') {
    throw new BinanceError(400, -1100, "Illegal characters found in parameter 'newOrderRespType'.");
  }
  const respType: RespType = respRaw ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK');
  const request: PlaceRequest = { symbol, side, type };
  if (timeInForce !== undefined) request.timeInForce = timeInForce;
  if (quantity !== undefined) request.quantity = quantity;
  if (quoteOrderQty !== undefined) request.quoteOrderQty = quoteOrderQty;
  if (price !== undefined) request.price = price;
  if (stopPrice !== undefined) request.stopPrice = stopPrice;
  if (newClientOrderId !== undefined) request.newClientOrderId = newClientOrderId;
  return { request, respType };
}

/** orderId / origClientOrderId of GET and DELETE /api/v3/order. */
export function readOrderRef(params: Params): { symbol: string; orderId?: number; origClientOrderId?: string } {
  const symbol = required(params, 'symbol');
  const orderId = integerParam(params, 'orderId');
  const origClientOrderId = optional(params, 'origClientOrderId');
  if (orderId === undefined && origClientOrderId === undefined) {
    throw new BinanceError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
  }
  const ref: { symbol: string; orderId?: number; origClientOrderId?: string } = { symbol };
  if (orderId !== undefined) ref.orderId = orderId;
  if (origClientOrderId !== undefined) ref.origClientOrderId = origClientOrderId;
  return ref;
}
