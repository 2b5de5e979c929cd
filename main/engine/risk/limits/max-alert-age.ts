/** `time` in the alert older than the max alert age: stale. An alert without a time is not checked here. */
import { limitText } from '../../market/money.js';
import type { AlertLimit } from './risk-limit.js';

export const maxAlertAge: AlertLimit<'maxAlertAgeSec'> = {
  name: 'maxAlertAgeSec',
  on: 'alert',
  code: 'risk_max_alert_age',
  fix: { setting: 'max alert age', otherwise: "or check the alert's time field and this machine's clock" },
  check({ value: max, time, now, label, refuse }) {
    if (max === null || time === undefined) return null;
    const ageSec = (now - time) / 1000;
    if (ageSec <= max) return null;
    return refuse(
      `the alert is ${limitText(Math.round(ageSec))} s old (its time ${new Date(time).toISOString()}), above the max alert age of ${limitText(max)} s (${label}): stale, not executed`,
      Math.round(ageSec),
      max,
    );
  },
};
