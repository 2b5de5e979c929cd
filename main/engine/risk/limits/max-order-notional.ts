/** The largest planned entry's value: a typo (1 BTC for 0.01) cannot put the whole account in one order. */
import { limitText, money } from '../../market/money.js';
import type { EntryLimit } from './risk-limit.js';

export const maxOrderNotional: EntryLimit<'maxOrderNotional'> = {
  name: 'maxOrderNotional',
  on: 'entries',
  valued: true,
  code: 'risk_max_order_notional',
  fix: { setting: 'max order notional', otherwise: 'or send a smaller quantity' },
  check({ value: max, values, currency, label, refuse }) {
    if (max === null) return null;
    const top = Math.max(...values);
    if (top <= max) return null;
    return refuse(`order notional ${money(top)} ${currency} is above the max order notional of ${limitText(max)} ${currency} (${label})`, Number(top.toFixed(8)), max);
  },
};
