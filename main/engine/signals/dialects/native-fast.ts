/**
 * The hot path's reading of the common native alert, without zod: plain checks, compiled once,
 * for the fields almost every alert uses (strategy, action, symbol, quantity, price, stop_loss,
 * id, time, TradingView's position fields). It accepts only what `nativeSchema` accepts and gives
 * the same parsed object; anything else (a field outside that set, a value it does not take, an
 * alert the schema's cross-field rules would look at) is left to zod, which gives the verdict and
 * the message. So the answer for every body is zod's (test/signals/native-fast.test.ts feeds both
 * the same corpus), and the common alert skips zod's per-field machinery.
 */
import { ACTIONS, MARKET_POSITIONS, type Action, type Level, type MarketPosition, type Quantity } from '../signal.js';
import { parseLevel, parseNumber, parsePositive, parseQuantity, parseTime, type Parsed } from '../values.js';

/** What nativeSchema's parse gives for these fields (the ones the cross-field rules read, typed). */
export interface CommonNative {
  symbol: string;
  action?: Action;
  position?: number;
  position_size?: number;
  market_position?: MarketPosition;
  market_position_size?: number;
  quantity?: Quantity;
  stop_loss?: Level;
  [field: string]: unknown;
}

/** One field: the parsed value, or undefined when the fast path does not take it (zod decides). */
type Reader = (v: unknown, name: string) => unknown;

const ok = <T>(r: Parsed<T>): T | undefined => (r.ok ? r.value : undefined);

const STRATEGY_RE = /^[\p{L}\p{N} _.:#()+-]+$/u;
const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);
const POSITION_SET: ReadonlySet<string> = new Set(MARKET_POSITIONS);

/** zod's `text(name, max)`: a string, trimmed, 1..max characters. */
const text =
  (max: number): Reader =>
  (v) => {
    if (typeof v !== 'string') return undefined;
    const s = v.trim();
    return s.length >= 1 && s.length <= max ? s : undefined;
  };

const READERS: Record<string, Reader> = {
  secret: (v) => (typeof v === 'string' ? v : undefined),
  strategy: (v) => {
    const s = text(64)(v, 'strategy');
    return typeof s === 'string' && STRATEGY_RE.test(s) ? s : undefined;
  },
  action: (v) => {
    if (typeof v !== 'string') return undefined;
    const s = v.trim().toLowerCase().replace(/[\s-]+/g, '_');
    return ACTION_SET.has(s) ? (s as Action) : undefined;
  },
  symbol: text(64),
  quantity: (v, name) => ok(parseQuantity(v, name)),
  contracts: (v, name) => ok(parseQuantity(v, name)),
  // Only the two plain types: stop entries have their own cross-field rules (stop_price).
  order_type: (v) => {
    if (typeof v !== 'string') return undefined;
    const s = v.trim().toLowerCase();
    return s === 'market' || s === 'limit' ? s : undefined;
  },
  price: (v, name) => ok(parsePositive(v, name)),
  stop_loss: (v, name) => ok(parseLevel(v, name)),
  position: (v, name) => ok(parseNumber(v, name)),
  position_size: (v, name) => ok(parseNumber(v, name)),
  market_position: (v) => marketPosition(v),
  prev_market_position: (v) => marketPosition(v),
  market_position_size: (v, name) => {
    const n = ok(parseNumber(v, name));
    return n !== undefined && n >= 0 ? n : undefined;
  },
  account: text(64),
  id: (v) => (typeof v === 'string' || typeof v === 'number' ? text(128)(String(v), 'id') : undefined),
  time: (v, name) => ok(parseTime(v, name)),
  timenow: (v, name) => ok(parseTime(v, name)),
  comment: (v) => (typeof v === 'string' && v.length <= 500 ? v : undefined),
};

function marketPosition(v: unknown): MarketPosition | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  return POSITION_SET.has(s) ? (s as MarketPosition) : undefined;
}

/** The fields the fast path reads (all of them native fields). */
export const COMMON_NATIVE_FIELDS: readonly string[] = Object.keys(READERS);

/**
 * The parsed alert when the fast path can vouch for it (nativeSchema accepts it and gives this),
 * else null: read it with zod.
 */
export function readCommonNative(json: Record<string, unknown>): CommonNative | null {
  const out: Record<string, unknown> = {};
  for (const key in json) {
    if (!Object.hasOwn(json, key)) continue;
    // Own keys of the table only: a body's `__proto__` or `constructor` is not a reader.
    const read = Object.hasOwn(READERS, key) ? READERS[key] : undefined;
    if (!read) return null;
    const v = json[key];
    // An absent optional field (zod skips undefined); JSON never carries one.
    if (v === undefined) continue;
    const parsed = read(v, key);
    if (parsed === undefined) return null;
    out[key] = parsed;
  }
  if (out.symbol === undefined) return null;
  const a = out as CommonNative;
  // The schema's cross-field rules that can apply to these fields: any of them in doubt, zod decides.
  const target = a.position_size ?? a.position;
  const mp = a.market_position;
  const targetKnown = target !== undefined || mp === 'flat' || (mp !== undefined && a.market_position_size !== undefined);
  if ((a.action === undefined || a.action === 'position') && !targetKnown) return null;
  if (a.quantity?.kind === 'risk' && a.stop_loss === undefined) return null;
  return a;
}
