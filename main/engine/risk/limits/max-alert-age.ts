/**
 * The one alert-age rule, under the one setting (`maxAlertAgeSec`, per account or strategy): an
 * alert is as old as its `time` (`{{timenow}}`) says, or, without a time, as long as it has waited
 * since it was received; a `time` later than its arrival (the sender's clock ahead) counts from
 * the arrival. Asked before an alert is planned (the gate), again once its venue is loaded, and
 * before each of its orders is first sent: a stale alert is never traded late.
 */
import { limitText } from '../../market/money.js';
import type { AlertLimit, AlertTimes } from './risk-limit.js';

/** The alert's age at `now`, ms, and what it is measured from. */
export function alertAge(a: AlertTimes, now: number): { ms: number; since: 'time' | 'received'; from: number } {
  const byTime = a.time !== undefined && a.time <= a.receivedAt;
  const from = byTime ? (a.time as number) : a.receivedAt;
  return { ms: now - from, since: byTime ? 'time' : 'received', from };
}

export const maxAlertAge: AlertLimit<'maxAlertAgeSec'> = {
  name: 'maxAlertAgeSec',
  on: 'alert',
  code: 'risk_max_alert_age',
  fix: { setting: 'max alert age', otherwise: "or check the alert's time field and this machine's clock" },
  check({ value: max, alert, now, label, refuse }) {
    if (max === null) return null;
    const age = alertAge(alert, now);
    const ageSec = age.ms / 1000;
    if (ageSec <= max) return null;
    const how =
      age.since === 'time'
        ? `the alert is ${limitText(Math.round(ageSec))} s old (its time ${new Date(age.from).toISOString()})`
        : `the alert has waited ${limitText(Math.round(ageSec))} s since it was received (at ${new Date(age.from).toISOString()}; it has no time field)`;
    return refuse(`${how}, above the max alert age of ${limitText(max)} s (${label}): stale, not executed`, Math.round(ageSec), max);
  },
};
