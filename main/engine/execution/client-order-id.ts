import { clientOrderIdFor } from '../venues/exchanges/index.js';

/**
 * The deterministic clientOrderId of one leg of an alert, in the form the exchange accepts
 * (its profile's rule: `pb<ULID>-<leg>` on Binance and Bybit, `pb<ULID><leg>` on OKX, whose
 * clOrdId takes alphanumerics only): the same on every try and after every restart, so the
 * exchange can be asked whether it has the order.
 */
export function clientOrderId(alertId: string, leg: number, exchange: string): string {
  return clientOrderIdFor(exchange, alertId, leg);
}
