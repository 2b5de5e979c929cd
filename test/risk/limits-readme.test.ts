import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsSchema, strategyLimitsSchema } from '../../main/engine/core/config.js';
import { RISK_LIMITS } from '../../main/engine/risk/limits/limit-table.js';
import { LIMIT_NAMES, LIMITS, limitsMarkdown, NO_LIMITS } from '../../shared/dto/limits.js';
import { limitsInput } from '../../shared/api.js';

/** The README's limits table is the code's: regenerate it from limitsMarkdown() when this fails. */
describe('the limits table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- limits-table:start -->\n([\s\S]*?)\n<!-- limits-table:end -->/.exec(readme);

  it('is in the README exactly as the shared table says it', () => {
    expect(block, 'README.md has no <!-- limits-table:start --> … end block').not.toBeNull();
    expect(block![1]).toBe(limitsMarkdown());
    for (const k of LIMIT_NAMES) expect(block![1]).toContain(`| \`${k}\` |`);
  });

  it('gives every limit a check, a settings default, an API input and a reason code of its own', () => {
    expect(Object.keys(RISK_LIMITS).sort()).toEqual([...LIMIT_NAMES].sort());
    for (const k of LIMIT_NAMES) expect(RISK_LIMITS[k].name).toBe(k);
    expect(new Set(LIMIT_NAMES.map((k) => RISK_LIMITS[k].code)).size).toBe(LIMIT_NAMES.length);
    // A settings file without limits gets the table's defaults; a strategy's own are all unset.
    const global = limitsSchema.parse(undefined);
    for (const k of LIMIT_NAMES) expect(global[k]).toEqual(LIMITS[k].kind === 'symbols' ? [] : LIMITS[k].default);
    expect(strategyLimitsSchema.parse(undefined)).toEqual(NO_LIMITS);
    expect(Object.keys(DEFAULT_LIMITS).sort()).toEqual(LIMIT_NAMES.filter((k) => LIMITS[k].kind !== 'symbols').sort());
    expect(Object.keys(limitsInput.shape).sort()).toEqual([...LIMIT_NAMES].sort());
  });

  it('validates each kind as the form and the settings file expect', () => {
    expect(limitsInput.safeParse({ maxOrderNotional: 12.5 }).success).toBe(true);
    expect(limitsInput.safeParse({ maxOrdersPerMinute: 2.5 }).success).toBe(false);
    expect(limitsInput.safeParse({ maxAlertAgeSec: 0 }).success).toBe(false);
    expect(limitsInput.safeParse({ dailyLossLimit: -1 }).success).toBe(false);
    expect(limitsInput.parse({ allowedSymbols: [' BTC/USDT '] })).toEqual({ allowedSymbols: ['BTC/USDT'] });
    expect(limitsInput.safeParse({ allowedSymbols: [''] }).success).toBe(false);
    expect(limitsInput.safeParse({ maxLeverage: 3 }).success).toBe(false);
    expect(limitsSchema.safeParse({ maxOrderNotional: null }).success).toBe(true);
  });
});
