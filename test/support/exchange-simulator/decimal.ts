/**
 * Exact fixed-point arithmetic with Binance's 8 decimals: a value is a bigint holding value * 1e8.
 * Binance prints every price, quantity and balance with 8 decimals ("0.01000000"), and doing the
 * simulator's accounting in floats would make balance assertions flaky.
 */
export type Dec = bigint;

export const DECIMALS = 8;
export const SCALE = 100_000_000n;
export const ZERO: Dec = 0n;

const PATTERN = /^(\d+)(?:\.(\d*))?$/;

export type ParseResult = { ok: true; value: Dec } | { ok: false; reason: 'malformed' | 'precision' };

/** Parses a non-negative decimal string as Binance accepts it ("1", "0.1", "1.", "1e-3" is malformed). */
export function parseDecStrict(text: string): ParseResult {
  const match = PATTERN.exec(text.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const whole = match[1] ?? '0';
  let frac = (match[2] ?? '').replace(/0+$/, '');
  if (frac.length > DECIMALS) return { ok: false, reason: 'precision' };
  frac = frac.padEnd(DECIMALS, '0');
  return { ok: true, value: BigInt(whole) * SCALE + BigInt(frac || '0') };
}

/** Converts a number or decimal string from test code; throws on anything not representable. */
export function toDec(value: number | string | bigint): Dec {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    const negative = value < 0;
    const parsed = parseDecStrict(Math.abs(value).toFixed(DECIMALS));
    if (!parsed.ok) throw new Error(`cannot represent ${value}`);
    return negative ? -parsed.value : parsed.value;
  }
  const negative = value.trim().startsWith('-');
  const parsed = parseDecStrict(negative ? value.trim().slice(1) : value);
  if (!parsed.ok) throw new Error(`cannot represent "${value}" with ${DECIMALS} decimals`);
  return negative ? -parsed.value : parsed.value;
}

/** Binance's wire format: always 8 decimals. */
export function fmt(value: Dec): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(DECIMALS, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

export function toNumber(value: Dec): number {
  return Number(fmt(value));
}

/** a * b, truncated to 8 decimals. */
export function mul(a: Dec, b: Dec): Dec {
  return (a * b) / SCALE;
}

/** a / b, truncated to 8 decimals. */
export function div(a: Dec, b: Dec): Dec {
  if (b === 0n) throw new Error('division by zero');
  return (a * SCALE) / b;
}

/** Rounds down to a multiple of step (step 0 means "no step"). */
export function floorToStep(value: Dec, step: Dec): Dec {
  if (step <= 0n) return value;
  return value - (value % step);
}

export function min(a: Dec, b: Dec): Dec {
  return a < b ? a : b;
}

export function max(a: Dec, b: Dec): Dec {
  return a > b ? a : b;
}

/** A record of numbers from test code (balances, prices) as Decs, its keys upper-cased. */
export function toDecRecord(rec: Record<string, number | string>): Record<string, Dec> {
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k.toUpperCase(), toDec(v)]));
}
