/** Today's realized loss (net of fees, since 00:00 UTC) at the limit: no new entries until the next UTC day. */
import { limitText, money, quoteOf } from '../../market/money.js';
import { realizedToday } from '../risk-reads.js';
import { toUsd } from '../valuation.js';
import { unvalued, type EntryLimit } from './risk-limit.js';

export const dailyLossLimit: EntryLimit<'dailyLossLimit'> = {
  name: 'dailyLossLimit',
  on: 'entries',
  code: 'risk_daily_loss_limit',
  fix: { setting: 'daily loss limit', otherwise: 'or wait for the next UTC day' },
  check({ value: loss, plan, scope, currency, label, refuse }) {
    if (loss === null) return null;
    let net = 0;
    for (const r of realizedToday(plan.journal, scope, plan.now)) {
      const v = toUsd(plan.rates, r.net, quoteOf(r.symbol));
      if (v === null) return unvalued(quoteOf(r.symbol), 'daily loss limit');
      net += v;
    }
    if (-net < loss) return null;
    return refuse(
      `today's realized loss of ${money(-net)} ${currency} has reached the daily loss limit of ${limitText(loss)} ${currency} (${label}): no new entries until 00:00 UTC`,
      Number((-net).toFixed(8)),
      loss,
    );
  },
};
