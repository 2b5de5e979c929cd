/**
 * The native alert dialect (TradersPost's is traderspost.ts beside it; dialect-table.ts picks one): a parsed JSON object
 * to a `Signal`, or issues that name the field and say what was expected.
 *
 * - native: the message of DESIGN.md (`strategy`, `action` | `position`, `symbol`, `quantity`…)
 *   with TradingView's strategy fields (`contracts`, `market_position`, `prev_market_position`,
 *   `position_size`, `market_position_size`) and TradersPost's `sentiment`
 * - seed: the tutorial's message (`action`, `symbol`, `secret`, `price`, `time`): a subset of native
 *
 * Unknown fields are allowed (they stay in the journal's copy of the body) and answered with a
 * warning (read-alert.ts).
 */
import { z } from 'zod';
import { actionField, compact, entryOrderTypeField, field, levelField, marketPositionField, sentimentField, strategyName, text } from '../fields.js';
import { levelNumberField, takeProfitField } from '../ladder-fields.js';
import { orderFieldShape, orderFieldValues } from '../order-fields.js';
import { ACTIONS, type Signal } from '../signal.js';
import { parseNumber, parsePositive, parseQuantity, parseTime } from '../values.js';
import type { Dialect } from './dialect.js';
import { readCommonNative } from './native-fast.js';

const legSchema = z.object({
  price: field(parsePositive, 'legs[].price'),
  quantity: field(parseQuantity, 'legs[].quantity'),
});

const nativeShape = {
    secret: z.string({ error: 'secret must be a string' }).optional(),
    strategy: strategyName.optional(),
    action: actionField.optional(),
    position: field(parseNumber, 'position').optional(),
    position_size: field(parseNumber, 'position_size').optional(),
    market_position: marketPositionField('market_position').optional(),
    prev_market_position: marketPositionField('prev_market_position').optional(),
    market_position_size: field(parseNumber, 'market_position_size').optional(),
    sentiment: sentimentField.optional(),
    contracts: field(parseQuantity, 'contracts').optional(),
    symbol: text('symbol', 64),
    quantity: field(parseQuantity, 'quantity').optional(),
    order_type: entryOrderTypeField.optional(),
    price: field(parsePositive, 'price').optional(),
    /** leverage, margin_mode, time_in_force, stop_price, limit_offset, expire_after, trailing_stop: one table. */
    ...orderFieldShape,
    stop_loss: levelField('stop_loss').optional(),
    take_profit: takeProfitField.optional(),
    move_stop_to_breakeven_after: levelNumberField('move_stop_to_breakeven_after').optional(),
    trailing_after: levelNumberField('trailing_after').optional(),
    legs: z.array(legSchema).min(1).max(20, { error: 'at most 20 legs in one alert' }).optional(),
    account: text('account', 64).optional(),
    id: z.union([z.string(), z.number()]).transform(String).pipe(text('id', 128)).optional(),
    time: field(parseTime, 'time').optional(),
    /** TradingView's `{{timenow}}` under its own name: the fire time, as `time`. */
    timenow: field(parseTime, 'timenow').optional(),
    comment: z.string().max(500).optional(),
};

/** The fields the native dialect knows; anything else is answered with a warning. */
export const NATIVE_FIELDS: readonly string[] = Object.keys(nativeShape);

