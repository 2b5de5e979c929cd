/**
 * zod schemas for the accepted alert dialects. Each turns a parsed JSON object into a `Signal`,
 * or into issues that name the field and say what was expected.
 *
 * - native: the message of DESIGN.md (`strategy`, `action` | `position`, `symbol`, `quantity`…)
 * - seed: the tutorial's message (`action`, `symbol`, `secret`, `price`, `time`): a subset of native
 * - traderspost: TradersPost-style JSON (`ticker`, `action`, `sentiment`, `takeProfit`, `stopLoss`…)
 *
 * Unknown fields are allowed (they stay in the journal's copy of the body) and ignored.
 */
import { z } from 'zod';
import { ACTIONS, type Action, type Level, type Signal } from './signal.js';
import { parseNumber, parsePositive, parseQuantity, parseTime, type Parsed } from './values.js';

/** A zod field backed by one of our tolerant parsers (numbers as strings, quantity forms…). */
function field<T>(parse: (v: unknown, name: string) => Parsed<T>, name: string) {
  return z.unknown().transform((v, ctx): T => {
    const r = parse(v, name);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });
}

const text = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .min(1, { error: `${name} must not be empty` })
    .max(max, { error: `${name} is longer than ${max} characters` });

const strategyName = z
  .string({ error: 'strategy must be a string' })
  .trim()
  .min(1, { error: 'strategy must not be empty' })
  .max(64, { error: 'strategy is longer than 64 characters' })
  .regex(/^[\p{L}\p{N} _.:#()+-]+$/u, { error: 'strategy may use letters, digits, spaces and _ . : # ( ) + - only' });

const actionField = z
  .string({ error: 'action must be a string' })
  .transform((s) => s.trim().toLowerCase().replace(/[\s-]+/g, '_'))
  .pipe(
    z.enum(ACTIONS, {
      error: (iss) => `unknown action ${JSON.stringify(String(iss.input))}: use one of ${ACTIONS.join(', ')}`,
    }),
  );

const orderTypeField = z
  .string({ error: 'order_type must be a string' })
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['market', 'limit'], { error: 'order_type must be market or limit' }));

/** `stop_loss` / `take_profit`: a price (`64000`) or a distance from the entry (`2%`). */
function levelField(name: string) {
  return z.unknown().transform((v, ctx): Level => {
    if (typeof v === 'string' && v.trim().endsWith('%')) {
      const n = parsePositive(v.trim().slice(0, -1), name);
      if (n.ok) return { percent: n.value };
      ctx.addIssue({ code: 'custom', message: `${name} must be a price or a percent like 2%` });
      return z.NEVER;
    }
    const n = parsePositive(v, name);
    if (n.ok) return { price: n.value };
    ctx.addIssue({ code: 'custom', message: n.message });
    return z.NEVER;
  });
}

const legSchema = z.object({
  price: field(parsePositive, 'legs[].price'),
  quantity: field(parseQuantity, 'legs[].quantity'),
});

export const nativeSchema = z
  .looseObject({
    secret: z.string({ error: 'secret must be a string' }).optional(),
    strategy: strategyName.optional(),
    action: actionField.optional(),
    position: field(parseNumber, 'position').optional(),
    symbol: text('symbol', 64),
    quantity: field(parseQuantity, 'quantity').optional(),
    order_type: orderTypeField.optional(),
    price: field(parsePositive, 'price').optional(),
    stop_loss: levelField('stop_loss').optional(),
    take_profit: levelField('take_profit').optional(),
    trailing_stop: z
      .unknown()
      .transform((v, ctx) => {
        const s = typeof v === 'string' ? v.trim().replace(/%$/, '') : v;
        const n = parsePositive(s, 'trailing_stop');
        if (n.ok && n.value < 100) return { percent: n.value };
        ctx.addIssue({ code: 'custom', message: 'trailing_stop must be a percent between 0 and 100, like 1.5%' });
        return z.NEVER;
      })
      .optional(),
    legs: z.array(legSchema).min(1).max(20, { error: 'at most 20 legs in one alert' }).optional(),
    account: text('account', 64).optional(),
    id: z.union([z.string(), z.number()]).transform(String).pipe(text('id', 128)).optional(),
    time: field(parseTime, 'time').optional(),
    comment: z.string().max(500).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.action === undefined && a.position === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: `action is missing: use one of ${ACTIONS.join(', ')}, or give position ({{strategy.position_size}})`,
      });
    }
    if (a.quantity?.kind === 'risk' && a.stop_loss === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'risk-based quantity needs a stop_loss' });
    }
    if (a.legs && a.order_type === 'market') {
      ctx.addIssue({ code: 'custom', path: ['legs'], message: 'legs are limit orders: drop order_type market' });
    }
  });

const SEED_KEYS = new Set(['action', 'symbol', 'secret', 'price', 'time']);

export function nativeToSignal(a: z.output<typeof nativeSchema>, raw: Record<string, unknown>): Signal {
  const seed = Object.keys(raw).every((k) => SEED_KEYS.has(k));
  return compact({
    dialect: seed ? 'seed' : 'native',
    strategy: a.strategy ?? 'default',
    action: a.action,
    targetPosition: a.action === undefined ? a.position : undefined,
    symbol: a.symbol,
    quantity: a.quantity,
    orderType: a.legs ? 'limit' : (a.order_type ?? 'market'),
    price: a.price,
    stopLoss: a.stop_loss,
    takeProfit: a.take_profit,
    trailingStop: a.trailing_stop,
    legs: a.legs,
    account: a.account,
    id: a.id,
    time: a.time,
    comment: a.comment,
  });
}

// --- TradersPost-style JSON -------------------------------------------------------------

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

export const tradersPostSchema = z.looseObject({
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
  sentiment: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(['bullish', 'bearish', 'flat', 'long', 'short'], { error: 'sentiment must be bullish, bearish or flat' }))
    .optional(),
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
});

export function tradersPostToSignal(t: z.output<typeof tradersPostSchema>): Signal | { error: string } {
  let action: Action;
  if (t.action === 'exit') action = 'close';
  else if (t.action === 'cancel') action = 'cancel';
  else if (t.action === 'add') action = 'buy';
  else if (t.sentiment === 'flat') action = t.action === 'sell' ? 'close_long' : 'close_short';
  else action = t.action;

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

/** Drop undefined fields so journaled signals stay small and compare cleanly. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
