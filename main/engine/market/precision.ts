/**
 * Rounding to an exchange's steps (TICK_SIZE precision: a step like 0.00001), done on integers
 * so that 0.1 + 0.2 style float noise never produces an amount one step too small or too large.
 */

function decimals(step: number): number {
  const s = step.toExponential();
  const [mantissa, exp] = s.split('e') as [string, string];
  const frac = mantissa.includes('.') ? (mantissa.split('.')[1] as string).length : 0;
  return Math.max(0, frac - Number(exp));
}

function stepRound(value: number, step: number, mode: 'down' | 'nearest'): number {
  if (!(step > 0) || !Number.isFinite(value)) return value;
  const d = Math.min(decimals(step), 15);
  const scale = 10 ** d;
  const stepUnits = Math.round(step * scale);
  // Snap to 1e-9 of a step first so 0.30000000000000004 counts as 0.3.
  const units = value * scale;
  const snapped = Math.round(units * 1e6) / 1e6;
  const q = snapped / stepUnits;
  const n = mode === 'down' ? Math.floor(q + 1e-9) : Math.round(q);
  return Number(((n * stepUnits) / scale).toFixed(d));
}

/** Amounts round down: never trade more than asked. */
export function floorToStep(value: number, step: number | null): number {
  return step ? stepRound(value, step, 'down') : value;
}

/** A difference of amounts without float noise (0.03 - 0.009 is 0.020999999999999998, one step short once floored). */
export function noNoise(n: number): number {
  return Number(n.toPrecision(12));
}

/** Prices round to the nearest tick. */
export function roundToStep(value: number, step: number | null): number {
  return step ? stepRound(value, step, 'nearest') : value;
}

/** A number for messages: 8 significant digits, no float noise, never an exponent (0.00000001, not 1e-8). */
export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const r = Number(n.toPrecision(8));
  const decimals = Math.min(20, Math.max(0, 8 - Math.floor(Math.log10(Math.abs(r)))));
  const fixed = r.toFixed(decimals);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
