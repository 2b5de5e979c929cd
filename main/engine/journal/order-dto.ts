/** An intent as the API shows an order. */
import type { OrderDto } from '../../../shared/dto/orders.js';
import type { Intent } from './intents.js';

export function toOrderDto(i: Intent): OrderDto {
  return {
    clientOrderId: i.clientOrderId,
    alertId: i.alertId,
    leg: i.leg,
    account: i.account,
    mode: i.mode,
    exchange: i.exchange,
    strategy: i.strategy,
    symbol: i.symbol,
    side: i.side,
    type: i.type,
    amount: i.amount,
    price: i.price ?? i.triggerPrice,
    triggerPrice: i.triggerPrice,
    purpose: i.purpose,
    status: i.status,
    exchangeOrderId: i.exchangeOrderId,
    filled: i.filled,
    average: i.average,
    errorCode: i.errorCode,
    errorMessage: i.errorMessage,
    attempts: i.attempts,
    createdAt: i.createdAt,
    sentAt: i.sentAt,
    updatedAt: i.updatedAt,
  };
}
