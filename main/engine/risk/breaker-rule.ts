/**
 * Which failures count towards an account's circuit breaker. The breaker is there to stop
 * trading when the exchange or the account fails (unreachable, erroring, answers lost, keys or
 * permissions refused): then every next order would fail the same way. A refusal caused by one
 * alert or by the setup of a strategy (unknown symbol, short on spot, below the market's minimum,
 * insufficient balance, a perpetual in paper, a USD-quoted symbol, no price yet, no keys stored)
 * fails that alert with its reason and does not count: the next alert may be fine, and halting
 * every strategy on the account for one strategy's mistake helps nobody.
 */

/** Error codes (ccxt class names and our own) that are the alert's or the setup's, never the exchange's. */
const NOT_COUNTED = new Set([
  // The exchange refused this order for what it is.
  'InsufficientFunds',
  'InvalidOrder',
  'OrderNotFillable',
  'OrderImmediatelyFillable',
  'BadSymbol',
  'BadRequest',
  'ArgumentsRequired',
  'NotSupported',
  'MarketClosed',
  'ContractUnavailable',
  'InvalidAddress',
  'NoChange',
  'MarginModeAlreadySet',
  'OrderNotFound',
  // Ours: refused before the exchange was asked, for the alert or the setup.
  'too_old',
  'unknown_symbol',
  'NoPrice',
  'MissingCredentials',
  'UnknownExchange',
  'NoTestnet',
]);

/** True when a failure with this code is the exchange's (or the account's) and counts towards the breaker. */
export function countsForBreaker(code: string | null | undefined): boolean {
  if (!code) return true;
  return !NOT_COUNTED.has(code);
}
