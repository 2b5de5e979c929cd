import type { LimitsDto } from '../../shared/api.js';

/** Every risk limit off: for tests that trade beyond the defaults on purpose, or set one limit alone. */
export const NO_LIMITS: LimitsDto = {
  maxOrderNotional: null,
  maxPositionPerSymbol: null,
  maxTotalExposure: null,
  maxOrdersPerMinute: null,
  dailyLossLimit: null,
  maxAlertAgeSec: null,
  allowedSymbols: [],
};
