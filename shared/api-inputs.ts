/**
 * The argument schemas shared by several commands of the contract (shared/api.ts): account and
 * strategy names, exchange ids, risk limits, strategies and the settings patch. Pure TypeScript.
 */
import { z } from 'zod';
import type { LimitName } from './dto/risk.js';
import { MODES } from './dto/mode.js';
import { ORDER_TYPES } from './dto/settings.js';
import { limitsShape, limitValueSchema, type LimitValue } from './dto/limits.js';
import { exchangeIdProblem } from './dto/exchange-search.js';

export const accountAlias = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, { error: 'account: letters, digits, _ . - only' });
export const strategyName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N} _.:#()+-]+$/u, { error: 'strategy may use letters, digits, spaces and _ . : # ( ) + - only' });

/** A ccxt exchange id exactly as ccxt spells it; a typo is refused naming the near ones. */
export const exchangeId = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .superRefine((id, ctx) => {
    const problem = exchangeIdProblem(id);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Risk limits as the UI edits them (null: no limit). */
export const limitsInput = z
  .object(limitsShape<{ [K in LimitName]: z.ZodType<LimitValue<K>> }>((k) => limitValueSchema(k, { trim: true })))
  .partial()
  .strict();

export const strategyInput = z
  .object({
    name: strategyName,
    account: accountAlias.default('main'),
    symbol: z.string().trim().min(1).max(64),
    quantity: z.string().trim().min(1).max(32),
    orderType: z.enum(ORDER_TYPES).default('market'),
    limits: limitsInput.default({}),
  })
  .strict();

/** The settings a client may change. Switching to live also needs `confirmLive: true`. */
export const settingsPatch = z
  .object({
    mode: z.enum(MODES),
    exchange: exchangeId,
    exchangeUrl: z.url().nullable(),
    /** The explicit opt-in to live mode on an exchange that is not verified (a lost answer may not be recoverable). */
    allowUntestedExchange: z.boolean(),
    tunnel: z
      .object({
        provider: z.enum(['localtunnel', 'manual', 'none']),
        subdomain: z.string().regex(/^[a-z0-9-]{4,63}$/, { error: 'subdomain: 4-63 lowercase letters, digits or -' }).nullable(),
        publicUrl: z.url().nullable(),
      })
      .partial()
      .strict(),
    limits: limitsInput,
    notifications: z
      .object({
        fills: z.boolean(),
        rejectedAlerts: z.boolean(),
        errors: z.boolean(),
        breaker: z.boolean(),
        tunnelDown: z.boolean(),
        urlChanged: z.boolean(),
        telegram: z.object({ enabled: z.boolean(), chatId: z.string().max(64).nullable() }).partial().strict(),
        discord: z.object({ enabled: z.boolean() }).partial().strict(),
      })
      .partial()
      .strict(),
    startAtLogin: z.boolean(),
    setupCompleted: z.boolean(),
    /** Replaces the list of account aliases (the default one, `main`, needs no entry). */
    accounts: z
      .array(
        z
          .object({
            name: accountAlias,
            exchange: exchangeId.nullable().optional(),
            exchangeUrl: z.url().nullable().optional(),
            /** The account's own mode; null or absent: the global one. */
            mode: z.enum(MODES).nullable().optional(),
          })
          .strict(),
      )
      .max(50),
    breaker: z
      .object({ maxFailures: z.number().int().min(1).max(1000), windowSec: z.number().int().min(10).max(86_400), coolDownSec: z.number().int().min(0).max(604_800) })
      .partial()
      .strict(),
    reconciliation: z
      .object({ intervalSec: z.number().int().min(0).max(86_400), toleranceValue: z.number().min(0), tolerancePct: z.number().min(0).max(100) })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
