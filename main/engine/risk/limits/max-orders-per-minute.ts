/** Orders of the last 60 s plus the planned ones: a runaway alert loop stops within a minute. */
import { limitText } from '../../market/money.js';
import { ordersSince } from '../risk-reads.js';
import type { EntryLimit } from './risk-limit.js';

export const maxOrdersPerMinute: EntryLimit<'maxOrdersPerMinute'> = {
  name: 'maxOrdersPerMinute',
  on: 'entries',
  code: 'risk_max_orders_per_minute',
  fix: { setting: 'max orders per minute', otherwise: 'or wait a minute' },
  check({ value: perMinute, plan, scope, label, refuse }) {
    if (perMinute === null) return null;
    const recent = ordersSince(plan.journal, scope, plan.now - 60_000);
    const n = recent + plan.entries.length;
    if (n <= perMinute) return null;
    return refuse(`${recent} order(s) in the last minute + ${plan.entries.length} planned is above the max of ${limitText(perMinute)} orders per minute (${label})`, n, perMinute);
  },
};
