/**
 * The limits, checked against an alert's planned orders before any is written or sent. Limits
 * bound new risk: they apply to entries. An exit that reduces a position is never refused by a
 * limit (only the kill switch and the circuit breaker stop it), so no limit can trap a position.
 */
import type { Mode } from '../../../shared/dto/mode.js';
import type { LimitName } from '../../../shared/dto/risk.js';
import type { Journal } from '../journal/journal.js';
import type { VenueMarket } from '../core/ports.js';
import { parseSymbol } from '../market/symbols.js';
import { type EffectiveLimits } from './limits.js';
import { limitText, money, quoteOf, USD_LIKE } from '../market/money.js';
import { holdings, openEntries, ordersSince, realizedToday, type Scope } from './risk-reads.js';
import { lastPrice } from '../journal/prices.js';
import { toUsd, type Rates } from './valuation.js';

export interface Refusal {
  status: 'skipped' | 'failed';
  code: string;
  message: string;
  limit?: LimitName;
  scope?: 'strategy' | 'account';
  value?: number | string;
  max?: number | string[];
}

export interface PlannedEntry {
  side: 'buy' | 'sell';
  /** Base units, or contracts. */
  amount: number;
  /** Limit price, else the reference (alert or last) price. */
  price: number;
}

export interface PlanCheck {
  journal: Journal;
  limits: EffectiveLimits;
  account: string;
  mode: Mode;
  strategy: string;
  market: VenueMarket;
  entries: PlannedEntry[];
  now: number;
  rates: Rates;
  /** Contract size of another symbol's market (1 for spot). */
  contractSize: (symbol: string) => number;
}

const CODES: Record<LimitName, string> = {
  maxOrderNotional: 'risk_max_order_notional',
  maxPositionPerSymbol: 'risk_max_position_per_symbol',
  maxTotalExposure: 'risk_max_total_exposure',
  maxOrdersPerMinute: 'risk_max_orders_per_minute',
  dailyLossLimit: 'risk_daily_loss_limit',
  maxAlertAgeSec: 'risk_max_alert_age',
  allowedSymbols: 'risk_allowed_symbols',
};

function who(c: { limits: EffectiveLimits; account: string; strategy: string | null }, k: LimitName): { label: string; scope: 'strategy' | 'account' } {
  return c.limits[k].source === 'strategy' ? { label: `strategy ${c.strategy}`, scope: 'strategy' } : { label: `account ${c.account}`, scope: 'account' };
}

/** What to change, said at the end of every refusal: the setting's name as the UI shows it, and the other way out. */
const FIXES: Record<LimitName, [setting: string, otherwise: string]> = {
  maxOrderNotional: ['max order notional', 'or send a smaller quantity'],
  maxPositionPerSymbol: ['max position per symbol', 'or close part of the position first'],
  maxTotalExposure: ['max total exposure', 'or close other positions first'],
  maxOrdersPerMinute: ['max orders per minute', 'or wait a minute'],
  dailyLossLimit: ['daily loss limit', 'or wait for the next UTC day'],
  maxAlertAgeSec: ['max alert age', "or check the alert's time field and this machine's clock"],
  allowedSymbols: ['allowed symbols (add the symbol)', 'or send an allowed symbol'],
};

function refuse(limit: LimitName, scope: 'strategy' | 'account', message: string, value: number | string, max: number | string[]): Refusal {
  const [setting, otherwise] = FIXES[limit];
  const where = scope === 'strategy' ? "the strategy's limits in Settings > Strategies" : 'Settings > Limits';
  const verb = limit === 'allowedSymbols' ? 'change' : 'raise';
  return { status: 'skipped', code: CODES[limit], message: `${message}; ${verb} ${where} > ${setting}, ${otherwise}`, limit, scope, value, max };
}

/** `time` in the alert older than the max alert age: stale. An alert without a time is not checked here. */
export function checkAlertAge(
  limits: EffectiveLimits,
  account: string,
  strategy: string | null,
  time: number | undefined,
  now: number,
): Refusal | null {
  const max = limits.maxAlertAgeSec.value;
  if (max === null || time === undefined) return null;
  const ageSec = (now - time) / 1000;
  if (ageSec <= max) return null;
  const w = who({ limits, account, strategy }, 'maxAlertAgeSec');
  return refuse(
    'maxAlertAgeSec',
    w.scope,
    `the alert is ${limitText(Math.round(ageSec))} s old (its time ${new Date(time).toISOString()}), above the max alert age of ${limitText(max)} s (${w.label}): stale, not executed`,
    Math.round(ageSec),
    max,
  );
}

