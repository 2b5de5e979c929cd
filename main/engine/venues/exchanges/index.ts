/**
 * The exchange profiles by ccxt id: several ccxt ids share one exchange's rules (as freqtrade's
 * MAP_EXCHANGE_CHILDCLASS), every other id gets the generic profile.
 */
import { binanceProfile } from './binance.js';
import { bybitProfile } from './bybit.js';
import { genericProfile } from './generic.js';
import { okxProfile } from './okx.js';
import type { ExchangeProfile } from './profile.js';

export type { ClientOrderIdRule, DeadManSwitch, ErrorVerdict, ExchangeProfile, PositionMode, ProfileContext, SupportLevel } from './profile.js';
export { ccxtClassChain, errorCodes, isOrderNotFound } from './profile.js';
export { binanceProfile, bybitProfile, genericProfile, okxProfile };

/** Profiles with a file of their own. */
export const PROFILES: readonly ExchangeProfile[] = [binanceProfile, bybitProfile, okxProfile];

/** ccxt ids -> the profile whose rules they follow. */
export const PROFILE_ALIASES: Readonly<Record<string, string>> = {
  binance: 'binance',
  binanceus: 'binance',
  binanceusdm: 'binance',
  binancecoinm: 'binance',
  bybit: 'bybit',
  okx: 'okx',
  okxus: 'okx',
  myokx: 'okx',
  okex: 'okx',
  okex5: 'okx',
};

/** The profile of a ccxt exchange id (the generic one for ids without their own). */
export function profileFor(ccxtId: string): ExchangeProfile {
  const id = PROFILE_ALIASES[ccxtId.toLowerCase()];
  return PROFILES.find((p) => p.id === id) ?? genericProfile;
}

/**
 * The clientOrderId of one leg of an alert on an exchange (`paper`: Binance's form, as paper
 * trades Binance's markets by default). Checked against the exchange's rule: an id it would
 * refuse is a bug here, never an order sent.
 */
export function clientOrderIdFor(exchange: string, alertId: string, leg: number): string {
  const rule = exchange === 'paper' ? binanceProfile.clientOrderId : profileFor(exchange).clientOrderId;
  const id = rule.make(alertId, leg);
  if (id.length > rule.maxLength || !rule.pattern.test(id)) {
    throw new Error(`clientOrderId ${id} breaks ${exchange}'s ${rule.field} rule (${rule.maxLength} of ${rule.pattern.source})`);
  }
  return id;
}
