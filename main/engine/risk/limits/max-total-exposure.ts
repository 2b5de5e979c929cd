/** Every position and open entry order of the scope, valued, plus the planned entries. */
import { limitText, money } from '../../market/money.js';
import { exposure } from '../exposure.js';
import { unvalued, type EntryLimit } from './risk-limit.js';

export const maxTotalExposure: EntryLimit<'maxTotalExposure'> = {
  name: 'maxTotalExposure',
  on: 'entries',
  valued: true,
  code: 'risk_max_total_exposure',
  fix: { setting: 'max total exposure', otherwise: 'or close other positions first' },
  check({ value: max, plan, values, scope, label, refuse }) {
    if (max === null) return null;
    const now = exposure(plan, scope);
    if (now.unvalued) return unvalued(now.unvalued, 'max total exposure');
    const newValue = values.reduce((s, v) => s + v, 0);
    const after = now.total + newValue;
    if (after <= max) return null;
    return refuse(
      `total exposure would be ${money(after)} USD (now ${money(now.total)} + this order ${money(newValue)}), above the max total exposure of ${limitText(max)} USD (${label})`,
      Number(after.toFixed(8)),
      max,
    );
  },
};
