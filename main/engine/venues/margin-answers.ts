/**
 * Exchange answers to a leverage or margin-mode change that mean "it already is that": success,
 * not a refusal (the account simply had it). ccxt raises most of them as errors.
 * - Binance USDⓈ-M / COIN-M: -4046 "No need to change margin type." (ccxt: MarginModeAlreadySet)
 * - Bybit v5: 110043 "Set leverage not modified", 110026 "Cross/isolated margin mode is not
 *   modified"; older API: 34036 "leverage not modified"
 */
import type { VenueError } from './venue-error.js';

const CODES = [-4046, 110043, 110026, 34036];
const TEXTS = [/no need to change margin type/i, /leverage not modified/i, /margin mode is not modified/i];

export function isAlreadySet(e: VenueError): boolean {
  if (e.code === 'MarginModeAlreadySet') return true;
  // classifyError keeps Binance's code as "(code N)"; Bybit's body stays as it came ("retCode":N).
  const code = /\(code (-?\d+)\)|"retCode"\s*:\s*(\d+)/.exec(e.message)?.slice(1).find((c) => c !== undefined);
  if (code !== undefined && CODES.includes(Number(code))) return true;
  return TEXTS.some((re) => re.test(e.message));
}
