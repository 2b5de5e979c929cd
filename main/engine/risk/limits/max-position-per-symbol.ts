/**
 * The market's position after the entries (held + open entry orders + planned), valued at the
 * alert's price; in hedge mode its long and its short side added.
 */
import { limitText, money } from '../../market/money.js';
import { holdings, openEntries, type SideKey } from '../risk-reads.js';
import { toUsd } from '../valuation.js';
import { unvalued, type EntryLimit } from './risk-limit.js';

export const maxPositionPerSymbol: EntryLimit<'maxPositionPerSymbol'> = {
  name: 'maxPositionPerSymbol',
  on: 'entries',
  valued: true,
  code: 'risk_max_position_per_symbol',
  fix: { setting: 'max position per symbol', otherwise: 'or close part of the position first' },
  check({ value: max, plan, values, scope, currency, label, refuse }) {
    if (max === null) return null;
    const m = plan.market;
    const cs = m.contractSize ?? 1;
    const refPrice = plan.entries[0]?.price ?? 0;
    // Per side: one-way mode has one (`net`); in hedge mode the long and the short add up.
    const sides = new Map<SideKey, { held: number; pending: number; added: number }>();
    const side = (k: SideKey) => sides.get(k) ?? (sides.set(k, { held: 0, pending: 0, added: 0 }), sides.get(k)!);
    for (const e of plan.entries) side(e.positionSide ?? 'net').added += e.side === 'buy' ? e.amount : -e.amount;
    const newValue = values.reduce((s, v) => s + v, 0);
    for (const h of holdings(plan.journal, scope)) if (h.symbol === m.symbol) side(h.positionSide).held += h.qty;
    for (const o of openEntries(plan.journal, scope)) if (o.symbol === m.symbol) side(o.positionSide).pending += o.side === 'buy' ? o.remaining : -o.remaining;
    let held = 0;
    let pending = 0;
    let after = 0;
    for (const s of sides.values()) {
      held += Math.abs(s.held);
      pending += Math.abs(s.pending);
      after += Math.abs(s.held + s.pending + s.added);
    }
    const v = toUsd(plan.rates, after * cs * refPrice, m.quote);
    if (v === null) return unvalued(m.quote, 'limits');
    if (v <= max) return null;
    const parts = `held ${money(Math.abs(held) * cs * refPrice)}${pending ? ` + open orders ${money(Math.abs(pending) * cs * refPrice)}` : ''} + this order ${money(newValue)}`;
    return refuse(
      `the position in ${m.symbol} would be ${money(v)} ${currency} (${parts}), above the max position per symbol of ${limitText(max)} ${currency} (${label})`,
      Number(v.toFixed(8)),
      max,
    );
  },
};
