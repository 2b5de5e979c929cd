/**
 * Which limits apply to an alert: the strategy's own where it set one (measured on the strategy's
 * own orders, positions and P&L), else the global one (measured on the whole account).
 */
import { LIMIT_NAMES, type LimitName, type LimitsDto } from '../../../../shared/dto/limits.js';
import type { Settings } from '../../core/config.js';

export type LimitSource = 'strategy' | 'global';
export type EffectiveLimits = { [K in LimitName]: { value: LimitsDto[K]; source: LimitSource } };

export function effectiveLimits(settings: Settings, strategy: string | null): EffectiveLimits {
  const own = strategy === null ? undefined : settings.strategies.find((s) => s.name === strategy)?.limits;
  const g = settings.limits;
  const pick = <K extends LimitName>(k: K): { value: LimitsDto[K]; source: LimitSource } => {
    const mine = own?.[k] as LimitsDto[K] | undefined;
    const set = Array.isArray(mine) ? mine.length > 0 : mine !== null && mine !== undefined;
    return set ? { value: mine as LimitsDto[K], source: 'strategy' } : { value: g[k] as LimitsDto[K], source: 'global' };
  };
  return Object.fromEntries(LIMIT_NAMES.map((k) => [k, pick(k)])) as EffectiveLimits;
}
