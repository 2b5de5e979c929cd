/**
 * POST /v5/order/create's body, validated with zod at the edge: what ccxt's bybit class (and a
 * person with curl) sends. Anything malformed is Bybit's 10001 "params error".
 */
import { z } from 'zod';
import { type Dec, parseDecStrict, ZERO } from '../exchange-simulator/decimal.js';
import { bybitErrors, type Category } from './errors.js';

/** Bybit's orderLinkId rule: up to 36 of [A-Za-z0-9_-]. */
export const ORDER_LINK_ID_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;

const decimal = z.union([z.string(), z.number()]).transform((v) => String(v));
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');

const schema = z.looseObject({
  category: z.enum(['spot', 'linear']),
  symbol: z.string().min(1),
  side: z.enum(['Buy', 'Sell']),
  orderType: z.enum(['Market', 'Limit']),
  qty: decimal,
  price: decimal.optional(),
  timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'PostOnly']).optional(),
  orderLinkId: z.string().optional(),
  marketUnit: z.enum(['baseCoin', 'quoteCoin']).optional(),
  orderFilter: z.enum(['Order', 'StopOrder', 'tpslOrder']).optional(),
  triggerPrice: decimal.optional(),
  triggerDirection: z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')]).transform(Number).optional(),
  reduceOnly: flag.optional(),
  closeOnTrigger: flag.optional(),
  positionIdx: z.union([z.number(), z.string()]).transform(Number).optional(),
  takeProfit: decimal.optional(),
  stopLoss: decimal.optional(),
  tpslMode: z.enum(['Full', 'Partial']).optional(),
});

export interface CreateRequest {
  category: Category;
  symbol: string;
  side: 'Buy' | 'Sell';
  orderType: 'Market' | 'Limit';
  qtyText: string;
  qty: Dec;
  price: Dec;
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
  orderLinkId: string | undefined;
  marketUnit: 'baseCoin' | 'quoteCoin' | undefined;
  triggerPrice: Dec;
  triggerDirection: 0 | 1 | 2;
  reduceOnly: boolean;
  closeOnTrigger: boolean;
  positionIdx: number;
  takeProfit: Dec;
  stopLoss: Dec;
  tpslMode: 'Full' | 'Partial' | undefined;
}

function dec(text: string | undefined, field: string): Dec {
  if (text === undefined || text === '') return ZERO;
  const parsed = parseDecStrict(text);
  if (!parsed.ok) throw bybitErrors.params(`${field} invalid`);
  return parsed.value;
}

/** The body as a CreateRequest, or Bybit's 10001 naming the first bad field. */
export function readCreateRequest(body: unknown): CreateRequest {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'body';
    throw bybitErrors.params(`${field} invalid`);
  }
  const b = parsed.data;
  if (b.orderLinkId !== undefined && !ORDER_LINK_ID_PATTERN.test(b.orderLinkId)) throw bybitErrors.params('orderLinkId invalid');
  const qty = dec(b.qty, 'qty');
  if (qty <= ZERO) throw bybitErrors.params('Qty invalid');
  const price = dec(b.price, 'price');
  if (b.orderType === 'Limit' && price <= ZERO) throw bybitErrors.params('price invalid');
  return {
    category: b.category, symbol: b.symbol, side: b.side, orderType: b.orderType, qtyText: b.qty, qty, price: b.orderType === 'Limit' ? price : ZERO,
    timeInForce: b.orderType === 'Market' ? 'IOC' : (b.timeInForce ?? 'GTC'), orderLinkId: b.orderLinkId, marketUnit: b.marketUnit,
    triggerPrice: dec(b.triggerPrice, 'triggerPrice'), triggerDirection: (b.triggerDirection ?? 0) as 0 | 1 | 2, reduceOnly: b.reduceOnly ?? false,
    closeOnTrigger: b.closeOnTrigger ?? false, positionIdx: b.positionIdx ?? 0, takeProfit: dec(b.takeProfit, 'takeProfit'),
    stopLoss: dec(b.stopLoss, 'stopLoss'), tpslMode: b.tpslMode,
  };
}
