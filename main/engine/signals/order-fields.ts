/**
 * The alert fields that shape the order at the exchange beyond side, size and price, one line
 * each: the alert's name, the `Signal` key it fills, how it is read (zod, with the message a
 * trader sees), and when it adds nothing to this alert (a warning in the answer, signals/honour.ts).
 * The native dialect's schema and its reading of these fields, and the honour step's warnings,
 * all come from this table; what a field then does to the order is the execution's (planner,
 * expiry, margin, protective orders) and the venues'.
 */
import { z } from 'zod';
import { field, limitOffsetField, marginModeField, timeInForceField } from './fields.js';
import type { Signal } from './signal.js';
import { parsePositive } from './values.js';

/** What the table's "not used" rules may look at beyond the alert. */
export interface FieldContext {
  /** The market is a derivative (perpetual, future) rather than spot. */
  derivatives: boolean;
}

export interface OrderField<K extends keyof Signal> {
  key: K;
  schema: z.ZodType<NonNullable<Signal[K]>>;
  /** Why the field is not used on this alert (said back as a warning), or null. */
  unused?: (s: Signal, ctx: FieldContext) => string | null;
}

const orderField = <K extends keyof Signal>(f: OrderField<K>): OrderField<K> => f;

const resting = (s: Signal) => s.orderType === 'limit' || s.orderType === 'stop_limit';

/** In the order their warnings are said. */
export const ORDER_FIELDS = {
  /** Derivatives only (execution/margin.ts). */
  leverage: orderField({
    key: 'leverage',
    schema: z.unknown().transform((v, ctx) => {
      const n = parsePositive(typeof v === 'string' ? v.trim().replace(/x$/i, '') : v, 'leverage');
      if (n.ok) return n.value;
      ctx.addIssue({ code: 'custom', message: 'leverage must be a number like 5 or 5x' });
      return z.NEVER;
    }),
    unused: (_s, ctx) => (ctx.derivatives ? null : 'leverage is not used on spot: ignored'),
  }),
  margin_mode: orderField({
    key: 'marginMode',
    schema: marginModeField,
    unused: (_s, ctx) => (ctx.derivatives ? null : 'margin_mode is not used on spot: ignored'),
  }),
  time_in_force: orderField({
    key: 'timeInForce',
    schema: timeInForceField,
    unused: (s) => (resting(s) ? null : `time_in_force is not used on a ${s.orderType} order: ignored`),
  }),
  stop_price: orderField({
    key: 'stopPrice',
    schema: field(parsePositive, 'stop_price'),
    unused: (s) =>
      s.orderType === 'stop' || s.orderType === 'stop_limit' ? null : `stop_price is not used on a ${s.orderType} order: ignored (order_type stop or stop_limit uses it)`,
  }),
  limit_offset: orderField({
    key: 'limitOffset',
    schema: limitOffsetField('limit_offset'),
    unused: (s) =>
      s.orderType === 'limit' && !s.legs ? null : `limit_offset is not used on a ${s.legs ? 'legs' : s.orderType} order: ignored (it moves a limit order's price)`,
  }),
  expire_after: orderField({
    key: 'expireAfterSec',
    schema: field(parsePositive, 'expire_after'),
    unused: (s) => (s.orderType === 'market' && !s.legs ? 'expire_after is not used on a market order: ignored (it fills at once)' : null),
  }),
  /** Not used on an exit: honour.ts says so with stop_loss and take_profit (it needs the semantics row). */
  trailing_stop: orderField({
    key: 'trailingStop',
    schema: z.unknown().transform((v, ctx) => {
      const s = typeof v === 'string' ? v.trim().replace(/%$/, '') : v;
      const n = parsePositive(s, 'trailing_stop');
      if (n.ok && n.value < 100) return { percent: n.value };
      ctx.addIssue({ code: 'custom', message: 'trailing_stop must be a percent between 0 and 100, like 1.5%' });
      return z.NEVER;
    }),
  }),
};

export type OrderFieldName = keyof typeof ORDER_FIELDS;

type Entry = [OrderFieldName, OrderField<keyof Signal>];
const ENTRIES = Object.entries(ORDER_FIELDS) as Entry[];

/** The fields as a zod shape (each optional), for a dialect's object schema. */
export const orderFieldShape = Object.fromEntries(ENTRIES.map(([name, f]) => [name, f.schema.optional()])) as {
  [N in OrderFieldName]: z.ZodOptional<(typeof ORDER_FIELDS)[N]['schema']>;
};

/** The parsed fields under their `Signal` keys (absent ones left out). */
export function orderFieldValues(parsed: Partial<Record<OrderFieldName, unknown>>): Partial<Signal> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of ENTRIES) if (parsed[name] !== undefined) out[f.key] = parsed[name];
  return out as Partial<Signal>;
}

/** The warnings for the table's fields this alert carries but cannot use. */
export function unusedOrderFields(s: Signal, ctx: FieldContext): string[] {
  const out: string[] = [];
  for (const [, f] of ENTRIES) {
    if (s[f.key] === undefined || !f.unused) continue;
    const why = f.unused(s, ctx);
    if (why) out.push(why);
  }
  return out;
}
