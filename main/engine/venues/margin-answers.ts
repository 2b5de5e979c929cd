/**
 * Exchange answers to a leverage or margin-mode change that mean "it already is that": success,
 * not a refusal (the account simply had it). ccxt raises most of them as errors; which codes say
 * so is each exchange's profile's (exchanges/<id>.ts: Binance -4046, Bybit 110043 / 110026).
 */
import { PROFILES, profileFor } from './exchanges/index.js';
import type { VenueError } from './venue-error.js';

/** `exchange` picks its profile; without it any profile's reading counts (the codes do not overlap). */
export function isAlreadySet(e: VenueError, exchange?: string): boolean {
  if (e.code === 'MarginModeAlreadySet') return true;
  const profiles = exchange === undefined ? PROFILES : [profileFor(exchange)];
  return profiles.some((p) => p.isAlreadySet(e.code, e.message));
}
