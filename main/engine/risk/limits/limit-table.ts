/**
 * Every risk limit's check, keyed by its name in shared/limits.ts (the compiler refuses a limit
 * there without a check here), in the order they are asked: the alert's own age first, then
 * the entries' cheapest checks before the ones that read and value positions.
 */
import type { LimitName } from '../../../../shared/dto/limits.js';
import { allowedSymbols } from './allowed-symbols.js';
import { dailyLossLimit } from './daily-loss-limit.js';
import { maxAlertAge } from './max-alert-age.js';
import { maxOrderNotional } from './max-order-notional.js';
import { maxOrdersPerMinute } from './max-orders-per-minute.js';
import { maxPositionPerSymbol } from './max-position-per-symbol.js';
import { maxTotalExposure } from './max-total-exposure.js';
import type { RiskLimit } from './risk-limit.js';

export const RISK_LIMITS: { readonly [K in LimitName]: RiskLimit<K> } = {
  maxAlertAgeSec: maxAlertAge,
  allowedSymbols,
  dailyLossLimit,
  maxOrdersPerMinute,
  maxOrderNotional,
  maxPositionPerSymbol,
  maxTotalExposure,
};
