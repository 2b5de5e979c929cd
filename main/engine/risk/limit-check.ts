/**
 * The limits (limits/limit-table.ts), checked against an alert before any order is written or
 * sent, first refusal wins. Limits bound new risk: they apply to entries. An exit that reduces a
 * position is never refused by a limit (only the kill switch and the circuit breaker stop it), so
 * no limit can trap a position.
 */
import type { LimitName } from '../../../shared/dto/limits.js';
import { USD_LIKE } from '../market/money.js';
import type { EffectiveLimits } from './limits/effective-limits.js';
import { RISK_LIMITS } from './limits/limit-table.js';
import { unvalued, type AlertTimes, type LimitContext, type PlanCheck, type Refusal, type RiskLimit } from './limits/risk-limit.js';
import type { Scope } from './risk-reads.js';
import { toUsd } from './valuation.js';

export type { PlanCheck, PlannedEntry, Refusal } from './limits/risk-limit.js';

const TABLE = Object.values(RISK_LIMITS) as RiskLimit<LimitName>[];

interface Who {
  limits: EffectiveLimits;
  account: string;
  mode: PlanCheck['mode'];
  strategy: string | null;
}

/** The value in force, who it is measured on, and the refusal that says what to change. */
function contextOf<K extends LimitName>(limit: RiskLimit<K>, w: Who): LimitContext<K> {
  const { value, source } = w.limits[limit.name];
  const own = source === 'strategy';
  const scope: Scope = { account: w.account, mode: w.mode, strategy: own ? w.strategy : null };
  return {
    value,
    label: own ? `strategy ${w.strategy}` : `account ${w.account}`,
    scope,
    refuse(message, v, max) {
      const where = own ? "the strategy's limits in Settings > Strategies" : 'Settings > Limits';
      const { setting, otherwise, verb = 'raise' } = limit.fix;
      return { status: 'skipped', code: limit.code, message: `${message}; ${verb} ${where} > ${setting}, ${otherwise}`, limit: limit.name, scope: own ? 'strategy' : 'account', value: v, max };
    },
  };
}

/** The limits on the alert itself (its age): checked before its orders are planned and sent. */
export function checkAlert(w: Who, alert: AlertTimes, now: number): Refusal | null {
  for (const limit of TABLE) {
    if (limit.on !== 'alert') continue;
    const refusal = limit.check({ ...contextOf(limit, w), alert, now });
    if (refusal) return refusal;
  }
  return null;
}

/** The limits on an alert's planned entries, in the table's order. */
export function checkEntries(c: PlanCheck): Refusal | null {
  if (c.entries.length === 0) return null;
  const m = c.market;
  const currency = USD_LIKE.has(m.quote) ? m.quote : 'USD';
  let values: number[] | null = null;
  for (const limit of TABLE) {
    if (limit.on !== 'entries') continue;
    if (limit.valued && values === null) {
      values = [];
      for (const e of c.entries) {
        const v = toUsd(c.rates, e.amount * (m.contractSize ?? 1) * e.price, m.quote);
        if (v === null) return unvalued(m.quote, 'limits');
        values.push(v);
      }
    }
    const refusal = limit.check({ ...contextOf(limit, c), plan: c, values: values ?? [], currency });
    if (refusal) return refusal;
  }
  return null;
}
