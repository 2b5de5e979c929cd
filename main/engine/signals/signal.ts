/** The engine's one reading of an alert, whatever dialect it arrived in. */

export const ACTIONS = ['buy', 'sell', 'close', 'close_long', 'close_short', 'cancel'] as const;
export type Action = (typeof ACTIONS)[number];

export const ORDER_TYPES = ['market', 'limit'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** How much to trade. */
export type Quantity =
  | { kind: 'base'; value: number } // 0.01 (BTC)
  | { kind: 'quote'; value: number; currency: string } // 100usdt
  | { kind: 'percent'; value: number } // 25% of available balance
  | { kind: 'risk'; percent: number }; // risk=1% of equity, needs a stop

/** A price level given either as a price or as a distance in percent from the entry. */
export interface Level {
  price?: number;
  percent?: number;
}

export interface Leg {
  price: number;
  quantity: Quantity;
}

export interface Signal {
  dialect: 'native' | 'seed' | 'traderspost';
  strategy: string;
  /** Either an action, or a target position (`{{strategy.position_size}}`): never both absent. */
  action?: Action;
  targetPosition?: number;
  symbol: string;
  quantity?: Quantity;
  orderType: OrderType;
  price?: number;
  stopLoss?: Level;
  takeProfit?: Level;
  trailingStop?: { percent: number };
  /** Several limit legs from one alert (scaled entry or exit). */
  legs?: Leg[];
  /** Account alias to trade on; the strategy's or the default when absent. */
  account?: string;
  /** The sender's own id, used for idempotency when present. */
  id?: string;
  /** When the alert fired (epoch ms), if the sender said. */
  time?: number;
  comment?: string;
}
