/**
 * A take-profit ladder on spot where each resting order holds its coins (Binance): every level is
 * one OCO order list, its take-profit with a stop-loss of the same size, and what the levels leave
 * has a stop of its own. Together the stops cover the whole position at every moment; a level that
 * fills ends only its own list's stop (the exchange expires it), so nothing has to shrink.
 *
 * Moving the stops to breakeven (`move_stop_to_breakeven_after`) cannot place the new stop before
 * the old one is gone here: the coins are held by the old list. Each list is cancelled and placed
 * again at the breakeven price, one after the other, so at most one level's coins are without a
 * stop for the time of one cancel and one send. The new orders are journalled before the first
 * cancel and sent only once the list they replace is no longer open (`params.after`), so a crash at
 * any point resumes the move (execution/ladder.ts's restart pass) without doubling an order.
 */
import { FINAL, IN_FLIGHT, type Intent, type NewIntent } from '../journal/intents.js';
import type { Venue } from '../core/ports.js';
import { clientOrderId } from './client-order-id.js';
import type { ExecDeps } from './exec-deps.js';
import { sendIntent } from './order-sender.js';
import { entryLegOf, ladderLeg, ocoLadderLeg, ocoLadderPartOf, PROTECTIVE, protectiveLeg } from './protective.js';

type Cancel = (d: ExecDeps, venue: Venue, i: Intent) => Promise<boolean>;

const filledOut = (i: Intent) => i.status === 'filled' || (FINAL.includes(i.status) && i.filled > 0);
const live = (i: Intent) => i.status === 'open' || IN_FLIGHT.includes(i.status);

/** An order journalled to replace another, sent only by the step that removes that other first (never on its own). */
export const heldBack = (i: Intent): boolean => i.params.after !== undefined;

/** Brings a spot OCO ladder's stops to breakeven once enough levels filled. Idempotent. */
export async function followOcoLadder(d: ExecDeps, venue: Venue, entry: Intent, cancel: Cancel, breakeven: (entry: Intent, venue: Venue) => number | null): Promise<void> {
  const p = entry.params.protect;
  if (!p?.oco || !p.ladder || p.breakevenAfter === undefined) return;
  const j = d.journal();
  const mine = () => j.intents.forAlert(entry.alertId).filter((x) => PROTECTIVE.includes(x.purpose) && entryLegOf(x.leg) === entry.leg);
  const all = mine();
  if (all.filter((x) => x.purpose === 'take_profit' && filledOut(x)).length < p.breakevenAfter) return;
  // A stop that executed: the price is at the stop, and every list's stop goes with it.
  if (all.some((x) => x.purpose === 'stop_loss' && x.filled > 0)) return;
  // Closed by the strategy (an exit alert), or by the ladder itself: nothing left to protect.
  if (!(j.positions.get({ account: entry.account, mode: entry.mode, strategy: entry.strategy, symbol: entry.symbol }).qty !== 0)) return;
  const at = breakeven(entry, venue);
  if (at === null) return;
  const replacements = all.flatMap((s) => replacementFor(entry, s, all, at, p.breakevenAfter!, d.now()));
  if (replacements.length) await j.durable(() => j.intents.insert(replacements));
  for (const r of mine().filter((x) => x.params.after !== undefined && IN_FLIGHT.includes(x.status) && x.purpose === 'stop_loss')) {
    const old = j.intents.get(r.params.after!);
    if (old && live(old)) {
      if (!(await cancel(d, venue, old))) return; // not reachable now: the old list stays, tried again on the next pass
      // Cancelling one order of a list ends the list: its take-profit is read back too.
      const tp = old.params.oco ? j.intents.get(old.params.oco.takeProfitClientOrderId) : undefined;
      if (tp && live(tp) && !(await cancel(d, venue, tp))) return;
    }
    const now = j.intents.get(r.params.after!);
    const tp = now?.params.oco ? j.intents.get(now.params.oco.takeProfitClientOrderId) : undefined;
    if ((now && now.filled > 0) || (tp && filledOut(tp))) {
      // It executed meanwhile (the stop or the level itself): the replacement has nothing to hold.
      j.intents.setStatus(r.clientOrderId, 'cancelled', { code: 'not_needed', message: `${now?.filled ? 'the stop-loss it replaces executed' : 'its take-profit level filled'} before the move to breakeven` }, d.now());
      if (r.params.oco) j.intents.setStatus(r.params.oco.takeProfitClientOrderId, 'cancelled', { code: 'not_needed', message: 'its list was not placed: the level ended first' }, d.now());
      continue;
    }
    const out = await sendIntent(d, venue, r, null);
    if (out.kind !== 'placed') {
      d.logger.warn({ alertId: entry.alertId }, `take-profit ladder of ${entry.clientOrderId}: the breakeven stop ${r.clientOrderId} is not placed yet: ${'message' in out ? out.message : out.kind}`);
      continue;
    }
    // Its take-profit went in the same list: found by its clientOrderId.
    const partner = r.params.oco ? j.intents.get(r.params.oco.takeProfitClientOrderId) : undefined;
    if (partner && IN_FLIGHT.includes(partner.status)) await sendIntent(d, venue, partner, null);
  }
}

/** The breakeven copy of one of the ladder's original stops (and its list's take-profit), when that level is still to protect. */
function replacementFor(entry: Intent, s: Intent, all: Intent[], at: number, after: number, now: number): NewIntent[] {
  if (s.purpose !== 'stop_loss') return [];
  const part = ocoLadderPartOf(s.leg);
  const rest = s.leg === protectiveLeg(entry.leg, 'stop_loss');
  if (!rest && part?.g !== 0) return [];
  // Ended (its level filled, a close): nothing to move. A stop this move cancelled has its copy already.
  if (s.triggerPrice === at || !live(s)) return [];
  const tp = part ? all.find((x) => x.leg === ocoLadderLeg(entry.leg, 'take_profit', part.level, 0)) : undefined;
  if (tp && filledOut(tp)) return [];
  const leg = part ? ocoLadderLeg(entry.leg, 'stop_loss', part.level, 1) : ladderLeg(entry.leg, 'stop_loss', after);
  const id = clientOrderId(entry.alertId, leg, entry.exchange);
  if (all.some((x) => x.clientOrderId === id)) return [];
  const base = { ...s, leg, clientOrderId: id, triggerPrice: at, createdAt: now, amount: s.amount };
  if (!part || !tp) return [{ ...base, params: { reduceOnly: true, after: s.clientOrderId } }];
  const tpLeg = ocoLadderLeg(entry.leg, 'take_profit', part.level, 1);
  const tpId = clientOrderId(entry.alertId, tpLeg, entry.exchange);
  return [
    { ...base, params: { reduceOnly: true, after: s.clientOrderId, oco: { takeProfitPrice: tp.triggerPrice!, takeProfitClientOrderId: tpId } } },
    { ...tp, leg: tpLeg, clientOrderId: tpId, createdAt: now, params: { reduceOnly: true, ocoOf: id } },
  ];
}
