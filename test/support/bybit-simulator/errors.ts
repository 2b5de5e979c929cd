/**
 * Bybit v5's error answers: HTTP 200 with `{"retCode": N, "retMsg": "...", "result": {}, ...}`,
 * and the translation of the shared order engines' refusals (raised in Binance's codes) into the
 * retCodes Bybit sends for the same refusal, per category.
 */
import { BinanceError } from '../exchange-simulator/errors.js';

export type Category = 'spot' | 'linear';

export class BybitError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
  ) {
    super(`${retCode} ${retMsg}`);
    this.name = 'BybitError';
  }
}

const e = (retCode: number, retMsg: string): BybitError => new BybitError(retCode, retMsg);

export const bybitErrors = {
  params: (detail: string): BybitError => e(10001, `params error: ${detail}`),
  timestamp: (req: number | string, server: number, recvWindow: number | string): BybitError =>
    e(10002, `invalid request, please check your server timestamp or recv_window param. req_timestamp[${req}],server_timestamp[${server}],recv_window[${recvWindow}]`),
  apiKeyInvalid: (): BybitError => e(10003, 'API key is invalid.'),
  signature: (): BybitError => e(10004, 'Error sign, please check your signature generation algorithm.'),
  rateLimit: (): BybitError => e(10006, 'Too many visits. Exceeded the API Rate Limit.'),
  systemError: (): BybitError => e(10016, 'System error. Please try again later.'),
  orderNotExistsLinear: (): BybitError => e(110001, 'order not exists or too late to cancel'),
  insufficientLinear: (): BybitError => e(110007, 'ab not enough for new order'),
  reduceOnly: (): BybitError => e(110017, 'current position is zero, cannot fix reduce-only order qty'),
  positionModeNotModified: (): BybitError => e(110025, 'Position mode is not modified'),
  leverageNotModified: (): BybitError => e(110043, 'leverage not modified'),
  duplicateLinear: (): BybitError => e(110072, 'OrderLinkedID is duplicate'),
  expectRising: (trigger: string, last: string): BybitError => e(110092, `expect Rising, but trigger_price[${trigger}] <= current[${last}]??LastPrice`),
  expectFalling: (trigger: string, last: string): BybitError => e(110093, `expect Falling, but trigger_price[${trigger}] >= current[${last}]??LastPrice`),
  minNotionalLinear: (): BybitError => e(110094, 'Order does not meet minimum order value'),
  invalidSymbolSpot: (): BybitError => e(170121, 'Invalid symbol.'),
  insufficientSpot: (): BybitError => e(170131, 'Insufficient balance.'),
  priceDecimalSpot: (): BybitError => e(170134, 'Order price decimal too long.'),
  qtyDecimalSpot: (): BybitError => e(170137, 'Order volume decimal too long'),
  minValueSpot: (): BybitError => e(170140, 'Order value exceeded lower limit.'),
  duplicateSpot: (): BybitError => e(170141, 'Duplicate clientOrderId'),
  creationTimeout: (): BybitError => e(170146, 'Order creation timeout'),
  orderNotExistsSpot: (): BybitError => e(170213, 'Order does not exist.'),
};

/** A duplicate orderLinkId: 170141 on spot, 110072 on derivatives. */
export const duplicateOrderLinkId = (category: Category): BybitError => (category === 'spot' ? bybitErrors.duplicateSpot() : bybitErrors.duplicateLinear());

/** An order that is not there (or no longer open) for a cancel. */
export const orderNotExists = (category: Category): BybitError => (category === 'spot' ? bybitErrors.orderNotExistsSpot() : bybitErrors.orderNotExistsLinear());

/** Binance's code (and filter, for -1013) -> Bybit's refusal, per category. */
function fromEngine(err: BinanceError, category: Category): BybitError {
  const spot = category === 'spot';
  switch (err.code) {
    case -1121:
      return spot ? bybitErrors.invalidSymbolSpot() : bybitErrors.params('symbol invalid');
    case -1013:
      if (err.msg.includes('PRICE_FILTER')) return bybitErrors.priceDecimalSpot();
      if (err.msg.includes('LOT_SIZE')) return bybitErrors.qtyDecimalSpot();
      if (err.msg.includes('NOTIONAL')) return bybitErrors.minValueSpot();
      return bybitErrors.params('symbol is not trading');
    case -2010:
      return err.msg.includes('insufficient') ? bybitErrors.insufficientSpot() : bybitErrors.params(err.msg);
    case -2011:
    case -2013:
      return orderNotExists(category);
    case -2019:
      return bybitErrors.insufficientLinear();
    case -2022:
      return bybitErrors.reduceOnly();
    case -4164:
      return bybitErrors.minNotionalLinear();
    case -4003:
    case -4004:
    case -4005:
    case -4023:
      return bybitErrors.params('Qty invalid');
    case -4013:
    case -4014:
    case -4016:
      return bybitErrors.params('price invalid');
    default:
      return bybitErrors.params(err.msg);
  }
}

/** Runs `fn`; an engine refusal comes out as the BybitError Bybit would answer with. */
export function asBybit<T>(category: Category, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BinanceError) throw fromEngine(err, category);
    throw err;
  }
}
