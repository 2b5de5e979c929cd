/** The order and algo order bodies OKX accepts, validated with zod; a bad field is sCode 51000. */
import { z } from 'zod';
import { type Dec, parseDecStrict, ZERO } from '../exchange-simulator/decimal.js';
import { okxErrors } from './errors.js';

const decimal = z.union([z.string(), z.number()]).transform((v) => String(v));
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');

const order = z.looseObject({
  instId: z.string().min(1),
  tdMode: z.enum(['cash', 'cross', 'isolated']),
  side: z.enum(['buy', 'sell']),
  ordType: z.enum(['market', 'limit', 'post_only', 'fok', 'ioc', 'optimal_limit_ioc']),
  sz: decimal,
  px: decimal.optional(),
  clOrdId: z.string().optional(),
  tag: z.string().optional(),
  reduceOnly: flag.optional(),
  tgtCcy: z.enum(['base_ccy', 'quote_ccy']).optional(),
  posSide: z.enum(['net', 'long', 'short']).optional(),
  attachAlgoOrds: z.unknown().optional(),
});

const algo = z.looseObject({
  instId: z.string().min(1),
  tdMode: z.enum(['cash', 'cross', 'isolated']),
  side: z.enum(['buy', 'sell']),
  ordType: z.enum(['trigger', 'conditional']),
  sz: decimal,
  triggerPx: decimal.optional(),
  orderPx: decimal.optional(),
  slTriggerPx: decimal.optional(),
  slOrdPx: decimal.optional(),
  tpTriggerPx: decimal.optional(),
  tpOrdPx: decimal.optional(),
  algoClOrdId: z.string().optional(),
  clOrdId: z.string().optional(),
  reduceOnly: flag.optional(),
});

export interface OrderRequest {
  instId: string;
  tdMode: string;
  side: 'buy' | 'sell';
  ordType: 'market' | 'limit' | 'post_only' | 'fok' | 'ioc' | 'optimal_limit_ioc';
  sz: Dec;
  px: Dec;
  clOrdId: string | undefined;
  tag: string | undefined;
  reduceOnly: boolean;
  tgtCcy: 'base_ccy' | 'quote_ccy' | undefined;
}

export interface AlgoRequest {
  instId: string;
  tdMode: string;
  side: 'buy' | 'sell';
  ordType: 'trigger' | 'conditional';
  sz: Dec;
  triggerPx: Dec;
  /** ZERO: market (OKX's -1). */
  orderPx: Dec;
  slTriggerPx: Dec;
  slOrdPx: Dec;
  tpTriggerPx: Dec;
  tpOrdPx: Dec;
  algoClOrdId: string | undefined;
  clOrdId: string | undefined;
  reduceOnly: boolean;
}

/** A price field: "-1" means market (ZERO here). */
function dec(text: string | undefined, field: string): Dec {
  if (text === undefined || text === '' || text === '-1') return ZERO;
  const parsed = parseDecStrict(text);
  if (!parsed.ok) throw okxErrors.paramOp(field);
  return parsed.value;
}

function fail(error: z.ZodError): never {
  throw okxErrors.paramOp(String(error.issues[0]?.path[0] ?? 'body'));
}

export function readOrderRequest(body: unknown): OrderRequest {
  const parsed = order.safeParse(body);
  if (!parsed.success) fail(parsed.error);
  const b = parsed.data;
  if (b.attachAlgoOrds !== undefined) throw okxErrors.paramOp('attachAlgoOrds (exchange simulator: TP/SL attached to an order is not simulated)');
  const sz = dec(b.sz, 'sz');
  if (sz <= ZERO) throw okxErrors.paramOp('sz');
  const px = dec(b.px, 'px');
  if (b.ordType !== 'market' && b.ordType !== 'optimal_limit_ioc' && px <= ZERO) throw okxErrors.paramOp('px');
  return { instId: b.instId, tdMode: b.tdMode, side: b.side, ordType: b.ordType, sz, px, clOrdId: b.clOrdId, tag: b.tag, reduceOnly: b.reduceOnly ?? false, tgtCcy: b.tgtCcy };
}

export function readAlgoRequest(body: unknown): AlgoRequest {
  const parsed = algo.safeParse(body);
  if (!parsed.success) fail(parsed.error);
  const b = parsed.data;
  const sz = dec(b.sz, 'sz');
  if (sz <= ZERO) throw okxErrors.paramOp('sz');
  return {
    instId: b.instId, tdMode: b.tdMode, side: b.side, ordType: b.ordType, sz, triggerPx: dec(b.triggerPx, 'triggerPx'), orderPx: dec(b.orderPx, 'orderPx'),
    slTriggerPx: dec(b.slTriggerPx, 'slTriggerPx'), slOrdPx: dec(b.slOrdPx, 'slOrdPx'), tpTriggerPx: dec(b.tpTriggerPx, 'tpTriggerPx'),
    tpOrdPx: dec(b.tpOrdPx, 'tpOrdPx'), algoClOrdId: b.algoClOrdId, clOrdId: b.clOrdId, reduceOnly: b.reduceOnly ?? false,
  };
}

