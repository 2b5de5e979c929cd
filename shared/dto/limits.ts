/**
 * The risk limits, listed once. Everything that names a limit reads this table: the DTO type
 * (`LimitsDto`), the settings schema and its defaults, the API's input schema, the UI's limits
 * form and the README's limits table (test/risk/limits-readme.test.ts). The checks themselves
 * are one file per limit in main/engine/risk/limits/, keyed by these names.
 *
 * A new limit: one line here, and its check in main/engine/risk/limits/<name>.ts.
 */
import { z } from 'zod';

/**
 * `usd`: an amount in USD (USD stablecoins 1:1); `count` and `seconds`: whole numbers;
 * `symbols`: a list of markets, empty meaning every one.
 */
export type LimitKind = 'usd' | 'count' | 'seconds' | 'symbols';

export interface LimitMeta {
  kind: LimitKind;
  /** The form's label. */
  label: string;
  /** The form's hint under the field. */
  hint: string;
  /** The hint in a strategy's own limits, where it differs (an empty field there means the global value). */
  strategyHint?: string;
  /** The default of the global limit (a strategy's own is unset by default); null: no limit. */
  default: number | null;
  /** README: why the default is what it is. */
  why: string;
}

/** In the order the UI shows them and the README lists them. */
export const LIMITS = {
  maxOrderNotional: {
    kind: 'usd',
    label: 'Max order size',
    hint: 'in quote currency (e.g. USDT)',
    default: 2_000,
    why: 'a fifth of the account per order: a typo (1 BTC for 0.01) or a quantity-less "spend everything" alert cannot put the whole account in one order; 1-10% sizing passes',
  },
  maxPositionPerSymbol: {
    kind: 'usd',
    label: 'Max position per symbol',
    hint: 'in quote currency',
    default: 5_000,
    why: "half the account in one market, across the account's strategies, open entry orders included: one market's crash cannot take most of it",
  },
  maxTotalExposure: {
    kind: 'usd',
    label: 'Max total exposure',
    hint: 'all positions, in quote currency',
    default: 8_000,
    why: 'four fifths of the account in positions and open entry orders: a fifth stays in cash for fees, slippage and exits',
  },
  maxOrdersPerMinute: {
    kind: 'count',
    label: 'Max orders per minute',
    hint: 'whole number',
    default: 10,
    why: 'a strategy on 1-minute bars over a few markets sends a few per minute; a runaway alert loop (a misconfigured alert firing on every tick) stops within a minute',
  },
  dailyLossLimit: {
    kind: 'usd',
    label: 'Daily loss limit',
    hint: 'realized loss that stops trading for the day',
    default: 500,
    why: '5% of the account, realized P&L net of fees since 00:00 UTC: the usual retail "daily stop"; new entries stop until the next UTC day, exits go on',
  },
  maxAlertAgeSec: {
    kind: 'seconds',
    label: 'Max alert age (seconds)',
    hint: 'older alerts are refused as stale',
    default: 120,
    why: "the alert's `time` (`{{timenow}}`) older than two 1-minute bars: a delayed or replayed alert is not traded at a price that is gone; tolerates TradingView's usual delivery delay and a PC clock off by a minute. An alert without `time` is as old as it has waited since it arrived. The one age setting: checked before planning and before each order is first sent (after an outage too)",
  },
  allowedSymbols: {
    kind: 'symbols',
    label: 'Allowed symbols',
    hint: 'comma-separated, empty: all',
    strategyHint: 'comma-separated, empty: the global list',
    default: null,
    why: 'which markets you trade is yours to say; any spelling works (`BINANCE:BTCUSDT`, `BTC/USDT`, `BTCUSDT.P`)',
  },
} as const satisfies Record<string, LimitMeta>;

type Table = typeof LIMITS;
export type LimitName = keyof Table;

/** A limit's value: a list for `symbols` (empty: all), else a number or null (no limit). */
export type LimitValue<K extends LimitName> = Table[K]['kind'] extends 'symbols' ? string[] : number | null;

/** Risk limits; null means "no limit". Global in settings, and per strategy on top. */
export type LimitsDto = { [K in LimitName]: LimitValue<K> };

export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** The limits with a number (or null) as their value: every one but the symbol lists. */
export type NumericLimitName = { [K in LimitName]: Table[K]['kind'] extends 'symbols' ? never : K }[LimitName];

export function isNumericLimit(k: LimitName): k is NumericLimitName {
  return LIMITS[k].kind !== 'symbols';
}

/** Every limit off (the form's "no limits" start, and tests that trade beyond the defaults). */
export const NO_LIMITS: LimitsDto = Object.fromEntries(LIMIT_NAMES.map((k) => [k, isNumericLimit(k) ? null : []])) as unknown as LimitsDto;

/** One limit's value schema; `trim`: symbols as a person typed them (the API's input). */
export function limitValueSchema<K extends LimitName>(k: K, opts: { trim?: boolean } = {}): z.ZodType<LimitValue<K>> {
  const kind: LimitKind = LIMITS[k].kind;
  if (kind === 'symbols') {
    const symbol = opts.trim ? z.string().trim().min(1).max(64) : z.string().min(1).max(64);
    return z.array(symbol).max(200) as unknown as z.ZodType<LimitValue<K>>;
  }
  const n = z.number();
  return (kind === 'usd' ? n.positive() : n.int().positive()).nullable() as unknown as z.ZodType<LimitValue<K>>;
}

/** A limit's default: the table's for a global limit, unset (null, an empty list) for a strategy's own. */
export function limitDefault<K extends LimitName>(k: K, global: boolean): LimitValue<K> {
  const m: LimitMeta = LIMITS[k];
  return (m.kind === 'symbols' ? [] : global ? m.default : null) as LimitValue<K>;
}

/** The settings file's schema of one limit, filled with its default when absent. */
export function limitSettingSchema(k: LimitName, global: boolean): z.ZodType {
  return (limitValueSchema(k) as z.ZodType<unknown>).default(limitDefault(k, global));
}

/**
 * One schema per limit, built by `each` (the settings file's, with defaults; the API's input).
 * `T` names each schema's type, which a map over the names cannot infer.
 */
export function limitsShape<T extends { [K in LimitName]: z.ZodType }>(each: (k: LimitName) => z.ZodType): T {
  return Object.fromEntries(LIMIT_NAMES.map((k) => [k, each(k)])) as T;
}

/** The README's limits table (README "Risk"): its default and why, from the table above. */
export function limitsMarkdown(): string {
  const rows = LIMIT_NAMES.map((k) => {
    const m: LimitMeta = LIMITS[k];
    const def = m.kind === 'symbols' ? 'empty (all)' : m.default === null ? 'none' : m.default.toLocaleString('en-US').replace(/,/g, ' ');
    return `| \`${k}\` | ${def} | ${m.why} |`;
  });
  return ['| limit | default | why |', '| --- | --- | --- |', ...rows].join('\n');
}
