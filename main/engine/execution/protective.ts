/**
 * Stop-loss, take-profit and trailing stop for an entry: attached to the entry where the venue
 * supports it, otherwise placed as separate (reduce-only; in hedge mode, naming the entry's
 * position side) orders once the entry has filled, and cancelled when the position closes.
 */
import type { IntentParams, IntentPurpose, NewIntent } from '../journal/intents.js';
import type { Venue, VenueMarket } from '../core/ports.js';
import type { Level, Signal } from '../signals/signal.js';
import { fmtNum, noNoise } from '../market/precision.js';
import { clientOrderId } from './client-order-id.js';
import { closingParams } from './position-side.js';
import { levelPrice } from './sizing.js';

export const PROTECTIVE: readonly IntentPurpose[] = ['stop_loss', 'take_profit', 'trailing_stop'];

// The legs' numbering is shared with the UI, which names each order by it.
export { entryLegOf, ladderLeg, ladderLevelOf, ocoLadderLeg, ocoLadderPartOf, protectiveLeg } from '../../../shared/order-legs.js';
import { ladderLeg, ocoLadderLeg, protectiveLeg } from '../../../shared/order-legs.js';

export type Protection = { ok: true; params: IntentParams; notes: string[] } | { ok: false; code: string; message: string };

/** The protective part of an entry's intent params, or why the levels make no sense. */
export function protectionFor(signal: Signal, side: 'buy' | 'sell', entry: number, m: VenueMarket, venue: Venue): Protection {
  const notes: string[] = [];
  const rawStop = levelPrice(signal.stopLoss, entry, side, 'stop');
  const rawTarget = levelPrice(signal.takeProfit, entry, side, 'target');
  const ladder = signal.takeProfitLadder;
  const stop = rawStop === null ? null : venue.priceToPrecision(m.symbol, rawStop);
  const target = rawTarget === null ? null : venue.priceToPrecision(m.symbol, rawTarget);
  const long = side === 'buy';
  if (stop !== null && (long ? stop >= entry : stop <= entry)) {
    return { ok: false, code: 'bad_stop', message: `stop_loss ${fmtNum(stop)} is on the wrong side of the ${long ? 'long' : 'short'} entry at ${fmtNum(entry)}.` };
  }
  if (target !== null && (long ? target <= entry : target >= entry)) {
    return { ok: false, code: 'bad_take_profit', message: `take_profit ${fmtNum(target)} is on the wrong side of the ${long ? 'long' : 'short'} entry at ${fmtNum(entry)}.` };
  }
  for (const [n, l] of (ladder ?? []).entries()) {
    const raw = levelPrice(l.level, entry, side, 'target');
    const at = raw === null ? null : venue.priceToPrecision(m.symbol, raw);
    if (at !== null && (long ? at <= entry : at >= entry)) {
      return { ok: false, code: 'bad_take_profit', message: `take_profit level ${n + 1} at ${fmtNum(at)} is on the wrong side of the ${long ? 'long' : 'short'} entry at ${fmtNum(entry)}.` };
    }
  }
  let trailing = signal.trailingStop?.percent;
  let ladderLevels = ladder;
  const params: IntentParams = {};
  let stopLevel = signal.stopLoss;
  let targetLevel = signal.takeProfit;
  if (!venue.has.attachedStops && venue.has.protectiveOrdersShareFunds && !m.contract) {
    // One resting sell per coin on spot: the stop-loss first, else the trailing stop, else the target.
    if (venue.has.ocoOrders && stop !== null && target !== null && !ladder && trailing === undefined && stopLevel && targetLevel) {
      notes.push(`stop-loss and take-profit placed as one ${venue.id} OCO order list (both protect the same coins; whichever executes cancels the other)`);
      return { ok: true, params: { protect: { stopLoss: stopLevel, takeProfit: targetLevel, oco: true } }, notes };
    }
    if (venue.has.ocoOrders && stop !== null && ladder && stopLevel) {
      // One OCO list per level: each level's coins are held once, by its take-profit and a stop-loss of the same size.
      notes.push(`take-profit ladder placed as ${ladder.length} ${venue.id} OCO order lists, one per level, each with a stop-loss for that level's coins: together they cover the whole position, and a take-profit ends only its own list's stop`);
      if (trailing !== undefined) notes.push(`trailing stop not placed: on ${venue.id} spot the ladder's OCO lists hold every coin`);
      const protect: NonNullable<IntentParams['protect']> = { ladder: ladder.map((l) => ({ level: l.level, sizePercent: l.sizePercent })), stopLoss: stopLevel, oco: true };
      if (signal.breakevenAfter !== undefined) protect.breakevenAfter = signal.breakevenAfter;
      return { ok: true, params: { protect }, notes };
    }
    const hasTarget = target !== null || ladder !== undefined;
    const kept = stop !== null ? 'stop-loss' : trailing !== undefined ? 'trailing stop' : ladder ? 'take-profit ladder' : 'take-profit';
    const dropped = [
      stop !== null && kept !== 'stop-loss' ? 'stop-loss' : null,
      trailing !== undefined && kept !== 'trailing stop' ? 'trailing stop' : null,
      hasTarget && !kept.startsWith('take-profit') ? (ladder ? 'take-profit ladder' : 'take-profit') : null,
    ].filter(Boolean);
    if (dropped.length) {
      notes.push(`${dropped.join(' and ')} not placed: on ${venue.id} spot each resting order holds the same coins, so only the ${kept} is placed`);
      if (kept !== 'trailing stop') trailing = undefined;
      if (kept !== 'stop-loss') stopLevel = undefined;
      if (!kept.startsWith('take-profit')) {
        targetLevel = undefined;
        ladderLevels = undefined;
      }
    }
  }
  if (stop === null && target === null && trailing === undefined && !ladderLevels) return { ok: true, params, notes };
  if (ladderLevels && venue.has.stopOrders) {
    // A ladder's stop must shrink as its levels fill: every leg is a separate order here.
    params.protect = { ladder: ladderLevels.map((l) => ({ level: l.level, sizePercent: l.sizePercent })) };
    if (stopLevel) params.protect.stopLoss = stopLevel;
    if (signal.breakevenAfter !== undefined && stopLevel) params.protect.breakevenAfter = signal.breakevenAfter;
    if (trailing !== undefined) {
      if (venue.has.trailingStop) {
        params.protect.trailingPercent = trailing;
        if (signal.trailingAfter !== undefined) params.protect.trailingAfter = signal.trailingAfter;
      } else notes.push(`${venue.id} offers no trailing stop: none placed`);
    }
    return { ok: true, params, notes };
  }
  if (ladderLevels) notes.push(`${venue.id} offers no separate take-profit orders: the take-profit ladder is not placed`);
  if (stop === null && target === null && trailing === undefined) return { ok: true, params, notes };
  if (venue.has.attachedStops) {
    if (stop !== null) params.stopLoss = stop;
    if (target !== null) params.takeProfit = target;
  } else if (venue.has.stopOrders) {
    params.protect = {};
    if (stopLevel) params.protect.stopLoss = stopLevel;
    if (targetLevel) params.protect.takeProfit = targetLevel;
  } else if (stop !== null || target !== null) {
    notes.push(`${venue.id} offers no stop-loss/take-profit orders: none placed`);
  }
  if (trailing !== undefined) {
    if (venue.has.trailingStop) (params.protect ??= {}).trailingPercent = trailing;
    else notes.push(`${venue.id} offers no trailing stop: none placed`);
  }
  return { ok: true, params, notes };
}

