/** The market's position after the entries (held + open entry orders + planned), valued at the alert's price. */
import { limitText, money } from '../../market/money.js';
import { holdings, openEntries } from '../risk-reads.js';
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
    const signedNew = plan.entries.reduce((s, e) => s + (e.side === 'buy' ? e.amount : -e.amount), 0);
    const newValue = values.reduce((s, v) => s + v, 0);
    const held = holdings(plan.journal, scope).find((h) => h.symbol === m.symbol)?.qty ?? 0;
    const pending = openEntries(plan.journal, scope)
      .filter((o) => o.symbol === m.symbol)
      .reduce((s, o) => s + (o.side === 'buy' ? o.remaining : -o.remaining), 0);
    const after = Math.abs(held + pending + signedNew);
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
