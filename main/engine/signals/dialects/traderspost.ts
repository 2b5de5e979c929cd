/**
 * TradersPost-style JSON (`ticker`, `action`, `sentiment`, `quantity` + `quantityType`,
 * `takeProfit`, `stopLoss`…) read as a Signal. `sentiment` says where the strategy ends up, like
 * TradingView's market_position: see the semantics table.
 */
import { z } from 'zod';
import { compact, field, orderTypeField, sentimentField, strategyName, text } from '../fields.js';
import type { Action, Level, Signal } from '../signal.js';
import { parseNumber, parsePositive, parseTime } from '../values.js';
import type { Dialect } from './dialect.js';


const tpLevel = (name: string) =>
  z
    .looseObject({
      type: z.string().optional(),
      limitPrice: field(parsePositive, `${name}.limitPrice`).optional(),
      stopPrice: field(parsePositive, `${name}.stopPrice`).optional(),
      percent: field(parsePositive, `${name}.percent`).optional(),
      amount: field(parsePositive, `${name}.amount`).optional(),
      trailPercent: field(parsePositive, `${name}.trailPercent`).optional(),
    })
    .optional();

const tradersPostShape = {
  secret: z.string().optional(),
  ticker: text('ticker', 64),
  action: z
    .string({ error: 'action must be a string' })
    .transform((s) => s.trim().toLowerCase())
    .pipe(
      z.enum(['buy', 'sell', 'exit', 'cancel', 'add'], {
        error: (iss) => `unknown action ${JSON.stringify(String(iss.input))}: use buy, sell, exit, cancel or add`,
      }),
    ),
  sentiment: sentimentField.optional(),
  /** Signed target, as TradersPost's own `position_size` extension and TradingView send it. */
  position_size: field(parseNumber, 'position_size').optional(),
  quantity: field(parsePositive, 'quantity').optional(),
  quantityType: z
    .enum(['fixed_quantity', 'dollar_amount', 'percent_of_equity', 'percent_of_position'], {
      error: 'quantityType must be fixed_quantity, dollar_amount, percent_of_equity or percent_of_position',
    })
    .optional(),
  orderType: orderTypeField.optional(),
  price: field(parsePositive, 'price').optional(),
  limitPrice: field(parsePositive, 'limitPrice').optional(),
  takeProfit: tpLevel('takeProfit'),
  stopLoss: tpLevel('stopLoss'),
  strategy: strategyName.optional(),
  time: field(parseTime, 'time').optional(),
  timestamp: field(parseTime, 'timestamp').optional(),
  signalId: z.union([z.string(), z.number()]).transform(String).pipe(text('signalId', 128)).optional(),
};

export const tradersPostSchema = z.looseObject(tradersPostShape);
/** The fields TradersPost messages may carry; anything else is answered with a warning. */
export const TRADERSPOST_FIELDS: readonly string[] = Object.keys(tradersPostShape);

export function tradersPostToSignal(t: z.output<typeof tradersPostSchema>): Signal | { error: string } {
  // exit, add and sentiment keep their meaning: the semantics table reads them.
  const action: Action = t.action;

  let quantity: Signal['quantity'];
  if (t.quantity !== undefined) {
    if (t.quantityType === 'dollar_amount') quantity = { kind: 'quote', value: t.quantity, currency: 'USD' };
    else if (t.quantityType === 'percent_of_equity' || t.quantityType === 'percent_of_position') {
      if (t.quantity > 100) return { error: `quantity: more than 100% (${t.quantity}%)` };
      quantity = { kind: 'percent', value: t.quantity };
    } else quantity = { kind: 'base', value: t.quantity };
  }
  const entry = t.limitPrice ?? t.price;
  const side = action === 'sell' ? -1 : 1;
  const level = (l: z.output<ReturnType<typeof tpLevel>>, name: string, dir: number): Level | { error: string } | undefined => {
    if (!l) return undefined;
    const price = l.limitPrice ?? l.stopPrice;
    if (price !== undefined) return { price };
    if (l.percent !== undefined) return { percent: l.percent };
    if (l.amount !== undefined) {
      if (entry === undefined) return { error: `${name}.amount needs a price in the alert` };
      const p = entry + dir * l.amount;
      if (p <= 0) return { error: `${name}.amount puts the level at or below zero` };
      return { price: p };
    }
    return undefined;
  };
  const tp = level(t.takeProfit, 'takeProfit', side);
  const sl = t.stopLoss?.type === 'trailing_stop' ? undefined : level(t.stopLoss, 'stopLoss', -side);
  if (tp && 'error' in tp) return { error: String(tp.error) };
  if (sl && 'error' in sl) return { error: String(sl.error) };
  const trail = t.stopLoss?.type === 'trailing_stop' && t.stopLoss.trailPercent ? { percent: t.stopLoss.trailPercent } : undefined;

  return compact({
    dialect: 'traderspost',
    strategy: t.strategy ?? 'default',
    action,
    marketPosition: t.sentiment,
    targetPosition: t.position_size,
    symbol: t.ticker,
    quantity,
    orderType: t.orderType ?? (t.limitPrice !== undefined ? 'limit' : 'market'),
    price: entry,
    stopLoss: sl as Level | undefined,
    takeProfit: tp as Level | undefined,
    trailingStop: trail,
    id: t.signalId,
    time: t.time ?? t.timestamp,
  });
}

/** TradersPost's JSON: it names the market `ticker` (and has no native `symbol`). */
export const tradersPostDialect: Dialect = {
  name: 'traderspost',
  matches: (json) => 'ticker' in json && !('symbol' in json),
  fields: TRADERSPOST_FIELDS,
  read(json) {
    const r = tradersPostSchema.safeParse(json);
    if (!r.success) return { ok: false, issues: r.error };
    const s = tradersPostToSignal(r.data);
    return 'error' in s ? { ok: false, message: s.error } : { ok: true, signal: s };
  },
};