/** The separate protective orders for an entry that filled `amount` (what the account received). */
export function protectiveIntents(entry: NewIntent & { average: number | null }, amount: number, venue: Venue, now: number): NewIntent[] {
  const p = entry.params.protect;
  if (!p || !(amount > 0)) return [];
  const side = entry.side === 'buy' ? 'sell' : 'buy';
  const size = venue.amountToPrecision(entry.symbol, amount);
  if (!(size > 0)) return [];
  const filledAt = entry.average ?? entry.price ?? 0;
  const level = (l: Level | undefined, kind: 'stop' | 'target') => {
    const p = levelPrice(l, filledAt, entry.side, kind);
    return p === null ? undefined : venue.priceToPrecision(entry.symbol, p);
  };
  const stopLoss = level(p.stopLoss, 'stop');
  const takeProfit = level(p.takeProfit, 'target');
  const base = { ...entry, side, amount: size, price: null, createdAt: now } as const;
  const out: NewIntent[] = [];
  const make = (kind: 'stop_loss' | 'take_profit' | 'trailing_stop', triggerPrice: number | null, params: IntentParams): NewIntent => {
    const leg = protectiveLeg(entry.leg, kind);
    return { ...base, leg, clientOrderId: clientOrderId(entry.alertId, leg, entry.exchange), type: kind, purpose: kind, triggerPrice, params: { ...closingParams(entry.params), ...params } };
  };
  if (p.oco && stopLoss !== undefined && takeProfit !== undefined) {
    // One OCO list: the stop-loss's request carries the take-profit, which is then only looked up.
    const stopId = clientOrderId(entry.alertId, protectiveLeg(entry.leg, 'stop_loss'), entry.exchange);
    const targetId = clientOrderId(entry.alertId, protectiveLeg(entry.leg, 'take_profit'), entry.exchange);
    return [make('stop_loss', stopLoss, { oco: { takeProfitPrice: takeProfit, takeProfitClientOrderId: targetId } }), make('take_profit', takeProfit, { ocoOf: stopId })];
  }
  const levels = ladderAmounts(p.ladder ?? [], size, (l) => level(l, 'target'), (a) => venue.amountToPrecision(entry.symbol, a));
  if (p.oco && p.ladder && stopLoss !== undefined) {
    // Spot: each level with a stop-loss of its own size as one OCO list; a stop for what the levels leave.
    const lists = levels.flatMap(({ n, amount, at }) => {
      const tpId = clientOrderId(entry.alertId, ocoLadderLeg(entry.leg, 'take_profit', n, 0), entry.exchange);
      const slLeg = ocoLadderLeg(entry.leg, 'stop_loss', n, 0);
      const slId = clientOrderId(entry.alertId, slLeg, entry.exchange);
      const sl: NewIntent = { ...base, amount, leg: slLeg, clientOrderId: slId, type: 'stop_loss', purpose: 'stop_loss', triggerPrice: stopLoss, params: { reduceOnly: true, oco: { takeProfitPrice: at, takeProfitClientOrderId: tpId } } };
      const tp: NewIntent = { ...base, amount, leg: ocoLadderLeg(entry.leg, 'take_profit', n, 0), clientOrderId: tpId, type: 'take_profit', purpose: 'take_profit', triggerPrice: at, params: { reduceOnly: true, ocoOf: slId } };
      return [sl, tp];
    });
    const rest = venue.amountToPrecision(entry.symbol, noNoise(size - levels.reduce((s, l) => s + l.amount, 0)));
    return rest > 0 ? [...lists, { ...make('stop_loss', stopLoss, {}), amount: rest }] : lists;
  }
  if (stopLoss !== undefined) out.push(make('stop_loss', stopLoss, {}));
  if (takeProfit !== undefined) out.push(make('take_profit', takeProfit, {}));
  // A trailing stop that starts after a ladder level is placed then (execution/ladder.ts).
  if (p.trailingPercent !== undefined && p.trailingAfter === undefined) out.push(make('trailing_stop', null, { trailingPercent: p.trailingPercent }));
  for (const { n, amount, at } of levels) {
    const leg = ladderLeg(entry.leg, 'take_profit', n);
    out.push({ ...base, amount, leg, clientOrderId: clientOrderId(entry.alertId, leg, entry.exchange), type: 'take_profit', purpose: 'take_profit', triggerPrice: at, params: closingParams(entry.params) });
  }
  return out;
}

/** Each ladder level's size and price (1-based `n`); the level that brings the total to 100% takes what is left. */
function ladderAmounts(ladder: NonNullable<NonNullable<IntentParams['protect']>['ladder']>, size: number, priceOf: (l: Level) => number | undefined, round: (a: number) => number): { n: number; amount: number; at: number }[] {
  const out: { n: number; amount: number; at: number }[] = [];
  let taken = 0;
  let pct = 0;
  for (const [i, l] of ladder.entries()) {
    pct += l.sizePercent;
    const want = noNoise(pct >= 100 - 1e-9 ? size - taken : (size * l.sizePercent) / 100);
    const amount = round(Math.min(want, noNoise(size - taken)));
    const at = priceOf(l.level);
    if (!(amount > 0) || at === undefined) continue;
    taken += amount;
    out.push({ n: i + 1, amount, at });
  }
  return out;
}
