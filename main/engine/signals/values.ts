/**
 * Parsers for the loosely typed values TradingView sends: numbers arrive as strings, quantities
 * in several forms, times as ISO strings or epoch numbers. Each returns a value or an error
 * message a trader can act on.
 */
import type { Level, Quantity } from './signal.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Beyond these no price or quantity is real (meme coins trade in billions of units; the smallest
 * ticks are around 1e-10): a number outside them is a template or unit mistake, refused at the
 * webhook rather than failing later at the exchange.
 */
export const MAX_MAGNITUDE = 1e15;
export const MIN_POSITIVE = 1e-15;

function inRange(n: number, field: string): Parsed<number> {
  if (Math.abs(n) > MAX_MAGNITUDE) return { ok: false, message: `${field} is out of range: ${n} is more than ${MAX_MAGNITUDE}` };
  return { ok: true, value: n };
}

/** A finite number from a number or a numeric string ("0.01", " 42 "), within ±1e15. */
export function parseNumber(input: unknown, field: string): Parsed<number> {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: `${field} must be a finite number` };
    return inRange(input, field);
  }
  if (typeof input === 'string') {
    const s = input.trim().replace(/_/g, '');
    if (NUMBER_RE.test(s)) {
      const n = Number(s);
      if (Number.isFinite(n)) return inRange(n, field);
    }
    return { ok: false, message: `${field} must be a number, got ${JSON.stringify(clip(input))}` };
  }
  return { ok: false, message: `${field} must be a number, got ${typeName(input)}` };
}

export function parsePositive(input: unknown, field: string): Parsed<number> {
  const n = parseNumber(input, field);
  if (!n.ok) return n;
  if (n.value <= 0) return { ok: false, message: `${field} must be greater than 0, got ${n.value}` };
  if (n.value < MIN_POSITIVE) return { ok: false, message: `${field} is out of range: ${n.value} is less than ${MIN_POSITIVE}` };
  return n;
}

// No exponent here: `100eur` is 100 EUR, not 100e + `ur`.
const QUOTE_RE = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]{2,10})$/;
const PERCENT_RE = /^([0-9.eE+-]+)\s*%$/;
const RISK_RE = /^risk\s*[=:]\s*([0-9.eE+-]+)\s*%$/i;

/**
 * Quantity forms: base amount `0.01`, quote amount `100usdt` / `100 USD`, percent of available
 * balance `25%`, risk-based `risk=1%` (needs a stop-loss).
 */
export function parseQuantity(input: unknown, field = 'quantity'): Parsed<Quantity> {
  if (typeof input === 'string') {
    const s = input.trim();
    const risk = RISK_RE.exec(s);
    if (risk) {
      const n = parsePositive(risk[1], `${field} risk percent`);
      if (!n.ok) return n;
      if (n.value > 100) return { ok: false, message: `${field}: risk above 100% of equity (${n.value}%)` };
      return { ok: true, value: { kind: 'risk', percent: n.value } };
    }
    const pct = PERCENT_RE.exec(s);
    if (pct) {
      const n = parsePositive(pct[1], `${field} percent`);
      if (!n.ok) return n;
      if (n.value > 100) return { ok: false, message: `${field}: more than 100% of the balance (${n.value}%)` };
      return { ok: true, value: { kind: 'percent', value: n.value } };
    }
    const quote = QUOTE_RE.exec(s);
    if (quote) {
      const n = parsePositive(quote[1], `${field} amount`);
      if (!n.ok) return n;
      return { ok: true, value: { kind: 'quote', value: n.value, currency: (quote[2] ?? '').toUpperCase() } };
    }
  }
  const n = parseNumber(input, field);
  if (!n.ok) {
    // Out of range is said as such; anything else gets the forms a quantity may take.
    if (/out of range/.test(n.message)) return n;
    return {
      ok: false,
      message: `${field} must be a base amount (0.01), a quote amount (100usdt), a percent of balance (25%) or risk=1%, got ${describe(input)}`,
    };
  }
  const positive = parsePositive(n.value, field);
  if (!positive.ok) return positive;
  return { ok: true, value: { kind: 'base', value: positive.value } };
}

/** `stop_loss` / `take_profit`: a price (`64000`) or a distance from the entry (`2%`). */
export function parseLevel(input: unknown, field: string): Parsed<Level> {
  if (typeof input === 'string' && input.trim().endsWith('%')) {
    const n = parsePositive(input.trim().slice(0, -1), field);
    return n.ok ? { ok: true, value: { percent: n.value } } : { ok: false, message: `${field} must be a price or a percent like 2%` };
  }
  const n = parsePositive(input, field);
  return n.ok ? { ok: true, value: { price: n.value } } : n;
}

/**
 * A time from `{{timenow}}` (ISO 8601), `{{time}}`, or Pine's `time` (epoch ms, maybe as a string).
 * Epoch seconds are accepted too.
 */
export function parseTime(input: unknown, field = 'time'): Parsed<number> {
  if (typeof input === 'number' || (typeof input === 'string' && NUMBER_RE.test(input.trim()))) {
    const n = Number(input);
    if (!Number.isFinite(n) || n <= 0) return { ok: false, message: `${field} is not a valid time: ${describe(input)}` };
    // Below 1e11 it can only be seconds (1e11 ms is 1973).
    return { ok: true, value: n < 1e11 ? Math.round(n * 1000) : Math.round(n) };
  }
  if (typeof input === 'string') {
    const t = Date.parse(input.trim());
    if (Number.isFinite(t)) return { ok: true, value: t };
  }
  return {
    ok: false,
    message: `${field} must be an ISO time like 2026-01-31T14:00:00Z or epoch milliseconds, got ${describe(input)}`,
  };
}

export function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(clip(input));
  if (typeof input === 'number') return String(input);
  return typeName(input);
}

export function typeName(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  return `a ${typeof input}`;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
