/**
 * `take_profit` as one level or as a ladder (`[{"price": "2%", "size": "50%"}, …]`), and the
 * fields that act after a ladder's levels fill: `move_stop_to_breakeven_after`, `trailing_after`.
 */
import { z } from 'zod';
import { levelField } from './fields.js';
import type { Level, TakeProfitLevel } from './signal.js';
import { parsePositive } from './values.js';

/** More levels than this is a mistake, not a strategy (and keeps the legs' numbering simple). */
export const MAX_TAKE_PROFIT_LEVELS = 10;

const level = levelField('take_profit[].price');

const ladderLevel = z
  .object(
    {
      price: level,
      size: z.unknown().transform((v, ctx): number => {
        const s = typeof v === 'string' ? v.trim().replace(/%$/, '') : v;
        const n = parsePositive(s, 'take_profit[].size');
        if (n.ok && n.value <= 100) return n.value;
        ctx.addIssue({ code: 'custom', message: 'take_profit[].size must be a percent of the position above 0 and at most 100, like 50%' });
        return z.NEVER;
      }),
    },
    { error: 'each take_profit level must be an object like {"price": "2%", "size": "50%"}' },
  )
  .transform((l): TakeProfitLevel => ({ level: l.price, sizePercent: l.size }));

/** One level (a price or a percent), or a list of levels with their sizes. */
export const takeProfitField = z.unknown().transform((v, ctx): { single: Level } | { ladder: TakeProfitLevel[] } => {
  if (!Array.isArray(v)) {
    const r = levelField('take_profit').safeParse(v);
    if (r.success) return { single: r.data };
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message });
    return z.NEVER;
  }
  if (v.length === 0 || v.length > MAX_TAKE_PROFIT_LEVELS) {
    ctx.addIssue({ code: 'custom', message: `take_profit as a list needs 1 to ${MAX_TAKE_PROFIT_LEVELS} levels, like [{"price": "2%", "size": "50%"}, {"price": "4%", "size": "50%"}]` });
    return z.NEVER;
  }
  const out: TakeProfitLevel[] = [];
  for (const [n, item] of v.entries()) {
    const r = ladderLevel.safeParse(item);
    if (!r.success) {
      for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: [n, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message });
      continue;
    }
    out.push(r.data);
  }
  if (out.length !== v.length) return z.NEVER;
  const total = out.reduce((s, l) => s + l.sizePercent, 0);
  if (total > 100 + 1e-9) {
    ctx.addIssue({ code: 'custom', message: `the take_profit sizes add up to ${Number(total.toPrecision(10))}% of the position: at most 100% can be taken off` });
    return z.NEVER;
  }
  return { ladder: out };
});

/** `move_stop_to_breakeven_after` / `trailing_after`: a take-profit level number, 1 for the first. */
export function levelNumberField(name: string) {
  return z.unknown().transform((v, ctx): number => {
    const n = typeof v === 'string' ? Number(v.trim()) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_TAKE_PROFIT_LEVELS) return n;
    ctx.addIssue({ code: 'custom', message: `${name} must be a take-profit level number from 1 to ${MAX_TAKE_PROFIT_LEVELS} (1: after the first take-profit fills)` });
    return z.NEVER;
  });
}