/** The checks on an alert's entries, in order: symbols, daily loss, orders per minute, notional, position, exposure. */
export function checkEntries(c: PlanCheck): Refusal | null {
  if (c.entries.length === 0) return null;
  const m = c.market;
  const L = c.limits;
  const scopeOf = (k: LimitName): Scope => ({ account: c.account, mode: c.mode, strategy: L[k].source === 'strategy' ? c.strategy : null });
  const cur = USD_LIKE.has(m.quote) ? m.quote : 'USD';
  const cs = m.contractSize ?? 1;

  const allowed = L.allowedSymbols.value;
  if (allowed.length > 0 && !allowed.some((a) => symbolMatches(a, m))) {
    const w = who(c, 'allowedSymbols');
    return refuse('allowedSymbols', w.scope, `${m.symbol} is not among the allowed symbols (${allowed.join(', ')}) (${w.label})`, m.symbol, allowed);
  }

  const loss = L.dailyLossLimit.value;
  if (loss !== null) {
    const w = who(c, 'dailyLossLimit');
    let net = 0;
    for (const r of realizedToday(c.journal, scopeOf('dailyLossLimit'), c.now)) {
      const v = toUsd(c.rates, r.net, quoteOf(r.symbol));
      if (v === null) return unvalued(quoteOf(r.symbol), 'daily loss limit');
      net += v;
    }
    if (-net >= loss) {
      return refuse(
        'dailyLossLimit',
        w.scope,
        `today's realized loss of ${money(-net)} ${cur} has reached the daily loss limit of ${limitText(loss)} ${cur} (${w.label}): no new entries until 00:00 UTC`,
        Number((-net).toFixed(8)),
        loss,
      );
    }
  }

  const perMinute = L.maxOrdersPerMinute.value;
  if (perMinute !== null) {
    const w = who(c, 'maxOrdersPerMinute');
    const recent = ordersSince(c.journal, scopeOf('maxOrdersPerMinute'), c.now - 60_000);
    if (recent + c.entries.length > perMinute) {
      return refuse(
        'maxOrdersPerMinute',
        w.scope,
        `${recent} order(s) in the last minute + ${c.entries.length} planned is above the max of ${limitText(perMinute)} orders per minute (${w.label})`,
        recent + c.entries.length,
        perMinute,
      );
    }
  }

  const values: number[] = [];
  for (const e of c.entries) {
    const v = toUsd(c.rates, e.amount * cs * e.price, m.quote);
    if (v === null) return unvalued(m.quote, 'limits');
    values.push(v);
  }
  const maxNotional = L.maxOrderNotional.value;
  if (maxNotional !== null) {
    const w = who(c, 'maxOrderNotional');
    const top = Math.max(...values);
    if (top > maxNotional) {
      return refuse(
        'maxOrderNotional',
        w.scope,
        `order notional ${money(top)} ${cur} is above the max order notional of ${limitText(maxNotional)} ${cur} (${w.label})`,
        Number(top.toFixed(8)),
        maxNotional,
      );
    }
  }

  const refPrice = c.entries[0]?.price ?? 0;
  const signedNew = c.entries.reduce((s, e) => s + (e.side === 'buy' ? e.amount : -e.amount), 0);
  const newValue = values.reduce((s, v) => s + v, 0);

  const maxPosition = L.maxPositionPerSymbol.value;
  if (maxPosition !== null) {
    const w = who(c, 'maxPositionPerSymbol');
    const scope = scopeOf('maxPositionPerSymbol');
    const held = holdings(c.journal, scope).find((h) => h.symbol === m.symbol)?.qty ?? 0;
    const pending = openEntries(c.journal, scope)
      .filter((o) => o.symbol === m.symbol)
      .reduce((s, o) => s + (o.side === 'buy' ? o.remaining : -o.remaining), 0);
    const after = Math.abs(held + pending + signedNew);
    const v = toUsd(c.rates, after * cs * refPrice, m.quote);
    if (v === null) return unvalued(m.quote, 'limits');
    if (v > maxPosition) {
      const parts = `held ${money(Math.abs(held) * cs * refPrice)}${pending ? ` + open orders ${money(Math.abs(pending) * cs * refPrice)}` : ''} + this order ${money(newValue)}`;
      return refuse(
        'maxPositionPerSymbol',
        w.scope,
        `the position in ${m.symbol} would be ${money(v)} ${cur} (${parts}), above the max position per symbol of ${limitText(maxPosition)} ${cur} (${w.label})`,
        Number(v.toFixed(8)),
        maxPosition,
      );
    }
  }

  const maxExposure = L.maxTotalExposure.value;
  if (maxExposure !== null) {
    const w = who(c, 'maxTotalExposure');
    const now = exposure(c, scopeOf('maxTotalExposure'));
    if (now.unvalued) return unvalued(now.unvalued, 'max total exposure');
    const after = now.total + newValue;
    if (after > maxExposure) {
      return refuse(
        'maxTotalExposure',
        w.scope,
        `total exposure would be ${money(after)} USD (now ${money(now.total)} + this order ${money(newValue)}), above the max total exposure of ${limitText(maxExposure)} USD (${w.label})`,
        Number(after.toFixed(8)),
        maxExposure,
      );
    }
  }
  return null;
}

