/** Binance USDⓈ-M futures error answers (codes and messages as the fapi endpoints send them). */
import { BinanceError } from './errors.js';

const bad = (code: number, msg: string): BinanceError => new BinanceError(400, code, msg);

export const futuresErrors = {
  invalidSide: (): BinanceError => bad(-1117, 'Invalid side.'),
  invalidOrderType: (): BinanceError => bad(-1116, 'Invalid orderType.'),
  invalidTimeInForce: (): BinanceError => bad(-1115, 'Invalid timeInForce.'),
  algoOnly: (): BinanceError => bad(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'),
  wouldTriggerNow: (): BinanceError => bad(-2021, 'Order would immediately trigger.'),
  marginInsufficient: (): BinanceError => bad(-2019, 'Margin is insufficient.'),
  reduceOnlyRejected: (): BinanceError => bad(-2022, 'ReduceOnly Order is rejected.'),
  qtyNotPositive: (): BinanceError => bad(-4003, 'Quantity less than or equal to zero.'),
  qtyBelowMin: (): BinanceError => bad(-4004, 'Quantity less than min quantity.'),
  qtyAboveMax: (): BinanceError => bad(-4005, 'Quantity greater than max quantity.'),
  priceBelowMin: (): BinanceError => bad(-4013, 'Price less than min price.'),
  priceTick: (): BinanceError => bad(-4014, 'Price not increased by tick size.'),
  priceAboveMax: (max: string): BinanceError => bad(-4016, `Limit price can't be higher than ${max}.`),
  qtyStep: (): BinanceError => bad(-4023, 'Quantity not increased by step size.'),
  positionSide: (): BinanceError => bad(-4061, "Order's position side does not match user's setting."),
  duplicateClientOrderId: (): BinanceError => bad(-4116, 'ClientOrderId is duplicated.'),
  symbolClosed: (): BinanceError => bad(-4141, 'Symbol is closed.'),
  minNotional: (min: string): BinanceError => bad(-4164, `Order's notional must be no smaller than ${min} (unless you choose reduce only).`),
  fokRejected: (): BinanceError => bad(-5021, 'Due to the order could not be filled immediately, the FOK order has been rejected.'),
  gtxRejected: (): BinanceError => bad(-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.'),
  leverageInvalid: (): BinanceError => bad(-4028, 'Leverage is not valid'),
  marginTypeUnchanged: (): BinanceError => bad(-4046, 'No need to change margin type.'),
  marginTypeOpenOrders: (): BinanceError => bad(-4047, 'Margin type cannot be changed if there exists open orders.'),
  marginTypePosition: (): BinanceError => bad(-4048, 'Margin type cannot be changed if there exists position.'),
};
