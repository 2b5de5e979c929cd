/**
 * Which limits apply to an alert: the strategy's own where it set one (measured on the strategy's
 * own orders, positions and P&L), else the global one (measured on the whole account).
 */
import type { LimitName, LimitsDto } from '../../../shared/dto/risk.js';
import type { Settings } from '../config.js';

export type LimitSource = 'strategy' | 'global';
export type EffectiveLimits = { [K in LimitName]: { value: LimitsDto[K]; source: LimitSource } };

export const LIMIT_NAMES: readonly LimitName[] = [
  'maxOrderNotional',
  'maxPositionPerSymbol',
  'maxTotalExposure',
  'maxOrdersPerMinute',
  'dailyLossLimit',
  'maxAlertAgeSec',
  'allowedSymbols',
];

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

/** Quote currencies counted 1:1 as USD. */
export const USD_LIKE = new Set(['USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USDP', 'DAI']);

// Built once: `toLocaleString` builds a formatter on every call (7 % of an alert's CPU when limits are checked).
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const LIMIT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

/** `2,500.00`: a measured amount. */
export function money(n: number): string {
  return MONEY.format(n);
}

/** `2,000` or `2,000.5`: a limit as the user typed it. */
export function limitText(n: number): string {
  return LIMIT.format(n);
}

/** The quote of `BTC/USDT` or `BTC/USDT:USDT`. */
export function quoteOf(symbol: string): string {
  return symbol.split('/')[1]?.split(':')[0] ?? symbol;
}

export function baseOf(symbol: string): string {
  return symbol.split('/')[0] ?? symbol;
}