/**
 * What the scope holds and may still buy, valued: every position (net of its strategies) and
 * every open entry order, at the alert's price for its own market, else the last price seen,
 * else the position's average entry.
 */
export function exposure(
  c: Pick<PlanCheck, 'journal' | 'rates' | 'contractSize'> & { market?: VenueMarket; entries?: PlannedEntry[] },
  scope: Scope,
): { total: number; unvalued: string | null; positions: { symbol: string; qty: number; value: number | null }[] } {
  const bySymbol = new Map<string, { qty: number; cost: number; limitValue: number }>();
  for (const h of holdings(c.journal, scope)) bySymbol.set(h.symbol, { qty: h.qty, cost: h.cost, limitValue: 0 });
  for (const o of openEntries(c.journal, scope)) {
    const b = bySymbol.get(o.symbol) ?? { qty: 0, cost: 0, limitValue: 0 };
    b.qty += o.side === 'buy' ? o.remaining : -o.remaining;
    if (o.price !== null) b.limitValue += o.remaining * o.price;
    bySymbol.set(o.symbol, b);
  }
  let total = 0;
  let unvalued: string | null = null;
  const positions: { symbol: string; qty: number; value: number | null }[] = [];
  for (const [symbol, b] of bySymbol) {
    if (b.qty === 0) continue;
    const own = c.market?.symbol === symbol ? c.entries?.[0]?.price : undefined;
    const price = own ?? lastPrice(c.journal, symbol) ?? (b.cost > 0 ? b.cost / Math.abs(b.qty) : null) ?? (b.limitValue > 0 ? b.limitValue / Math.abs(b.qty) : null);
    const v = price === null ? null : toUsd(c.rates, Math.abs(b.qty) * c.contractSize(symbol) * price, quoteOf(symbol));
    positions.push({ symbol, qty: b.qty, value: v === null ? null : Number(v.toFixed(8)) });
    if (v === null) unvalued ??= price === null ? symbol : quoteOf(symbol);
    else total += v;
  }
  return { total, unvalued, positions };
}

function unvalued(currency: string, what: string): Refusal {
  return {
    status: 'skipped',
    code: 'risk_unvalued',
    message: `cannot value ${currency} in USD to check the ${what}: no ${currency}/USDT price is known, so nothing is traded`,
  };
}

/** `BTC/USDT`, `BINANCE:BTCUSDT`, `btcusdt`, `BTCUSDT.P` all name their market. */
export function symbolMatches(allowed: string, m: VenueMarket): boolean {
  const p = parseSymbol(allowed);
  if (p.unified && p.unified === m.symbol) return true;
  return p.compact === m.base + m.quote && p.perpetual === m.contract;
}
