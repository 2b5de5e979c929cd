/**
 * The order book an intent's order lives in, from the intent alone: every look-up, cancel and
 * listing of an order Pinebridge placed asks the book the order was created in.
 */
import type { Intent } from '../journal/intents.js';
import type { OrderBook } from '../core/ports.js';

const TRIGGER_TYPES: readonly Intent['type'][] = ['stop_loss', 'take_profit', 'trailing_stop', 'stop_limit'];

/**
 * A trigger order: what `requestOf` sends with a trigger price or a trailing distance (the venue
 * then creates it as the exchange's conditional order). Attached stop-loss / take-profit levels
 * ride on a plain entry and do not make it one.
 */
export function isTriggerIntent(i: Pick<Intent, 'type' | 'triggerPrice' | 'params'>): boolean {
  return TRIGGER_TYPES.includes(i.type) || i.triggerPrice !== null || i.params.trailingPercent !== undefined;
}

export function bookOf(i: Pick<Intent, 'type' | 'triggerPrice' | 'params'>): OrderBook {
  return isTriggerIntent(i) ? { trigger: true } : {};
}
