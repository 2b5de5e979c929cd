/**
 * zod building blocks shared by the alert dialects: tolerant numbers, quantities, levels, names.
 */
import { z } from 'zod';
import { ACTIONS, MARKET_POSITIONS, ORDER_TYPES, TIMES_IN_FORCE, type MarginMode, type MarketPosition } from './signal.js';
import { parseLevel, parsePositive, type Parsed } from './values.js';

/** A zod field backed by one of our tolerant parsers (numbers as strings, quantity forms…). */
export function field<T>(parse: (v: unknown, name: string) => Parsed<T>, name: string) {
  return z.unknown().transform((v, ctx): T => {
    const r = parse(v, name);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });
}

export const text = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .min(1, { error: `${name} must not be empty` })
    .max(max, { error: `${name} is longer than ${max} characters` });

export const strategyName = z
  .string({ error: 'strategy must be a string' })
  .trim()
  .min(1, { error: 'strategy must not be empty' })
  .max(64, { error: 'strategy is longer than 64 characters' })
  .regex(/^[\p{L}\p{N} _.:#()+-]+$/u, { error: 'strategy may use letters, digits, spaces and _ . : # ( ) + - only' });

export const actionField = z
  .string({ error: 'action must be a string' })
  .transform((s) => s.trim().toLowerCase().replace(/[\s-]+/g, '_'))
  .pipe(
    z.enum(ACTIONS, {
      error: (iss) => `unknown action ${JSON.stringify(String(iss.input))}: use one of ${ACTIONS.join(', ')}`,
    }),
  );

export const orderTypeField = z
  .string({ error: 'order_type must be a string' })
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['market', 'limit'], { error: 'order_type must be market or limit' }));

/** The native dialect's `order_type` (TradersPost's stays market / limit). */
export const entryOrderTypeField = z
  .string({ error: 'order_type must be a string' })
  .transform((s) => s.trim().toLowerCase().replace(/[\s-]+/g, '_'))
  .transform((s) => (s === 'stop_market' ? 'stop' : s))
  .pipe(z.enum(ORDER_TYPES, { error: `order_type must be one of ${ORDER_TYPES.join(', ')}` }));

/** `time_in_force`: gtc, ioc, fok or post_only (`gtx`, Binance's name for post-only, read as it). */
export const timeInForceField = z
  .string({ error: 'time_in_force must be a string' })
  .transform((s) => s.trim().toLowerCase().replace(/[\s-]+/g, '_'))
  .transform((s) => (s === 'gtx' || s === 'postonly' ? 'post_only' : s))
  .pipe(z.enum(TIMES_IN_FORCE, { error: `time_in_force must be one of ${TIMES_IN_FORCE.join(', ')}` }));

/** `limit_offset`: `0.1%` of the price, or an amount in the quote currency (`25`). */
export function limitOffsetField(name: string) {
  return z.unknown().transform((v, ctx): { percent: number } | { amount: number } => {
    const pct = typeof v === 'string' && v.trim().endsWith('%');
    const n = parsePositive(pct ? (v as string).trim().slice(0, -1) : v, name);
    if (n.ok && (!pct || n.value < 100)) return pct ? { percent: n.value } : { amount: n.value };
    ctx.addIssue({ code: 'custom', message: `${name} must be a percent below 100 like 0.1%, or an amount like 25` });
    return z.NEVER;
  });
}

/** `margin_mode`: `cross` or `isolated` (Binance's `crossed` read as cross). */
export const marginModeField = z
  .string({ error: 'margin_mode must be cross or isolated' })
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['cross', 'crossed', 'isolated'], { error: 'margin_mode must be cross or isolated' }))
  .transform((s): MarginMode => (s === 'crossed' ? 'cross' : s));

/** `stop_loss` / `take_profit`: a price (`64000`) or a distance from the entry (`2%`). */
export function levelField(name: string) {
  return field(parseLevel, name);
}

/** `{{strategy.market_position}}`: long / short / flat. */
export const marketPositionField = (name: string) =>
  z
    .string({ error: `${name} must be long, short or flat` })
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(MARKET_POSITIONS, { error: `${name} must be long, short or flat` }));

/** TradersPost's sentiment, read as a market position: bullish = long, bearish = short. */
export const sentimentField = z
  .string({ error: 'sentiment must be bullish, bearish or flat' })
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['bullish', 'bearish', 'flat', 'long', 'short'], { error: 'sentiment must be bullish, bearish or flat' }))
  .transform((s): MarketPosition => (s === 'bullish' ? 'long' : s === 'bearish' ? 'short' : s));

/** Drop undefined fields so journaled signals stay small and compare cleanly. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