export const nativeSchema = z
  .looseObject(nativeShape)
  .superRefine((a, ctx) => {
    const target = a.position_size ?? a.position;
    const mp = a.market_position ?? a.sentiment;
    const targetKnown = target !== undefined || mp === 'flat' || (mp !== undefined && a.market_position_size !== undefined);
    if ((a.action === undefined || a.action === 'position') && !targetKnown) {
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message:
          a.action === 'position'
            ? 'action "position" needs position_size ({{strategy.position_size}}): the signed position the strategy ends up with'
            : `action is missing: use one of ${ACTIONS.join(', ')}, or give position_size ({{strategy.position_size}})`,
      });
    }
    if (a.market_position_size !== undefined && a.market_position_size < 0) {
      ctx.addIssue({ code: 'custom', path: ['market_position_size'], message: 'market_position_size must be 0 or more (it is unsigned: market_position gives the side)' });
    }
    if (a.quantity?.kind === 'risk' && a.stop_loss === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'risk-based quantity needs a stop_loss' });
    }
    if (a.legs && a.order_type !== undefined && a.order_type !== 'limit') {
      ctx.addIssue({ code: 'custom', path: ['legs'], message: `legs are limit orders: drop order_type ${a.order_type}` });
    }
    if ((a.order_type === 'stop' || a.order_type === 'stop_limit') && a.stop_price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stop_price'], message: `order_type ${a.order_type} needs stop_price: the price that triggers the entry` });
    }
    const levels = a.take_profit && 'ladder' in a.take_profit ? a.take_profit.ladder.length : 0;
    for (const [name, n, needs, needName] of [
      ['move_stop_to_breakeven_after', a.move_stop_to_breakeven_after, a.stop_loss, 'stop_loss'],
      ['trailing_after', a.trailing_after, a.trailing_stop, 'trailing_stop'],
    ] as const) {
      if (n === undefined) continue;
      if (levels === 0) ctx.addIssue({ code: 'custom', path: [name], message: `${name} counts take-profit levels: give take_profit as a list, like [{"price": "2%", "size": "50%"}, {"price": "4%", "size": "50%"}]` });
      else if (n > levels) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is ${n} but take_profit has only ${levels} level(s)` });
      if (needs === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `${name} needs ${needName}: ${needName === 'stop_loss' ? 'the stop that moves to breakeven' : 'the trailing distance, like 1.5%'}` });
    }
    if (a.order_type === 'stop_limit' && a.price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'order_type stop_limit needs price: the limit placed once stop_price triggers' });
    }
  });

const SEED_KEYS = new Set(['action', 'symbol', 'secret', 'price', 'time']);

export function nativeToSignal(a: z.output<typeof nativeSchema>, raw: Record<string, unknown>): Signal {
  const seed = Object.keys(raw).every((k) => SEED_KEYS.has(k));
  const warnings: string[] = [];
  if (a.quantity && a.contracts && JSON.stringify(a.quantity) !== JSON.stringify(a.contracts)) {
    warnings.push('contracts ignored: quantity is given and wins');
  }
  if (a.position !== undefined && a.position_size !== undefined && a.position !== a.position_size) {
    warnings.push('position ignored: position_size is given and wins');
  }
  if (a.market_position && a.sentiment && a.market_position !== a.sentiment) {
    warnings.push('sentiment ignored: market_position is given and wins');
  }
  return compact({
    dialect: seed ? 'seed' : 'native',
    strategy: a.strategy ?? 'default',
    action: a.action,
    targetPosition: a.position_size ?? a.position,
    marketPosition: a.market_position ?? a.sentiment,
    prevMarketPosition: a.prev_market_position,
    marketPositionSize: a.market_position_size,
    symbol: a.symbol,
    quantity: a.quantity ?? a.contracts,
    orderType: a.legs ? 'limit' : (a.order_type ?? 'market'),
    price: a.price,
    ...orderFieldValues(a),
    stopLoss: a.stop_loss,
    takeProfit: a.take_profit && 'single' in a.take_profit ? a.take_profit.single : undefined,
    takeProfitLadder: a.take_profit && 'ladder' in a.take_profit ? a.take_profit.ladder : undefined,
    breakevenAfter: a.move_stop_to_breakeven_after,
    trailingAfter: a.trailing_after,
    legs: a.legs,
    account: a.account,
    id: a.id,
    time: a.time ?? a.timenow,
    comment: a.comment,
    warnings: warnings.length ? warnings : undefined,
  });
}

/** The native dialect (and the seed's subset of it): every JSON body no other dialect claims. */
export const nativeDialect: Dialect = {
  name: 'native',
  matches: () => true,
  fields: NATIVE_FIELDS,
  read(json) {
    // The common alert without zod; zod for the rest and for every refusal's message.
    const fast = readCommonNative(json);
    // Typed by the schema: the fast path gives exactly the schema's output for what it takes.
    if (fast) return { ok: true, signal: nativeToSignal(fast as z.output<typeof nativeSchema>, json) };
    const r = nativeSchema.safeParse(json);
    return r.success ? { ok: true, signal: nativeToSignal(r.data, json) } : { ok: false, issues: r.error };
  },
};
